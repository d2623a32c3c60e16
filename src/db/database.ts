import 'reflect-metadata';
import { knex, MikroORM, PostgreSqlKnexDialect, type EntityManager, type Knex } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { entities } from '../graph/entities';
import { declaredFactTables, factClassOf } from '../graph/entities/Fact';
import { migrations } from '../graph/migrations';
import { countStatementsOf } from './statementCounter';

// Calendar dates stay 'YYYY-MM-DD' strings end to end: a JS Date at local midnight shifts a day
// between UTC and +08:00. Amounts (numeric) and bigints already arrive as strings.
pg.types.setTypeParser(1082, (v: string) => v);

/**
 * The main pool's connections unless told otherwise: the schedules' syncs (a few batches in flight
 * each), a rule run, and the ORM's writes at once; more would only queue on 2 cores.
 */
export const MAIN_POOL_SIZE = 10;

/** What operators see in pg_stat_activity for each of the hub's pools. */
export const APPLICATION_NAME = { main: 'weijiu', api: 'weijiu-api' } as const;

/**
 * The hub's connection to its PostgreSQL: one pool per process, shared by the SQL (bulk ingest,
 * rule runs, loaders) and MikroORM (the low-volume writes: reviews, tokens, parameters).
 */
export interface Database {
  orm: MikroORM;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

/** The ORM whose statements run on a pool's connections, by pool: see entityManagerFor. */
const ormOfPool = new WeakMap<pg.Pool, MikroORM>();

/**
 * A fresh EntityManager for writes asked for through this pool: the one of the ORM opened on it
 * (openDatabase), or on the database an API pool was opened beside (openApiPool), so that callers
 * holding only a pool need not carry the ORM as well.
 */
export function entityManagerFor(pool: pg.Pool): EntityManager {
  const orm = ormOfPool.get(pool);
  if (!orm) throw new Error('this pool was not opened by openDatabase or openApiPool: it has no EntityManager');
  return orm.em.fork();
}

/**
 * A knex client that borrows its connections from the pool, one per query or transaction, and
 * gives them back at once: MikroORM 6 runs everything through knex, whose own (tarn) pool would be
 * a second set of connections. MikroORM takes a ready knex instance as `driverOptions`.
 */
function knexOnPool(pool: pg.Pool) {
  // A connection lost while the ORM holds it must not crash the process: the statement in flight
  // rejects, and the pool drops the connection when it comes back (it is no longer queryable).
  const lost = () => undefined;
  class PoolDialect extends PostgreSqlKnexDialect {
    async acquireConnection(): Promise<pg.PoolClient> {
      const connection = await pool.connect();
      connection.on('error', lost);
      return connection;
    }
    async releaseConnection(connection: pg.PoolClient): Promise<void> {
      connection.removeListener('error', lost);
      connection.release();
    }
  }
  // No `connection` setting: knex then makes no pool of its own (and destroys none on close).
  return knex({ client: PoolDialect as unknown as typeof Knex.Client });
}

/**
 * The hub's entities and every fact entity declared so far, including those a connector keeps in
 * its folder (connectors sit above the database: the hub and the command line load
 * connectors/index.ts before they open it, which declares them).
 */
function entityList() {
  const list = new Set(entities);
  for (const table of declaredFactTables()) list.add(factClassOf(table)!);
  return [...list];
}

export async function openDatabase(url: string, opts: { poolSize?: number; debug?: boolean } = {}): Promise<Database> {
  // JIT compiles the big merge statements for longer than they run: the hub's work is many
  // short set-based statements, not long analytics.
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? MAIN_POOL_SIZE, application_name: APPLICATION_NAME.main, options: '-c jit=off' });
  pool.on('connect', (client) => countStatementsOf(client));
  // An idle client that loses its server (a restart) must not crash the hub.
  pool.on('error', () => undefined);
  let orm: MikroORM;
  try {
    orm = await MikroORM.init({
      // the database name for the schema tools; the connections come from the pool
      clientUrl: url,
      driverOptions: knexOnPool(pool),
      entities: entityList(),
      discovery: { warnWhenNoEntities: false },
      // No metadata file cache: it would be written into the checkout, and a cache written outside
      // Jest's sandbox breaks discovery inside it (mikro-orm#3783).
      metadataCache: { enabled: false },
      extensions: [Migrator],
      migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', silent: true },
      allowGlobalContext: false,
      debug: opts.debug ?? false,
    });
  } catch (e) {
    await pool.end();
    throw e;
  }
  ormOfPool.set(pool, orm);
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

