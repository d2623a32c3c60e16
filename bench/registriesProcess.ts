/**
 * The simulated Weihai registries in a process of their own, so that the benchmark measures the
 * hub's memory and CPU, not the simulator's. Prints one JSON line (urls, drop folders, years, as-of
 * day, record counts) on stdout, then serves until killed. A line `advance` on stdin moves the
 * registries on by a day (about 1% of records changed) and answers with one JSON line of counts.
 */
import { createInterface } from 'node:readline';
import { startWeihaiScale, WEIHAI_HOUSEHOLDS } from '../src/simulator/weihai';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? WEIHAI_HOUSEHOLDS);
const seed = Number(process.env.BENCH_SEED ?? 7);
const dir = process.env.BENCH_DIR!;

(async () => {
  const registries = await startWeihaiScale({
    dir,
    seed,
    households,
    onProgress: (n) => n % 100_000 === 0 && process.stderr.write(`  generated ${n.toLocaleString()} households…\n`),
  });
  const { civilAffairs, health, disability, economicCheck, drops, years, asOf, counts, timings } = registries;
  const line = { civilAffairs: civilAffairs.url, health: health.url, disability: disability.url, economicCheck: economicCheck.url, drops, years, asOf, counts, timings };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  for await (const command of createInterface({ input: process.stdin })) {
    if (command.trim() !== 'advance') continue;
    // `advance` is the simulator's next day (src/simulator/demo.ts)
    const advance = (registries as unknown as { advance?: (o: { share: number }) => Promise<unknown> }).advance;
    const result = advance ? await advance.call(registries, { share: 0.01 }) : { error: 'this simulator cannot advance' };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  await registries.close();
})().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
