import type { Pool } from 'pg';
import { applyBatch } from '../../src/ingest/applyBatch';
import type { HttpOptions } from '../../src/ingest/httpClient';
import { finishSyncRun, startSyncRun } from '../../src/ingest/syncRunner';
import { factsStream, mapEconomicFact } from './facts';
import { askOracle, batchesOf } from './oracle';

/** A fact the one-click check loaded. */
export interface EconomicFact {
  idNumber: string;
  source: string;
  item: string;
  value: string | null;
  unit: string | null;
  asOf: string;
}

/**
 * The members to check: the current members of the civil-affairs record; a household known only
 * from the poverty-relief ledger, its current members there; always the head.
 */
const MEMBERS_SQL = `
  with ca as (
    select m.person_id from membership m where m.household_id = $1 and m.retired_at is null and m.valid_to is null),
  pr as (
    select r.person_id from poverty_record r
     where r.household_id = $1 and r.retired_at is null and r.valid_to is null and not exists (select 1 from ca))
  select p.id_number from person p
   where p.id in (select person_id from ca union select person_id from pr union select head_person_id from household where id = $1)
   order by p.id`;

/** the regions are not read by the economic-fact mapper */
const NO_REGIONS = { has: () => false };

/**
 * 一键核对 one-click verification of one household: asks the oracle about its current members
 * now, loads the answers as the nightly check does (same connector, stream and record keys, so
 * the nightly run finds them unchanged) and returns the facts it loaded. Recorded as a sync run of
 * economic-check; the nightly run's bookmark is left as it was.
 */
export async function checkHousehold(pool: Pool, householdId: string | number, source: string, http: HttpOptions = {}): Promise<EconomicFact[]> {
  const known = await pool.query('select 1 from household where id = $1', [householdId]);
  if (!known.rowCount) throw new Error(`economic-check: no household ${householdId}`);
  const members = (await pool.query<{ id_number: string }>(MEMBERS_SQL, [householdId])).rows.map((r) => r.id_number);
  const runId = await startSyncRun(pool, 'economic-check');
  const loaded: EconomicFact[] = [];
  let batches = 0;
  try {
    for (const ids of batchesOf(members)) {
      const answer = await askOracle(source, ids, http);
      const results = answer.results.map((raw) => mapEconomicFact(raw, { regions: NO_REGIONS }));
      const saved = await pool.query<{ bookmark: unknown }>(
        `select bookmark from connector_bookmark where connector = 'economic-check' and stream = $1`,
        [factsStream.name],
      );
      await applyBatch(pool, { connector: 'economic-check', stream: factsStream.name, syncRunId: runId, factTables: factsStream.factTables }, {
        results,
        bookmark: saved.rows[0]?.bookmark ?? {},
      });
      batches++;
      for (const r of results) {
        if (!r.ok) continue;
        const f = r.record.facts.economic_fact![0];
        loaded.push({
          idNumber: f.person_id_number!,
          source: f.source as string,
          item: f.item as string,
          value: f.value as string | null,
          unit: f.unit as string | null,
          asOf: f.as_of as string,
        });
      }
    }
    await finishSyncRun(pool, runId, batches, null);
  } catch (e) {
    await finishSyncRun(pool, runId, batches, { error: e });
    throw e;
  }
  return loaded;
}
