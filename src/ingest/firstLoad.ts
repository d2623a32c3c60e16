import pg from 'pg';
import type { Database } from '../db/database';
import { LOAD_LOCK, rebuildDeferred, type Rebuilt } from '../db/deferredIndexes';
import { allFactTableNames } from '../graph/entities/factEntities';

/**
 * The first load of an empty graph goes into tables without the secondary indexes and foreign
 * keys that its own statements do not need, built again when it ends — as pg_restore does (issue
 * 18): a row then costs its heap and its unique indexes, not five more index entries and a foreign
 * key check per reference.
 *
 * Never dropped: primary keys, unique indexes (one person per ID number, one current version per
 * record key, a fact table's `*_current`, an observation's (person, feed), quarantine's once) —
 * they are what keeps the graph right while it loads, and the load's own lookups read them. The
 * other indexes of these tables are read by the API and the rules, not by the load: the last batch
 * of a file delivery finds its partition's current records through `source_record_current` (same
 * leading columns) as cheaply as through `source_record_partition`.
 *
 * Every sync is a load (begin … end): it holds the load lock (src/db/deferredIndexes.ts) shared for
 * as long as it loads. Only a load that has it exclusively — no other load under way — may defer,
 * and only when the graph has no source record; only when the last load under way ends are the
 * indexes built again. A sync of several connectors (`weijiu sync --all`) is one load around its
 * runs, so that the first load ends after its last connector; the scheduler's runs and other hub
 * processes join the load under way with their own. (Not the connector lock, src/ingest/connectorLock.ts:
 * it is one per connector and says nothing of the others loading; the load lock is one for all, shared
 * or exclusive.) What was dropped is recorded in the same
 * transaction; a load killed part-way leaves the record, and the next load's start (or the hub's,
 * src/db/connect.ts) builds from it.
 */
export const DEFERRED_TABLES = ['source_record', 'person', 'person_observation', 'household', 'quarantined_record'] as const;

/** How long the deferral may wait for its tables (readers of the empty graph): past that, the load goes ahead with its indexes. */
const DEFERRAL_LOCK_TIMEOUT = '5s';

export interface Load {
  /** this load dropped the deferred indexes (it began on an empty graph) */
  readonly deferred: boolean;
  /**
   * Ends the load; when no other is under way, builds what a load deferred (this one's or a
   * killed one's). Null when nothing was built. Throws DeferredForeignKeyViolated when a foreign
   * key added again is broken by rows loaded meanwhile.
   */
  end(): Promise<Rebuilt | null>;
}

/**
 * Begins a load: builds what a killed load left deferred, defers when the graph is empty, then
 * holds the load lock shared until `end()`. Waits (polling, so that a stop still stops it) while
 * another process defers or builds.
 */
export async function beginLoad(db: Pick<Database, 'url'>, opts: { signal?: AbortSignal; pollMs?: number } = {}): Promise<Load> {
  const client = new pg.Client({ connectionString: db.url, application_name: 'weijiu-first-load' });
  await client.connect();
  let deferred = false;
  try {
    const exclusive = (await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${LOAD_LOCK}) as locked`)).rows[0]!.locked;
    if (exclusive) {
      try {
        await rebuildDeferred(client, { url: db.url });
        deferred = await deferWhereEmpty(client);
        await client.query(`select pg_advisory_lock_shared(${LOAD_LOCK})`);
      } finally {
        await client.query(`select pg_advisory_unlock(${LOAD_LOCK})`).catch(() => undefined);
      }
    } else {
      for (;;) {
        const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock_shared(${LOAD_LOCK}) as locked`);
        if (rows[0]!.locked) break;
        if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('stopped');
        await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 200));
      }
    }
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  let ended = false;
  return {
    deferred,
    async end() {
      if (ended) return null;
      ended = true;
      try {
        await client.query(`select pg_advisory_unlock_shared(${LOAD_LOCK})`);
        const last = (await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${LOAD_LOCK}) as locked`)).rows[0]!.locked;
        if (!last) return null;
        try {
          return await rebuildDeferred(client, { url: db.url });
        } finally {
          await client.query(`select pg_advisory_unlock(${LOAD_LOCK})`).catch(() => undefined);
        }
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

/**
 * On an empty graph, in one transaction: records the secondary indexes and the foreign keys of the
 * ingest tables, with their definitions, and drops them. Nothing when a source record exists (the
 * graph is not empty: its indexes serve readers already) or when the tables are busy.
 */
async function deferWhereEmpty(client: pg.Client): Promise<boolean> {
  const tables = [...DEFERRED_TABLES, ...allFactTableNames()];
  await client.query('begin');
  try {
    await client.query(`set local lock_timeout = '${DEFERRAL_LOCK_TIMEOUT}'`);
    const empty = (await client.query<{ yes: boolean }>(`select not exists (select 1 from source_record) as yes`)).rows[0]!.yes;
    if (!empty) {
      await client.query('rollback');
      return false;
    }
    const { rows } = await client.query<{ table_name: string; name: string; kind: string }>(
      `insert into deferred_index (table_name, name, kind, definition)
       select c.relname, ic.relname, 'INDEX', pg_get_indexdef(i.indexrelid)
         from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
        where c.relname = any($1::text[]) and c.relnamespace = 'public'::regnamespace
          and not i.indisunique and not i.indisprimary and not i.indisexclusion
       union all
       select c.relname, k.conname, 'FOREIGN KEY', pg_get_constraintdef(k.oid)
         from pg_constraint k join pg_class c on c.oid = k.conrelid
        where k.contype = 'f' and k.convalidated and c.relname = any($1::text[]) and c.relnamespace = 'public'::regnamespace
       returning table_name, name, kind`,
      [tables],
    );
    // the foreign keys first: none of them needs the indexes, and the drop of an index then waits for nothing of theirs
    for (const r of rows.filter((r) => r.kind === 'FOREIGN KEY')) {
      await client.query(`alter table ${pg.escapeIdentifier(r.table_name)} drop constraint ${pg.escapeIdentifier(r.name)}`);
    }
    for (const r of rows.filter((r) => r.kind === 'INDEX')) await client.query(`drop index ${pg.escapeIdentifier(r.name)}`);
    await client.query('commit');
    return rows.length > 0;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    // busy tables (lock_timeout): the load goes ahead with its indexes
    if ((e as { code?: string }).code === '55P03') return false;
    throw e;
  }
}
