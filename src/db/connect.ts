import type { HubConfig } from '../config/config';
import { loadRegions } from '../graph/regions';
import type { Logger } from '../logging/logger';
import { migrate, openDatabase, type Database } from './database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres';
import { DeferredForeignKeyViolated, rebuildLeftDeferred } from './deferredIndexes';
import pg from 'pg';

export interface HubDatabase {
  db: Database;
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

const EMBEDDED_DATABASE = 'weijiu';

/**
 * The database the hub uses: `DATABASE_URL` when given (nothing is started), else an embedded
 * PostgreSQL in WEIJIU_HOME. Migrates and loads the city's regions before anything else runs.
 */
export async function connectHubDatabase(config: HubConfig, log: Logger, opts: { migrate?: boolean } = {}): Promise<HubDatabase> {
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ home: config.home, log: (msg) => log.info(msg) });
    url = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    log.info({ dataDir: embedded.dataDir, port: embedded.port, reused: embedded.reused }, 'embedded PostgreSQL ready');
  }
  let db: Database;
  try {
    db = await openDatabase(url);
    if (opts.migrate !== false) await prepareDatabase(db, config.city, log);
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return {
    db,
    embedded,
    async close() {
      await db.close();
      await embedded?.stop();
    },
  };
}

/** Migrations, then the configured city's regions: what every database of the hub needs first. */
export async function prepareDatabase(db: Database, city: string, log?: Logger): Promise<void> {
  // A first load killed part-way left its tables without some indexes: built before anything
  // else (the migrations included) reads or changes them. A broken foreign key is reported, and
  // the hub starts: the constraint stays, enforced for new rows.
  try {
    const rebuilt = await rebuildLeftDeferred(db.url);
    if (rebuilt) log?.info(rebuilt, 'indexes and foreign keys of an interrupted first load built again');
  } catch (e) {
    if (!(e instanceof DeferredForeignKeyViolated)) throw e;
    log?.error({ violations: e.violations }, e.message);
  }
  const applied = await migrate(db);
  if (applied.length) log?.info({ applied }, 'migrations applied');
  const regions = await loadRegions(db.pool, city);
  log?.debug({ regions, city }, 'regions loaded');
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** For tools and test setup: open the database at a URL, prepare it, close it. */
export async function prepareDatabaseAt(url: string, city: string): Promise<void> {
  const db = await openDatabase(url, { poolSize: 1 });
  try {
    await prepareDatabase(db, city);
  } finally {
    await db.close();
  }
}
