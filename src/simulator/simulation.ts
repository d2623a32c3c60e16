/**
 * One pass over a generated city that feeds every registry at once: the civil-affairs records,
 * the health, disability and economic-check stores (in memory, or spooled to disk for a whole
 * city), and the four file drops — so a city is generated once, whatever serves it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DisabilityData } from './disabilityRegistry';
import { DropWriter, type WrittenDrops } from './drops';
import { EconomicData } from './economicCheckRegistry';
import { HealthData } from './healthRegistry';
import { coverage, generatePopulation, generateRegionStats, type PopulationOptions, type ResolvedOptions, resolveOptions } from './population';
import type { ExpectedInvalid } from './records';
import { RAW_JSON } from './sortedFeed';

/**
 * A record reduced to what the civil-affairs feed sorts by, with its JSON kept as served: a
 * whole city's household versions take a third of the memory as text than as objects.
 */
export interface ServedRecord {
  [field: string]: unknown;
}

function served(record: object, keyField: string): ServedRecord {
  const fields = record as Record<string, unknown>;
  const slim: ServedRecord = { [keyField]: fields[keyField], updated_at: fields.updated_at };
  Object.defineProperty(slim, RAW_JSON, { value: JSON.stringify(record), enumerable: false });
  return slim;
}

export interface SimulationOptions extends PopulationOptions {
  /** where the file drops are written (folders education, housing, poverty, region-stats) */
  dir: string;
  /** keep the API records in files under `dir`/.spool rather than in memory (a whole city); default false */
  spool?: boolean;
  /** called every 10,000 households with the number done */
  onProgress?: (households: number) => void;
}

export interface SimulationCounts {
  households: number;
  people: number;
  civilAffairsHouseholds: number;
  records: Record<string, number>;
}

export interface SimulatedCity {
  /** the civil-affairs records as served (their JSON kept, see ServedRecord) */
  civilAffairs: { households: ServedRecord[]; grants: ServedRecord[]; registrations: ServedRecord[] };
  health: HealthData;
  disability: DisabilityData;
  economic: EconomicData;
  drops: WrittenDrops;
  /** every record made invalid on purpose, in every feed */
  expectedInvalid: ExpectedInvalid[];
  asOf: string;
  /** the settlement years to configure for the health connector */
  healthYears: number[];
  /** the education terms delivered, e.g. 2025-2026_2 and 2026-2027_1 */
  terms: string[];
  counts: SimulationCounts;
  /** the options the city was generated with, defaults filled in */
  options: ResolvedOptions;
  /** Removes the spool files (not the drops). */
  dispose(): void;
}

export async function simulateCity(opts: SimulationOptions): Promise<SimulatedCity> {
  const options = resolveOptions(opts);
  const spoolDir = opts.spool ? join(opts.dir, '.spool') : null;
  if (spoolDir) mkdirSync(spoolDir, { recursive: true });
  const health = new HealthData(spoolDir);
  const disability = new DisabilityData(spoolDir);
  const economic = new EconomicData(spoolDir);
  const drops = new DropWriter(opts.dir, options);
  const civilAffairs = { households: [] as ServedRecord[], grants: [] as ServedRecord[], registrations: [] as ServedRecord[] };
  const expectedInvalid: ExpectedInvalid[] = [];
  const counts: SimulationCounts = { households: 0, people: 0, civilAffairsHouseholds: 0, records: {} };
  const count = (feed: string, n: number) => (counts.records[feed] = (counts.records[feed] ?? 0) + n);

  for (const family of generatePopulation(options)) {
    counts.households += 1;
    counts.people += family.people;
    if (family.households.length > 0) counts.civilAffairsHouseholds += 1;
    for (const record of family.households) civilAffairs.households.push(served(record, 'hh_id'));
    for (const record of family.grants) civilAffairs.grants.push(served(record, 'grant_id'));
    for (const record of family.registrations) civilAffairs.registrations.push(served(record, 'reg_id'));
    for (const entry of family.settlements) health.addSettlement(entry);
    for (const entry of family.deaths) health.addDeath(entry);
    for (const entry of family.disabledPersons) disability.add(entry);
    let facts = 0;
    for (const person of family.economicFacts) {
      economic.add(person);
      facts += person.facts.length;
    }
    drops.add(family);
    expectedInvalid.push(...family.invalid);
    count('civil-affairs/households', family.households.length);
    count('civil-affairs/grants', family.grants.length);
    count('civil-affairs/registries', family.registrations.length);
    count('health/settlements', family.settlements.length);
    count('health/deaths', family.deaths.length);
    count('disability/persons', family.disabledPersons.length);
    count('economic-check/people', family.economicFacts.length);
    count('economic-check/facts', facts);
    count('education/rows', family.studentAid.length);
    count('housing/保障房', family.publicHousing.length);
    count('housing/危房', family.dangerousHouses.length);
    count('poverty-relief/rows', family.poverty.length);
    if (opts.onProgress && counts.households % 10_000 === 0) opts.onProgress(counts.households);
  }
  health.seal();
  disability.seal();
  economic.seal();
  const regionStats = generateRegionStats(options);
  expectedInvalid.push(...regionStats.invalid);
  count('region-stats/rows', regionStats.rows.length);
  const written = await drops.finish(regionStats);
  const covered = coverage(options);

  return {
    civilAffairs, health, disability, economic, drops: written, expectedInvalid, counts,
    asOf: covered.asOf, healthYears: covered.healthYears, terms: covered.terms, options,
    dispose() {
      health.dispose();
      disability.dispose();
      economic.dispose();
      if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
    },
  };
}
