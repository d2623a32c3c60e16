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
 * The members to check: the household's members (rules.md "member": listed in the newest
 * version of its civil-affairs or poverty-relief record, weijiu_household_member), always the head.
 */
const MEMBERS_SQL = `
  select p.id_number from person p
   where p.id in (select m.person_id from weijiu_household_member(array[$1::bigint]) m
                  union select head_person_id from household where id = $1)
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
