import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { entities } from '../graph/entities';
import { migrations } from '../graph/migrations';
import { countStatementsOf } from './statementCounter';

// Calendar dates stay 'YYYY-MM-DD' strings end to end: a JS Date at local midnight shifts a day
// between UTC and +08:00. Amounts (numeric) and bigints already arrive as strings.
pg.types.setTypeParser(1082, (v: string) => v);

/** The hub's connection to its PostgreSQL: MikroORM for the model, a pg pool for bulk SQL and loaders. */
export interface Database {
  orm: MikroORM;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export async function openDatabase(url: string, opts: { poolSize?: number; debug?: boolean } = {}): Promise<Database> {
  // JIT compiles the big merge statements for longer than they run: the hub's work is many
  // short set-based statements, not long analytics.
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, application_name: 'weijiu', options: '-c jit=off' });
  pool.on('connect', (client) => countStatementsOf(client));
  // An idle client that loses its server (a restart) must not crash the hub.
  pool.on('error', () => undefined);
  const orm = await MikroORM.init({
    clientUrl: url,
    entities,
    discovery: { warnWhenNoEntities: false },
    // No metadata file cache: it would be written into the checkout, and a cache written outside
    // Jest's sandbox breaks discovery inside it (mikro-orm#3783).
    metadataCache: { enabled: false },
    extensions: [Migrator],
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', silent: true },
    pool: {
      min: 0,
      max: 4,
      afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => {
        countStatementsOf(conn);
        done(null, conn);
      },
    },
    allowGlobalContext: false,
    debug: opts.debug ?? false,
  });
  return {
    orm,
    pool,
    url,
    async close() {
      await orm.close(true);
      await pool.end();
    },
  };
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrate(db: Database): Promise<string[]> {
  const applied = await db.orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/** For tools and tests that only need the schema: open, migrate, close. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const db = await openDatabase(url, { poolSize: 1 });
  try {
    return await migrate(db);
  } finally {
    await db.close();
  }
}
