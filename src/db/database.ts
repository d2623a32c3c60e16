import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { GraphQLError } from 'graphql';
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
 * The pool API requests read through: every statement runs under PostgreSQL's statement_timeout
 * (set per connection, so no request can hold a connection and a core for longer), and a statement
 * the server cancelled for it rejects with the client-facing error above instead of an internal one.
 * Syncs and rule runs use the Database's own pool, which has no such limit.
 */
export function openRequestPool(url: string, opts: { poolSize: number; statementTimeoutMs: number }): pg.Pool {
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
    connectionString: url,
    max: opts.poolSize,
    Client: RequestClient,
    application_name: 'weijiu-api',
    options: `-c jit=off -c statement_timeout=${opts.statementTimeoutMs}`,
  });
  pool.on('connect', (client) => countStatementsOf(client));
  pool.on('error', () => undefined);
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
