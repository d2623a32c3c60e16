import path from 'node:path';
import type { Database } from '../../src/db/database';
import { runConnector, type SyncSummary } from '../../src/ingest/syncRunner';
import { connectors } from '../../connectors';
import { startCivilAffairsRegistry } from '../../src/simulator/civilAffairsRegistry';
import { disabilityRegistryOf, economicCheckRegistryOf, healthRegistryOf } from './simulatedRegistries';
import { readJsonl, samplesDir } from './samples';

export const SAMPLE_AS_OF = '2026-10-31';

/**
 * The whole sample set loaded the way the hub loads it: the four API feeds served on loopback,
 * the file drops read from the fixtures, every connector synced once as of the samples' date.
 */
export async function loadSampleSet(db: Database): Promise<SyncSummary[]> {
  const ca = await startCivilAffairsRegistry({
    households: readJsonl('api/civil-affairs/households.jsonl'),
    grants: readJsonl('api/civil-affairs/grants.jsonl'),
    registrations: readJsonl('api/civil-affairs/registries.jsonl'),
  });
  const health = await healthRegistryOf({
    settlements: readJsonl('api/health/settlements.jsonl'),
    deaths: readJsonl('api/health/deaths.jsonl'),
  });
  const disability = await disabilityRegistryOf(readJsonl('api/disability/persons.jsonl'));
  const oracle = await economicCheckRegistryOf(readJsonl('api/economic-check/facts.jsonl'));
  const drop = (name: string) => path.join(samplesDir, 'drop', name);
  const sources: Array<[string, Record<string, unknown>]> = [
    ['civil-affairs', { source: ca.url }],
    ['education', { source: drop('education') }],
    ['health', { source: health.url, years: [2025, 2026] }],
    ['housing', { source: drop('housing') }],
    ['poverty-relief', { source: drop('poverty') }],
    ['disability', { source: disability.url }],
    ['region-stats', { source: drop('region-stats') }],
    // last: its population comes from the others' benefits
    ['economic-check', { source: oracle.url }],
  ];
  const summaries: SyncSummary[] = [];
  try {
    for (const [name, cc] of sources) {
      summaries.push(await runConnector(db, connectors[name], cc as any, { asOf: SAMPLE_AS_OF }));
    }
  } finally {
    await Promise.all([ca.close(), health.close(), disability.close(), oracle.close()]);
  }
  return summaries;
}
