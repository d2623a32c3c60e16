import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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
  /** retire, also naming the current facts that stay as they are (json [[record_key, item_key], …]) */
  retireKeeping: string;
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
  const retireSql = (keeping: boolean) => `
    with ${resolved},
    changed as (
      select c.id from cur c join resolved r on r.record_key = c.record_key and r.item_key = c.item_key
       where (${compared.map((c) => `c.${c}`).join(', ')}) is distinct from (${compared.map((c) => `r.${c}`).join(', ')})),
    missing as (
      select c.id, s.version_date, s.source_record_id from cur c join scope s on s.record_key = c.record_key
       where not exists (select 1 from resolved r where r.record_key = c.record_key and r.item_key = c.item_key)
         and (c.valid_to is null or c.valid_to > s.version_date)),${
    keeping
      ? `
    kept as (
      select c.record_key, c.item_key from cur c
       where exists (select 1 from resolved r where r.record_key = c.record_key and r.item_key = c.item_key)
         and not exists (select 1 from changed x where x.id = c.id)),`
      : ''
  }
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
    select (select count(*) from retired where not ends)::int as changed, (select count(*) from ended)::int as ended${
      keeping ? `, (select coalesce(json_agg(json_build_array(k.record_key, k.item_key)), '[]') from kept k) as kept` : ''
    }`;
  const retire = retireSql(false);
  const retireKeeping = retireSql(true);
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
  const sql = { retire, retireKeeping, insert, insertNew };
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

// ---------------------------------------------------------------------------------------------
// COPY: rows the hub has fully resolved go to PostgreSQL in COPY's text format, which it reads
// for a fraction of what a JSON recordset costs (issue 18)

const COPY_ESCAPE = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
export const COPY_NULL = '\\N';

