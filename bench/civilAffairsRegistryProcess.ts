/**
 * The simulated civil-affairs registry in a process of its own, so that the benchmark measures
 * the hub's memory and CPU, not the simulator's. Prints its URL on stdout, then serves until killed.
 */
import { generateGrants, generateHouseholds, generateRegistrations } from '../src/simulator/population';
import { startCivilAffairsRegistry } from '../src/simulator/civilAffairsRegistry';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const seed = Number(process.env.BENCH_SEED ?? 7);

(async () => {
  // every generated household an assisted one: this feed is the civil-affairs roll
  const opts = { seed, households, assistedShare: 1 };
  const registry = await startCivilAffairsRegistry({
    households: generateHouseholds(opts),
    grants: generateGrants(opts),
    registrations: generateRegistrations(opts),
  });
  process.stdout.write(`${JSON.stringify({ url: registry.url })}\n`);
})();
