import type { PoolClient } from 'pg';
import { factTableSpec } from './factTables';
import type { FactRow, FactTableName } from './types';
import { type StageClock, timed } from './stageClock';

/**
 * The set-based merge of one table's facts for a set of record versions: two statements,
 * whatever the number of rows.
 *
 * 1. Retire the current facts of these records that changed, and end those the new version no
 *    longer states (a retired row plus its successor with `valid_to` = the version's date).
 * 2. Insert the facts that have no current row (new ones and the successors of changed ones).
 *
 * A fact that already ended on or before the version's date stays as it is: history.
 */
export interface RecordScope {
  record_key: string;
  version_date: string;
  source_record_id: string;
}

interface MergeSql {
  retire: string;
  insert: string;
  /** records seen for the first time have no current facts to compare with */
  insertNew: string;
}

const cache = new Map<FactTableName, MergeSql>();

function mergeSql(table: FactTableName): MergeSql {
  const cached = cache.get(table);
  if (cached) return cached;
  const spec = factTableSpec(table);
  const business = spec.columns.map(([c]) => c);
  const refs = [...(spec.person ? ['person_id'] : []), ...(spec.household ? ['household_id'] : [])];
  const compared = [...business, ...refs, 'valid_from', 'valid_to'];
  const recordset = [
    'record_key text', 'item_key text', 'valid_from date', 'valid_to date', 'person_id_number text', 'household_head text',
    ...spec.columns.map(([c, t]) => `${c} ${t}`),
  ].join(', ');
  // Ids are resolved by scalar subqueries and the current facts are found by record key: both
  // are index lookups whatever the planner believes about a table that a sync is still filling.
  const resolved = `
    incoming as (select * from jsonb_to_recordset($1::jsonb) as i(${recordset})),
    resolved as (
      select i.*${spec.person ? ', (select p.id from person p where p.id_number = i.person_id_number) as person_id' : ''}${
        spec.household
          ? ', (select h.id from household h where h.head_person_id = (select hp.id from person hp where hp.id_number = i.household_head)) as household_id'
          : ''
      }
        from incoming i),
    scope as (select * from jsonb_to_recordset($2::jsonb) as s(record_key text, version_date date, source_record_id bigint)),
    cur as (
      select f.* from ${table} f
       where f.feed = $3 and f.record_key = any($5::text[]) and f.retired_at is null)`;
  const allColumns = [...business, ...refs, 'feed', 'record_key', 'item_key', 'valid_from', 'valid_to', 'source_record_id', 'recorded_at'];
  const retire = `
    with ${resolved},
    changed as (
      select c.id from cur c join resolved r on r.record_key = c.record_key and r.item_key = c.item_key
       where (${compared.map((c) => `c.${c}`).join(', ')}) is distinct from (${compared.map((c) => `r.${c}`).join(', ')})),
    missing as (
      select c.id, s.version_date, s.source_record_id from cur c join scope s on s.record_key = c.record_key
       where not exists (select 1 from resolved r where r.record_key = c.record_key and r.item_key = c.item_key)
         and (c.valid_to is null or c.valid_to > s.version_date)),
    retired as (
      update ${table} t set retired_at = $4
        from (select id, false as ends, null::date as end_date, null::bigint as end_source from changed
              union all select id, true, version_date, source_record_id from missing) x
       where t.id = x.id
      returning t.*, x.ends, x.end_date, x.end_source),
    ended as (
      insert into ${table} (${allColumns.join(', ')})
      select ${[...business, ...refs, 'feed', 'record_key', 'item_key', 'valid_from'].join(', ')}, end_date, end_source, $4
        from retired where ends
      returning 1)
    select (select count(*) from retired where not ends)::int as changed, (select count(*) from ended)::int as ended`;
  const insert = `
    with ${resolved}
    insert into ${table} (${allColumns.join(', ')})
    select ${[...business, ...refs].map((c) => `r.${c}`).join(', ')}, $3, r.record_key, r.item_key, r.valid_from, r.valid_to, s.source_record_id, $4
      from resolved r join scope s on s.record_key = r.record_key
     where not exists (select 1 from cur c where c.record_key = r.record_key and c.item_key = r.item_key)`;
  const insertNew = `
    with ${resolved}
    insert into ${table} (${allColumns.join(', ')})
    select ${[...business, ...refs].map((c) => `r.${c}`).join(', ')}, $3, r.record_key, r.item_key, r.valid_from, r.valid_to, s.source_record_id, $4
      from resolved r join scope s on s.record_key = r.record_key`;
  const sql = { retire, insert, insertNew };
  cache.set(table, sql);
  return sql;
}

export interface MergeOutcome {
  changed: number;
  ended: number;
  inserted: number;
}

export async function mergeFacts(
  client: PoolClient,
  table: FactTableName,
  feed: string,
  rows: Array<FactRow & { record_key: string }>,
  scope: RecordScope[],
  now: Date,
  /** none of these records had a version before: they can have no facts to retire */
  allNew = false,
  clock?: StageClock,
): Promise<MergeOutcome> {
  const sql = mergeSql(table);
  const params = timed(clock, 'build', () => [JSON.stringify(rows), JSON.stringify(scope), feed, now, scope.map((s) => s.record_key)]);
  const retired = allNew ? { rows: [{ changed: 0, ended: 0 }] } : await client.query<{ changed: number; ended: number }>(sql.retire, params);
  const inserted = rows.length ? await client.query(allNew ? sql.insertNew : sql.insert, params) : { rowCount: 0 };
  return { changed: retired.rows[0].changed, ended: retired.rows[0].ended, inserted: inserted.rowCount ?? 0 };
}