/** PostgreSQL's code for a statement it cancelled (query_canceled). */
const QUERY_CANCELED = '57014';

/** What a client reads when one statement of its request ran out of time. */
export function statementTimeoutError(timeoutMs: number): GraphQLError {
  const limit = timeoutMs >= 1000 ? `${Number((timeoutMs / 1000).toFixed(1))} s` : `${timeoutMs} ms`;
  return new GraphQLError(
    `The request took longer than ${limit}, the time one of its database statements may take: ask for less (a smaller region, fewer levels of children, smaller pages)`,
    { extensions: { code: 'BAD_USER_INPUT', limit: 'statementTimeoutMs', timeoutMs } },
  );
}

function isStatementTimeout(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === QUERY_CANCELED && typeof e.message === 'string' && e.message.includes('statement timeout');
}

/**
 * The process's second pool, deliberately small (config `database.poolSize`), for API requests:
 * every statement runs under PostgreSQL's statement_timeout (set per connection, so no request can
 * hold a connection and a core for longer), and a statement the server cancelled for it rejects
 * with the client-facing error above instead of an internal one. Syncs, rule runs and the ORM's
 * writes use the Database's pool, which has no such limit; writes asked for through this pool
 * (entityManagerFor) go there too, since a review or a token is not the expensive reading the
 * timeout is for. A timeout per request on the main pool would need one connection and one
 * transaction per request (SET LOCAL), where a request's loaders now read in parallel.
 */
export function openApiPool(db: Database, opts: { poolSize: number; statementTimeoutMs: number }): pg.Pool {
  const timeoutError = () => statementTimeoutError(opts.statementTimeoutMs);
  class RequestClient extends pg.Client {}
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  // Both the promise form (resolvers) and the callback form (pool.query) are translated; a
  // submittable (cursor, COPY stream) reports its own errors.
  (RequestClient.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => (last as (e: unknown, r: unknown) => void)(isStatementTimeout(err) ? timeoutError() : err, res);
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (result instanceof Promise) {
      return result.catch((err: unknown) => {
        throw isStatementTimeout(err) ? timeoutError() : err;
      });
    }
    return result;
  };
  const pool = new pg.Pool({
    connectionString: db.url,
    max: opts.poolSize,
    Client: RequestClient,
    application_name: APPLICATION_NAME.api,
    options: `-c jit=off -c statement_timeout=${opts.statementTimeoutMs}`,
  });
  pool.on('connect', (client) => countStatementsOf(client));
  pool.on('error', () => undefined);
  ormOfPool.set(pool, db.orm);
  return pool;
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

/**
 * What a new migration must do to make this (migrated) database what the entities declare — the
 * hub's own and those of the connectors loaded — by MikroORM's schema generator: statements up,
 * and back down. Empty when the migrations already build every entity. `weijiu migration create`
 * writes them as a migration.
 */
export async function entityDiff(db: Database): Promise<{ up: string[]; down: string[] }> {
  const { up, down } = await db.orm.getSchemaGenerator().getUpdateSchemaMigrationSQL({ wrap: false, safe: false, dropTables: true });
  const statements = (sql: string) =>
    sql
      .split(/;\s*\n/)
      .map((s) => s.trim().replace(/;$/, ''))
      .filter((s) => s && !/^set names/i.test(s));
  return { up: statements(up), down: statements(down) };
}
