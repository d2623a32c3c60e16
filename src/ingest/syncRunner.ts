import type { Database } from '../db/database';
import type { ConnectorConfig } from '../config/config';
import { maskIdNumbersIn, todayInShanghai } from '../identity';
import { applyBatch } from './applyBatch';
import type { Connector, RegionDirectory } from './connector';
import type { HttpOptions } from './httpClient';
import { addCounts, type SyncCounts, zeroCounts } from './types';
import type { SyncStatus } from '../graph/entities/SyncRun';

export interface SyncSummary extends SyncCounts {
  connector: string;
  runId: string;
  status: SyncStatus;
  batches: number;
  error: string | null;
  seconds: number;
}

export interface SyncOptions {
  signal?: AbortSignal;
  /** the day the run is for; default today in Asia/Shanghai */
  asOf?: string;
  http?: HttpOptions;
  onProgress?: (p: { connector: string; stream: string; counts: SyncCounts; batches: number }) => void;
}

export async function loadRegionDirectory(db: Database): Promise<RegionDirectory> {
  const { rows } = await db.pool.query<{ code: string }>('select code from region');
  return new Set(rows.map((r) => r.code));
}

/**
 * Runs one connector once: every stream from its bookmark, batch by batch. A failure keeps what
 * committed (PARTIAL) or nothing (FAILED); the next run resumes after the last committed batch.
 */
export async function runConnector(db: Database, connector: Connector, config: ConnectorConfig, opts: SyncOptions = {}): Promise<SyncSummary> {
  const started = Date.now();
  const { rows } = await db.pool.query<{ id: string }>(`insert into sync_run (connector, status) values ($1, 'RUNNING') returning id`, [
    connector.name,
  ]);
  const runId = rows[0].id;
  const regions = await loadRegionDirectory(db);
  let counts = zeroCounts();
  let batches = 0;
  let error: string | null = null;
  try {
    for (const stream of connector.streams) {
      const saved = await db.pool.query<{ bookmark: unknown }>(
        'select bookmark from connector_bookmark where connector = $1 and stream = $2',
        [connector.name, stream.name],
      );
      const bookmark = saved.rows[0]?.bookmark;
      const ctx = {
        source: config.source,
        config,
        http: { ...opts.http, signal: opts.signal },
        signal: opts.signal,
        pool: db.pool,
        asOf: opts.asOf ?? todayInShanghai(),
      };
      for await (const batch of stream.fetch(ctx, bookmark)) {
        const results = batch.records.map((raw, i) => stream.map(raw, { regions, location: batch.locations?.[i] }));
        const c = await applyBatch(db.pool, { connector: connector.name, stream: stream.name, syncRunId: runId, factTables: stream.factTables }, {
          results,
          bookmark: batch.bookmark,
          delivery: batch.delivery,
        });
        counts = addCounts(counts, c);
        batches++;
        opts.onProgress?.({ connector: connector.name, stream: stream.name, counts, batches });
        if (opts.signal?.aborted) throw new Error('stopped before the end (the committed batches are kept)');
      }
    }
  } catch (e) {
    error = maskIdNumbersIn((e as Error).message ?? String(e));
  }
  const status: SyncStatus = error === null ? 'SUCCEEDED' : batches > 0 ? 'PARTIAL' : 'FAILED';
  await db.pool.query(`update sync_run set status = $2, finished_at = now(), error = $3 where id = $1`, [runId, status, error]);
  return { connector: connector.name, runId, status, batches, error, seconds: (Date.now() - started) / 1000, ...counts };
}

/** One line per run, for the command line and the log. */
export function formatSummary(s: SyncSummary): string {
  const base = `${s.connector}: ${s.status} in ${s.seconds.toFixed(1)} s — read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, ended ${s.ended}, quarantined ${s.quarantined}`;
  return s.error ? `${base}\n  error: ${s.error}` : base;
}
