import { MetadataStorage } from '@mikro-orm/core';
// every connector, as the hub loads them: a connector may keep its fact entity in its folder
import '../../connectors';
import type { Database } from '../../src/db/database';
import { factClassOf } from '../../src/graph/entities/Fact';
import { allFactTableNames, type FactTableName } from '../../src/graph/entities/factEntities';
import { applyBatch } from '../../src/ingest/applyBatch';
import { factTableSpec } from '../../src/ingest/factTables';
import type { FactRow } from '../../src/ingest/types';
import { clearGraph } from '../../src/rules/cases/ruleCase';
import { touchedScope } from '../../src/rules/engine/touchedScope';
import { openTestDatabase } from '../support/hubDatabase';

/**
 * A fact table is declared once, by its entity: ingest's column specs, the scoped rule run's
 * search for touched people and households, the API's columns and the test helpers' truncate
 * list are read from it. Here the database the migrations built is the judge: every table with
 * the fact columns must be a fact entity, merge through ingest, and be searched by a scoped run.
 */
let db: Database & { drop(): Promise<void> };
/** each table's columns in order, as the migrations made them */
let columnsOf: Map<string, Array<{ column: string; type: string; notNull: boolean }>>;
let migratedFactTables: string[];

const SHARED = ['id', 'feed', 'record_key', 'item_key', 'valid_from', 'valid_to', 'source_record_id', 'recorded_at', 'retired_at'];

beforeAll(async () => {
  db = await openTestDatabase();
  const { rows } = await db.pool.query<{ table: string; column: string; type: string; not_null: boolean }>(
    `select c.relname as table, a.attname as column, format_type(a.atttypid, null) as type, a.attnotnull as not_null
       from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`,
  );
  columnsOf = new Map();
  for (const r of rows) {
    const list = columnsOf.get(r.table) ?? [];
    list.push({ column: r.column, type: r.type, notNull: r.not_null });
    columnsOf.set(r.table, list);
  }
  migratedFactTables = [...columnsOf]
    .filter(([, cols]) => SHARED.every((s) => cols.some((c) => c.column === s)))
    .map(([table]) => table)
    .sort();
});

afterAll(async () => {
  await db?.drop();
});

test('every table with the fact columns is a fact entity, and ingest knows its columns as the migrations made them', () => {
  expect(migratedFactTables.length).toBeGreaterThanOrEqual(12);
  // the hub's own (src/graph/entities/factEntities.ts) and the connectors' (their folders)
  const declared = allFactTableNames();
  expect(declared.map((t) => MetadataStorage.getMetadataFromDecorator(factClassOf(t)!).tableName).sort()).toEqual(migratedFactTables);
  expect([...declared].sort()).toEqual(migratedFactTables);

  const sqlType = (t: string) => ({ 'character varying': 'varchar', character: 'char' })[t] ?? t;
  for (const table of migratedFactTables) {
    const own = columnsOf.get(table)!.filter((c) => !SHARED.includes(c.column) && c.column !== 'person_id' && c.column !== 'household_id');
    const spec = factTableSpec(table);
    expect({ table, columns: spec.columns.map(([name, type]) => `${name} ${type}`) }).toEqual({
      table,
      columns: own.map((c) => `${c.column} ${sqlType(c.type)}`),
    });
  }
});

test('a sync that records a fact in any fact table has a scoped rule run look at the person and household it names', async () => {
  let n = 0;
  for (const table of migratedFactTables) {
    n++;
    const cols = columnsOf.get(table)!;
    const names = (c: string) => cols.some((x) => x.column === c);
    const idNumber = `3710022000010${String(1000 + n)}X`.slice(0, 18);
    const row: FactRow = { item_key: '' };
    if (names('person_id')) row.person_id_number = idNumber;
    if (names('household_id')) row.household_head = idNumber;
    // the columns a row must have (ingest writes every column of the spec), with a value of their type
    for (const c of cols) {
      if (SHARED.includes(c.column) || c.column === 'person_id' || c.column === 'household_id' || !c.notNull) continue;
      row[c.column] = c.column === 'programme_code' ? 'DB' : sampleValue(c.type);
    }
    const { rows } = await db.pool.query<{ id: string }>(`insert into sync_run (connector, status) values ($1, 'RUNNING') returning id`, [`test-${table}`]);
    const syncRunId = rows[0].id;
    await applyBatch(
      db.pool,
      { connector: `test-${table}`, stream: 'facts', syncRunId, factTables: [table as FactTableName] },
      {
        bookmark: {},
        results: [
          {
            ok: true,
            record: {
              recordKey: `r-${table}`,
              versionAt: null,
              versionDate: '2026-01-01',
              deleted: false,
              raw: {},
              persons: [{ idNumber, name: '测试', sex: 'F', birthDate: '1980-01-01', regionCode: '371002' }],
              households: names('household_id') ? [idNumber] : [],
              facts: { [table]: [row] },
            },
          },
        ],
      },
    );
    const stored = await db.pool.query<{ person_id: string | null; household_id: string | null }>(
      `select ${names('person_id') ? 'person_id' : 'null'} as person_id, ${names('household_id') ? 'household_id' : 'null'} as household_id
         from ${table} where feed = $1 and retired_at is null`,
      [`test-${table}`],
    );
    expect({ table, rows: stored.rows.length }).toEqual({ table, rows: 1 });
    const scope = await touchedScope(db.pool, [syncRunId]);
    expect({ table, persons: scope.persons, households: scope.households }).toEqual({
      table,
      persons: stored.rows[0].person_id ? [stored.rows[0].person_id] : [],
      households: stored.rows[0].household_id ? [stored.rows[0].household_id] : [],
    });
    if (names('person_id')) expect(stored.rows[0].person_id).not.toBeNull();
    if (names('household_id')) expect(stored.rows[0].household_id).not.toBeNull();
  }
});

test("the rule cases' clearGraph empties what syncs and rule runs recorded, and keeps regions, programmes and parameters", async () => {
  await db.pool.query(`insert into rule_run (as_of, status) values ('2026-01-01', 'SUCCEEDED')`);
  await clearGraph(db);
  const counts = async (tables: string[]) =>
    Object.fromEntries(
      await Promise.all(tables.map(async (t) => [t, Number((await db.pool.query(`select count(*) from ${t}`)).rows[0].count)] as const)),
    );
  const recorded = [...migratedFactTables, 'sync_run', 'source_record', 'person', 'person_observation', 'household', 'rule_run', 'finding'];
  expect(Object.values(await counts(recorded)).every((c) => c === 0)).toBe(true);
  const kept = await counts(['region', 'programme', 'parameter']);
  expect(Object.values(kept).every((c) => c > 0)).toBe(true);
});

function sampleValue(type: string): unknown {
  switch (type) {
    case 'smallint':
    case 'integer':
    case 'numeric':
      return 1;
    case 'date':
      return '2026-01-01';
    case 'boolean':
      return false;
    case 'jsonb':
      return {};
    case 'character varying':
      return '10';
    default:
      return 'x';
  }
}
