import type { Pool, PoolClient } from 'pg';
import { allFactTableNames, factTableMeta } from '../../graph/entities/factEntities';

/**
 * What a sync changed, as rule subjects: the households and people whose facts it recorded,
 * ended or replaced. A scoped rule run (runRules `scope`) re-evaluates only their findings.
 */
export interface RuleScope {
  /** household.id values */
  households: string[];
  /** person.id values (people with no household included) */
  persons: string[];
}

/**
 * Every fact table that names a household or a person, read from the fact entities when asked (a
 * connector's own fact table is declared when its module loads): a fact table added there is
 * searched here without a word (region_stat names neither: region rules always run whole).
 */
function factTablesNamingSubjects(): ReadonlyArray<{ table: string; person: boolean; household: boolean }> {
  return allFactTableNames()
    .map((table) => factTableMeta(table))
    .filter((m) => m.person || m.household)
    .map((m) => ({ table: m.table, person: !!m.person, household: !!m.household }));
}

/**
 * The subjects the given sync runs touched: the facts recorded from their source records, and —
 * because a changed or withdrawn record retires the fact rows of its earlier versions, which
 * may name another household or person — the facts of every version of those records.
 */
export async function touchedScope(db: Pool | PoolClient, syncRunIds: readonly string[]): Promise<RuleScope> {
  if (!syncRunIds.length) return { households: [], persons: [] };
  const facts = factTablesNamingSubjects().map(
    (t) =>
      `select ${t.household ? 'f.household_id' : 'null::bigint'} as household_id, ${t.person ? 'f.person_id' : 'null::bigint'} as person_id
         from ${t.table} f where f.source_record_id in (select id from versions)`,
  ).join('\n union ');
  const { rows } = await db.query<{ households: string[]; persons: string[] }>(
    `with touched as materialized (
       select distinct sr.feed, sr.stream, sr.record_key from source_record sr where sr.sync_run_id = any($1::bigint[])),
     versions as materialized (
       select v.id from touched t
         join source_record v on v.feed = t.feed and v.stream = t.stream and v.record_key = t.record_key),
     facts as (${facts})
     select coalesce(array_agg(distinct household_id) filter (where household_id is not null), '{}')::text[] as households,
            coalesce(array_agg(distinct person_id) filter (where person_id is not null), '{}')::text[] as persons
       from facts`,
    [syncRunIds],
  );
  return rows[0];
}
