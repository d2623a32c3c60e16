/**
 * Loads a generated city by running bench/ingest.ts in a child process that keeps its database,
 * for the benchmarks that measure something over a loaded graph (rules, the API).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The kept database's URL (null if the ingest did not keep one) and the child's exit code. */
export async function ingestKeepingTheDatabase(serverUrl: string, env: Record<string, string> = {}): Promise<{ url: string | null; code: number }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=640', '-r', '@swc-node/register', path.join(__dirname, 'ingest.ts')],
    { env: { ...process.env, ...env, BENCH_KEEP: '1', DATABASE_URL: serverUrl }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let url: string | null = null;
  for await (const line of createInterface({ input: child.stdout! })) {
    process.stdout.write(`  | ${line}\n`);
    const kept = /^kept the database: (\S+)/.exec(line);
    if (kept) url = kept[1]!;
  }
  const code: number = child.exitCode ?? (await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1))));
  return { url, code };
}