/** A string as one field of COPY's text format. */
export function copyField(value: string): string {
  return COPY_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/** COPYs lines (tab-separated fields, as copyField writes them) into the columns of a table, in the caller's transaction. */
export async function copyInto(client: PoolClient, table: string, columns: readonly string[], lines: string[], clock?: StageClock): Promise<void> {
  if (!lines.length) return;
  // awaited: a client whose statements are timed (timedClient) hands the stream back in a promise
  const stream = await client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  const load = () => pipeline(Readable.from([Buffer.from(`${lines.join('\n')}\n`)]), stream);
  await (clock ? clock.timeAsync('database', load) : load());
}

/** the column types whose COPY text is the value's JSON scalar as jsonb_to_recordset reads it */
const SCALAR_TYPES = new Set(['text', 'varchar', 'char', 'bpchar', 'date', 'timestamptz', 'timestamp', 'numeric', 'integer', 'int', 'int4', 'smallint', 'bigint', 'int8', 'boolean', 'bool', 'jsonb']);

/**
 * A fact value as a COPY field that PostgreSQL reads into the same value as the merge statements'
 * jsonb_to_recordset does; undefined where that is not certain (an object in a scalar column, a
 * number JavaScript writes with an exponent): the caller merges those rows by the statements.
 */
function factField(value: unknown, sqlType: string): string | undefined {
  if (value === null || value === undefined) return COPY_NULL;
  if (sqlType === 'jsonb') return copyField(JSON.stringify(value));
  switch (typeof value) {
    case 'string':
      return copyField(value);
    case 'number': {
      // JSON has no NaN or Infinity: JSON.stringify sends null
      if (!Number.isFinite(value)) return COPY_NULL;
      const s = String(value);
      return s.includes('e') ? undefined : s;
    }
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

export interface ResolvedIds {
  /** source record id by record key */
  sources: Map<string, string>;
  /** person id by ID number: the batch's people and those its facts name */
  persons: Map<string, string>;
  /** household id by its head's ID number */
  households: Map<string, string>;
}

/**
 * The facts of records seen for the first time (no current facts to compare with, as the
 * `insertNew` statement), COPYed straight into their table with ids the batch already resolved
 * (`ids`: the same person and household lookups as the statement's, made earlier in the same
 * transaction). Returns the rows written, or null when a value cannot be written the same way by
 * COPY: nothing is written then, and the caller merges by the statements.
 */
export async function copyNewFacts(
  client: PoolClient,
  table: FactTableName,
  feed: string,
  records: RecordFacts[],
  ids: ResolvedIds,
  now: Date,
  clock?: StageClock,
): Promise<number | null> {
  if (!records.some((r) => r.facts.length)) return 0;
  const lines = factLines(table, feed, records, ids, now, clock);
  if (!lines) return null;
  await copyInto(client, table, factColumns(table), lines.map((l) => l.line), clock);
  return lines.length;
}

/**
 * The merge of records seen before (mergeFacts) whose new facts are COPYed: the retire statement
 * also names the current facts that stay as they are, and every other row is COPYed (what the
 * insert statement would have inserted: the new facts and the successors of changed ones).
 * Null when a value cannot be written the same way by COPY: nothing is written then.
 */
export async function mergeFactsCopying(
  client: PoolClient,
  table: FactTableName,
  feed: string,
  rows: Array<FactRow & { record_key: string }>,
  scope: RecordScope[],
  ids: ResolvedIds,
  now: Date,
  clock?: StageClock,
): Promise<MergeOutcome | null> {
  const lines = factLines(table, feed, rows.map((r) => ({ recordKey: r.record_key, facts: [r] })), ids, now, clock);
  if (!lines) return null;
  const sql = mergeSql(table);
  const params = timed(clock, 'build', () => [JSON.stringify(rows), JSON.stringify(scope), feed, now, scope.map((s) => s.record_key)]);
  const retired = await client.query<{ changed: number; ended: number; kept: Array<[string, string]> }>(sql.retireKeeping, params);
  const { changed, ended, kept } = retired.rows[0]!;
  const stays = new Set(kept.map(([record, item]) => `${record}\u0000${item}`));
  const inserted = stays.size ? lines.filter((l) => !stays.has(l.key)) : lines;
  await copyInto(client, table, factColumns(table), inserted.map((l) => l.line), clock);
  return { changed, ended, inserted: inserted.length };
}

function factColumns(table: FactTableName): string[] {
  const spec = factTableSpec(table);
  return [
    ...spec.columns.map(([c]) => c), ...(spec.person ? ['person_id'] : []), ...(spec.household ? ['household_id'] : []),
    'feed', 'record_key', 'item_key', 'valid_from', 'valid_to', 'source_record_id', 'recorded_at',
  ];
}

/** The facts one record version states in one table. */
export interface RecordFacts {
  recordKey: string;
  facts: readonly FactRow[];
}

/** each fact as a COPY line of factColumns(table), with its record and item key; null: a value COPY cannot write the same */
function factLines(table: FactTableName, feed: string, records: RecordFacts[], ids: ResolvedIds, now: Date, clock?: StageClock): Array<{ line: string; key: string }> | null {
  const spec = factTableSpec(table);
  if (!spec.columns.every(([, t]) => SCALAR_TYPES.has(t))) return null;
  return timed(clock, 'build', () => {
    const recordedAt = now.toISOString();
    const feedField = copyField(feed);
    const out: Array<{ line: string; key: string }> = [];
    for (const { recordKey, facts } of records) {
      const source = ids.sources.get(recordKey);
      // a fact of a record not in the batch has no source: the statements leave it out too
      if (source === undefined) continue;
      const tail = `${feedField}\t${copyField(recordKey)}`;
      for (const r of facts) {
        let line = '';
        for (const [c, t] of spec.columns) {
          const f = factField(r[c], t);
          if (f === undefined) return null;
          line += `${f}\t`;
        }
        if (spec.person) line += `${idField(ids.persons, r.person_id_number)}\t`;
        if (spec.household) line += `${idField(ids.households, r.household_head)}\t`;
        const item = factField(r.item_key, 'text');
        const from = factField(r.valid_from, 'date');
        const to = factField(r.valid_to, 'date');
        if (item === undefined || from === undefined || to === undefined) return null;
        out.push({ line: `${line}${tail}\t${item}\t${from}\t${to}\t${source}\t${recordedAt}`, key: `${recordKey}\u0000${r.item_key == null ? '' : String(r.item_key)}` });
      }
    }
    return out;
  });
}

/** an id looked up by ID number; none (no such person or household) is null, as the statement's lookup */
function idField(ids: Map<string, string>, idNumber: unknown): string {
  return idNumber === null || idNumber === undefined ? COPY_NULL : (ids.get(String(idNumber)) ?? COPY_NULL);
}
