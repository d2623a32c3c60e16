import { MetadataStorage } from '@mikro-orm/core';
import { Client } from 'pg';
// every connector, as the hub loads them: a connector may keep its fact entity in its folder,
// and its migration is checked here like the hub's own
import '../../connectors';
import { openDatabase, type Database } from '../../src/db/database';
import { entities } from '../../src/graph/entities';
import { declaredFactTables, factClassOf } from '../../src/graph/entities/Fact';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { openTestDatabase } from '../support/hubDatabase';

/**
 * Each table is declared once, by its entity; the migrations must build exactly what the entities
 * declare. A new migration is what MikroORM's schema generator writes from the entities' diff, so
 * on a freshly migrated database that diff is empty.
 *
 * Not expressible in an entity, and so outside this comparison: the SQL functions the rules share
 * (weijiu_*), the triggers (audit_event append-only, the access-table notifications, a parameter
 * value's conformity), the tables' fillfactor (source_record, person_observation) and the seeded
 * rows. Each is made by its migration and tested where it is used.
 */
let migrated: Database & { drop(): Promise<void> };
let fromEntities: TestDatabase;
let fromEntitiesDb: Database;

beforeAll(async () => {
  migrated = await openTestDatabase();
  // An empty database, built from nothing but the entities (as a generated migration would build it).
  fromEntities = await createTestDatabase();
  const admin = new Client({ connectionString: fromEntities.url });
  await admin.connect();
  await admin.query('drop schema public cascade; create schema public');
  await admin.end();
  fromEntitiesDb = await openDatabase(fromEntities.url, { poolSize: 1 });
  await fromEntitiesDb.orm.getSchemaGenerator().createSchema({ wrap: false });
});

afterAll(async () => {
  await fromEntitiesDb?.close();
  await fromEntities?.drop();
  await migrated?.drop();
});

test('the schema generator finds nothing to change between the entities and the migrated database', async () => {
  const sql = await migrated.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
  expect(sql.trim()).toBe('');
});

test('every table the migrations make has its entity', async () => {
  const { rows } = await migrated.pool.query<{ table: string }>(
    `select relname as table from pg_class
      where relkind = 'r' and relnamespace = 'public'::regnamespace and relname <> 'mikro_orm_migrations' order by 1`,
  );
  const all = new Set([...entities, ...declaredFactTables().map((t) => factClassOf(t)!)]);
  const declared = [...all].map((cls) => MetadataStorage.getMetadataFromDecorator(cls).tableName).filter(Boolean).sort();
  expect(declared).toEqual(rows.map((r) => r.table));
});

/**
 * MikroORM compares an index written as an expression (partial, descending, an operator class)
 * by its name only, and a check by a loose reading of its text: the database the entities build
 * must have the same columns, constraints and indexes, to the letter, as the migrated one.
 */
test('the entities build the same columns, constraints and indexes as the migrations', async () => {
  const [fromMigrations, built] = await Promise.all([catalogue(migrated.pool), catalogue(fromEntitiesDb.pool)]);
  // The one difference: MikroORM declares a string enum as text whatever its columnType, and person.sex
  // is char(1) (its check compares char(1) values). Changing the column would rewrite the person table
  // and its indexes for nothing.
  const sexAsMigrated: Record<string, string> = {
    'person.sex text not null': 'person.sex character(1) not null',
    "person_sex_check CHECK ((sex = ANY (ARRAY['M'::text, 'F'::text])))": "person_sex_check CHECK ((sex = ANY (ARRAY['M'::bpchar, 'F'::bpchar])))",
  };
  const asMigrated = (line: string) => sexAsMigrated[line] ?? line;
  expect(built.columns.map(asMigrated)).toEqual(fromMigrations.columns);
  expect(built.constraints.map(asMigrated)).toEqual(fromMigrations.constraints);
  expect(built.indexes).toEqual(fromMigrations.indexes);
});

interface Queryable {
  query<R extends object>(sql: string): Promise<{ rows: R[] }>;
}

async function catalogue(db: Queryable) {
  const tables = `select oid from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace and relname <> 'mikro_orm_migrations'`;
  const columns = await db.query<{ line: string }>(
    `select format('%s.%s %s%s%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                   case when a.attnotnull then ' not null' else '' end,
                   coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')) as line
       from pg_attribute a join pg_class c on c.oid = a.attrelid
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid in (${tables}) and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attname`,
  );
  const constraints = await db.query<{ line: string }>(
    `select format('%s %s', k.conname, pg_get_constraintdef(k.oid)) as line
       from pg_constraint k where k.conrelid in (${tables}) and k.contype <> 'n' order by k.conname`,
  );
  const indexes = await db.query<{ line: string }>(
    `select pg_get_indexdef(i.indexrelid) as line from pg_index i where i.indrelid in (${tables})
      order by (select relname from pg_class where oid = i.indexrelid)`,
  );
  const lines = (r: { rows: Array<{ line: string }> }) => r.rows.map((x) => x.line);
  return { columns: lines(columns), constraints: lines(constraints), indexes: lines(indexes) };
}
