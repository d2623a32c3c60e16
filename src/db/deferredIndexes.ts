import pg from 'pg';
import { maskIdNumbersIn } from '../identity';

/**
 * The indexes and foreign keys a first load into an empty graph dropped (src/ingest/firstLoad.ts),
 * built again from their record in `deferred_index`: when the load ends, and — should the process
 * loading have been killed — at the next sync's start and at every start of the hub, so that no
 * database stays without them for long.
 *
 * Loads and rebuilds share one PostgreSQL advisory lock: every sync holds it shared for as long as
 * it loads, and a deferral or a rebuild needs it exclusively (asked without waiting: whoever cannot
 * have it leaves the rebuild to the last load that ends). Session-level, on a connection of its
 * own, so a process that dies releases it with its connection.
 */
export const LOAD_LOCK = `hashtext('weijiu:first-load'), 0`;

export interface Rebuilt {
  indexes: string[];
  foreignKeys: string[];
  seconds: number;
}

/** A foreign key added again whose validation found rows that break it: the constraint stays, not valid, and its record stays. */
export class DeferredForeignKeyViolated extends Error {
  constructor(readonly violations: Array<{ table: string; name: string; message: string }>) {
    super(
      `the first load's foreign keys were added again but ${violations.length === 1 ? 'one is' : `${violations.length} are`} broken by rows loaded while ` +
        `${violations.length === 1 ? 'it was' : 'they were'} dropped (the constraint is kept, enforced for new rows, not validated; ` +
        `correct the rows, then the next sync or hub start validates it again — deferred_index lists it): ` +
        violations.map((v) => `${v.table}.${v.name}: ${v.message}`).join('; '),
    );
    this.name = 'DeferredForeignKeyViolated';
  }
}

type Client = Pick<pg.ClientBase, 'query'>;

/** True where a deferral is recorded (a load under way, or one killed part-way). */
export async function hasDeferred(client: Client): Promise<boolean> {
  // a database not yet migrated to Migration…20DeferredIndexes has nothing deferred
  const table = await client.query<{ yes: boolean }>(`select to_regclass('public.deferred_index') is not null as yes`);
  if (!table.rows[0]!.yes) return false;
  const { rows } = await client.query<{ yes: boolean }>(`select exists (select 1 from deferred_index) as yes`);
  return rows[0]!.yes;
}

/**
 * Builds every recorded index and adds every recorded foreign key again, validated; each in a
 * transaction of its own with the deletion of its record, so that a rebuild cut short leaves the
 * rest recorded. The caller holds the load lock exclusively. With `url`, a second connection works
 * beside the caller's, a table at a time each, the biggest first (two cores: a big table's index
 * and a small table's are built at once). A foreign key is added NOT VALID and validated after (its
 * validation blocks no writer); one whose validation fails stays so, with its record and what
 * PostgreSQL said, and is reported by throwing DeferredForeignKeyViolated once the others are
 * done. Null when nothing was recorded.
 */
export async function rebuildDeferred(client: Client, opts: { url?: string } = {}): Promise<Rebuilt | null> {
  if (!(await hasDeferred(client))) return null;
  const started = Date.now();
  const { rows } = await client.query<Deferred>(
    `select d.table_name, d.name, d.kind, d.definition from deferred_index d
      order by pg_relation_size(to_regclass(quote_ident(d.table_name))) desc nulls last, d.table_name, d.kind = 'FOREIGN KEY', d.name`,
  );
  const tables: Deferred[][] = [];
  for (const r of rows) {
    const last = tables[tables.length - 1];
    if (last?.[0]!.table_name === r.table_name) last.push(r);
    else tables.push([r]);
  }
  const done: Rebuilt = { indexes: [], foreignKeys: [], seconds: 0 };
  const violations: Array<{ table: string; name: string; message: string }> = [];
  const helper = opts.url && tables.length > 1 ? new pg.Client({ connectionString: opts.url, application_name: 'weijiu-first-load' }) : null;
  try {
    await helper?.connect();
    // Each item's locks are its table's and, for a foreign key, the referenced table's: the
    // references of these tables form no cycle, so two connections can wait on each other's
    // tables but never deadlock.
    const outcomes = await Promise.allSettled(
      [client, ...(helper ? [helper] : [])].map(async (worker) => {
        // a sort in memory rather than on disk: a city's first load builds its indexes in one go
        await worker.query(`set maintenance_work_mem = '256MB'`);
        try {
          for (let items = tables.shift(); items; items = tables.shift()) {
            for (const r of items) await rebuildOne(worker, r, done, violations);
          }
        } finally {
          await worker.query(`reset maintenance_work_mem`).catch(() => undefined);
        }
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    await helper?.end().catch(() => undefined);
  }
  done.seconds = (Date.now() - started) / 1000;
  if (violations.length) throw new DeferredForeignKeyViolated(violations);
  return done;
}

interface Deferred {
  table_name: string;
  name: string;
  kind: string;
  definition: string;
}

async function rebuildOne(client: Client, r: Deferred, done: Rebuilt, violations: Array<{ table: string; name: string; message: string }>): Promise<void> {
  const table = pg.escapeIdentifier(r.table_name);
  const name = pg.escapeIdentifier(r.name);
  if (r.kind === 'INDEX') {
    await inTransaction(client, async () => {
      const exists = await client.query(`select 1 from pg_class where relname = $1 and relkind = 'i' and relnamespace = 'public'::regnamespace`, [r.name]);
      if (!exists.rowCount) await client.query(r.definition);
      await client.query(`delete from deferred_index where table_name = $1 and name = $2`, [r.table_name, r.name]);
    });
    done.indexes.push(r.name);
    return;
  }
  await inTransaction(client, async () => {
    const exists = await client.query(`select 1 from pg_constraint where conname = $1 and conrelid = $2::regclass`, [r.name, r.table_name]);
    if (!exists.rowCount) await client.query(`alter table ${table} add constraint ${name} ${r.definition} not valid`);
  });
  try {
    await inTransaction(client, async () => {
      await client.query(`alter table ${table} validate constraint ${name}`);
      await client.query(`delete from deferred_index where table_name = $1 and name = $2`, [r.table_name, r.name]);
    });
    done.foreignKeys.push(r.name);
  } catch (e) {
    const err = e as { message?: string; detail?: string };
    const message = maskIdNumbersIn([err.message ?? String(e), err.detail].filter(Boolean).join(' — '));
    await client.query(`update deferred_index set violation = $3 where table_name = $1 and name = $2`, [r.table_name, r.name, message]);
    violations.push({ table: r.table_name, name: r.name, message });
  }
}

async function inTransaction(client: Client, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  }
}

/**
 * At the hub's start (before its migrations): builds what a load killed part-way left recorded,
 * unless a load is under way in another process (it builds them when it ends). Null when there
 * was nothing to build or a load holds the lock.
 */
export async function rebuildLeftDeferred(url: string): Promise<Rebuilt | null> {
  const client = new pg.Client({ connectionString: url, application_name: 'weijiu-first-load' });
  await client.connect();
  try {
    if (!(await hasDeferred(client))) return null;
    const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${LOAD_LOCK}) as locked`);
    if (!rows[0]!.locked) return null;
    try {
      return await rebuildDeferred(client, { url });
    } finally {
      await client.query(`select pg_advisory_unlock(${LOAD_LOCK})`).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
