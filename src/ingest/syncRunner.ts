import type { Pool } from 'pg';
import type { Database } from '../db/database';
import type { ConnectorConfig } from '../config/config';
import { maskIdNumbersIn, todayInShanghai } from '../identity';
import { ApplyWindow, STOPPED } from './applyWindow';
import type { Connector, PageRange, RegionDirectory, Stream, StreamBatch } from './connector';
import type { HttpOptions } from './httpClient';
import { addCounts, type SyncCounts, zeroCounts } from './types';
import type { SyncStatus } from '../graph/entities/SyncRun';
import { compareCategories, feedHasBaseline, writeSyncFailedEvent } from '../db/changeLog';
import { performance } from 'node:perf_hooks';
import type { StageClock } from './stageClock';
import { arrayElementSpans, deliveredBytes, deliveredSpanOf, pageOf } from './deliveredContent';
import { heldKeysJoined } from './heldRows';
import { beginLoad, type Load } from './firstLoad';

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
  /** where the time goes, per stage (the benchmark's report): none, no timing */
  clock?: StageClock;
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
  const runId = await startSyncRun(db.pool, connector.name);
  // A feed's first successful sync is its baseline: no events about the facts it brings.
  const hadBaseline = await feedHasBaseline(db.pool, connector.name, runId);
  const regions = await loadRegionDirectory(db);
  let counts = zeroCounts();
  let batches = 0;
  let failure: { error: unknown } | null = null;
  // A first load of an empty graph defers the indexes it does not need (./firstLoad.ts)
  let load: Load | null = null;
  try {
    load = await beginLoad(db, { signal: opts.signal });
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
      const statistics = new GrowingTables(db, stream.factTables);
      const target = { connector: connector.name, stream: stream.name, syncRunId: runId, factTables: stream.factTables, asOf: ctx.asOf, clock: opts.clock };
      const known = await appliedPages(db.pool, connector.name, stream.name);
      const fetched = unchangedPagesSkipped(db.pool, stream.fetch(ctx, bookmark), known, opts.clock);
      const mapped = mappedBatches(stream, gathered(fetched, config.batchSize), regions, opts.clock)[Symbol.asyncIterator]();
      const window = new ApplyWindow(db.pool, target, config.parallelBatches ?? 1, (c) => {
        counts = addCounts(counts, c);
        batches++;
        statistics.after(c.inserted + c.updated);
        opts.onProgress?.({ connector: connector.name, stream: stream.name, counts, batches });
      });
      // The next batch is fetched and mapped while others are applied: the registry, the mapping
      // and PostgreSQL work at the same time.
      // A fetch ahead that fails while batches apply is this run's error when it is awaited, not
      // an unhandled rejection that would end the hub.
      const fetchAhead = () => {
        const p = mapped.next();
        p.catch(() => undefined);
        return p;
      };
      let next = fetchAhead();
      try {
        for (let step = await next; !step.done; step = await next) {
          next = fetchAhead();
          await window.add(step.value, opts.signal);
          if (opts.signal?.aborted) throw new Error(STOPPED);
        }
      } finally {
        // what is in flight commits or fails before the run is closed; a batch fetched ahead is dropped
        const settled = window.finish();
        await settled.catch(() => undefined);
        await next.catch(() => undefined);
        await mapped.return?.(undefined).catch(() => undefined);
        // an analysis still running when the run ends would outlive it
        await statistics.idle();
        await settled;
      }
      await statistics.finish();
    }
  } catch (e) {
    failure = { error: e };
  }
  // The load ends before the run closes: a foreign key that the rows loaded break is this run's error.
  try {
    await load?.end();
  } catch (e) {
    failure = { error: failure ? new Error(`${messageOf(failure.error)}; ${messageOf(e)}`) : e };
  }
  const { status, error } = await finishSyncRun(db.pool, runId, batches, failure, opts.asOf);
  // A comparison that fails changes nothing (its events and the kept sets commit together): the
  // next one, after a sync or the daily one, writes what this one did not. The sync stands.
  if (batches > 0) await compareCategoriesAfterSync(db.pool, opts.asOf ?? todayInShanghai(), !hadBaseline).catch(() => undefined);
  return { connector: connector.name, runId, status, batches, error, seconds: (Date.now() - started) / 1000, ...counts };
}

function messageOf(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

/** The change log's category comparison after a sync that committed something (src/db/changeLog.ts). */
async function compareCategoriesAfterSync(pool: Pool, today: string, baseline: boolean): Promise<void> {
  const { rows } = await pool.query<{ code: string }>(`select code from region where level = 'CITY' order by code limit 1`);
  if (rows[0]) await compareCategories(pool, rows[0].code, today, baseline);
}

/** Opens a run of a connector (RUNNING); every run, scheduled or one-click, is recorded so. */
export async function startSyncRun(pool: Pool, connector: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`insert into sync_run (connector, status) values ($1, 'RUNNING') returning id`, [connector]);
  return rows[0].id;
}

/**
 * Closes a run: SUCCEEDED without a failure; else PARTIAL when a batch committed (the next run
 * resumes after it) or FAILED when none did, with the error's text, ID numbers masked.
 */
export async function finishSyncRun(
  pool: Pool,
  runId: string,
  batches: number,
  failure: { error: unknown } | null,
  /** the day the run was for: its SYNC_FAILED event's business date */
  asOf?: string,
): Promise<{ status: SyncStatus; error: string | null }> {
  const error = failure && maskIdNumbersIn((failure.error as Error)?.message ?? String(failure.error));
  const status: SyncStatus = failure === null ? 'SUCCEEDED' : batches > 0 ? 'PARTIAL' : 'FAILED';
  if (status === 'SUCCEEDED') {
    await pool.query(`update sync_run set status = $2, finished_at = now(), error = $3 where id = $1`, [runId, status, error]);
    return { status, error };
  }
  // The run's close and its SYNC_FAILED event commit together (src/db/changeLog.ts).
  const client = await pool.connect();
  try {
    await client.query('begin');
    const closed = await client.query<{ connector: string }>(
      `update sync_run set status = $2, finished_at = now(), error = $3 where id = $1 returning connector`,
      [runId, status, error],
    );
    if (closed.rows[0]) await writeSyncFailedEvent(client, closed.rows[0].connector, asOf ?? todayInShanghai());
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  return { status, error };
}

/**
 * A first sync fills tables from empty: statistics taken when they were small make the planner
 * scan a whole feed's rows where one record's are wanted, in the sync and in the rules after it.
 * Once a table has been analysed at some size the planner scales its row estimates by the pages
 * it has now, so within a sync a table is analysed again only when it has doubled since its last
 * analysis (and grew by 5,000 rows at least); at the stream's end where it grew by a tenth (and 500)
 * — as autovacuum would, but inside the sync that needs it. At the Weihai scale analysing at every
 * fifth more was a fifth of PostgreSQL's time in a first sync. The analyses run one after another
 * beside the batches, not in their way; the stream's end waits for them.
 */
class GrowingTables {
  private sinceAnalyse = new Map<string, number>();
  private sizeAtAnalyse = new Map<string, number>();
  private pending = 0;
  private readonly tables: string[];
  constructor(
    private readonly db: Database,
    factTables: readonly string[],
  ) {
    this.tables = ['source_record', 'person', 'person_observation', 'household', ...factTables];
  }

  private queue: Promise<void> = Promise.resolve();

  private failure: unknown = null;

  /** Batches commit two at a time: their analyses run one after the other, while the next batches apply. */
  after(rows: number): void {
    this.queue = this.queue.then(() => this.afterBatch(rows)).catch((e) => {
      this.failure ??= e;
    });
  }

  private async afterBatch(rows: number): Promise<void> {
    this.pending += rows;
    if (this.pending < 5000) return;
    for (const t of this.tables) this.sinceAnalyse.set(t, (this.sinceAnalyse.get(t) ?? 0) + this.pending);
    this.pending = 0;
    await this.analyseWhere(1, 5000);
  }

  idle(): Promise<void> {
    return this.queue;
  }

  async finish(): Promise<void> {
    await this.queue;
    if (this.failure !== null) throw this.failure;
    for (const t of this.tables) this.sinceAnalyse.set(t, (this.sinceAnalyse.get(t) ?? 0) + this.pending);
    this.pending = 0;
    await this.analyseWhere(0.1, 500);
  }

  private async analyseWhere(share: number, floor: number): Promise<void> {
    const candidates = this.tables.filter((t) => (this.sinceAnalyse.get(t) ?? 0) > 0);
    if (!candidates.length) return;
    if (candidates.some((t) => !this.sizeAtAnalyse.has(t))) {
      const { rows } = await this.db.pool.query<{ name: string; tuples: number }>(
        `select relname as name, reltuples::float8 as tuples from pg_class where relname = any($1::text[]) and relkind = 'r'`,
        [candidates],
      );
      for (const r of rows) if (!this.sizeAtAnalyse.has(r.name)) this.sizeAtAnalyse.set(r.name, Math.max(0, r.tuples));
    }
    const stale = candidates.filter((t) => this.sinceAnalyse.get(t)! >= Math.max(floor, share * (this.sizeAtAnalyse.get(t) ?? 0)));
    if (!stale.length) return;
    await this.db.pool.query(`analyze ${stale.join(', ')}`);
    for (const t of stale) {
      this.sizeAtAnalyse.set(t, (this.sizeAtAnalyse.get(t) ?? 0) + this.sinceAnalyse.get(t)!);
      this.sinceAnalyse.set(t, 0);
    }
  }
}

/**
 * Consecutive pages or file chunks gathered into batches of at least `size` records (one
 * delivery per batch), so that each transaction carries enough rows to be worth its statements.
 * Without a size every page is its own batch.
 */
export async function* gathered(batches: AsyncIterable<StreamBatch>, size: number | undefined): AsyncGenerator<StreamBatch> {
  if (!size) {
    yield* batches;
    return;
  }
  let pending: StreamBatch | null = null;
  for await (const b of batches) {
    if (pending && pending.delivery?.id === b.delivery?.id && pending.records.length < size) {
      const shift = pending.records.length;
      const pages: PageRange[] = [...(pending.pages ?? []), ...(b.pages ?? []).map((p) => ({ ...p, from: p.from + shift, to: p.to + shift }))];
      const skipped: StreamBatch['skipped'] = pending.skipped || b.skipped
        ? { records: (pending.skipped?.records ?? 0) + (b.skipped?.records ?? 0), quarantined: (pending.skipped?.quarantined ?? 0) + (b.skipped?.quarantined ?? 0) }
        : undefined;
      pending = {
        records: pending.records.concat(b.records),
        locations: pending.locations || b.locations ? [...(pending.locations ?? pending.records.map(() => '')), ...(b.locations ?? b.records.map(() => ''))] : undefined,
        bookmark: b.bookmark,
        delivery: b.delivery,
        ...(pages.length ? { pages } : {}),
        ...(skipped ? { skipped } : {}),
        ...(pending.heldKeys || b.heldKeys ? { heldKeys: heldKeysJoined(pending.heldKeys, b.heldKeys) } : {}),
      };
      continue;
    }
    if (pending) yield pending;
    pending = b;
  }
  if (pending) yield pending;
}

interface AppliedPage {
  hex: string;
  contentId: string;
  records: number;
  quarantined: number[];
}

/** The pages of a stream as last applied, by address. */
async function appliedPages(pool: Pool, feed: string, stream: string): Promise<Map<string, AppliedPage>> {
  const { rows } = await pool.query<AppliedPage & { address: string }>(
    `select p.address, encode(d.sha256, 'hex') as hex, p.content_id as "contentId", p.records, p.quarantined
       from delivered_page p join delivery_content d on d.id = p.content_id
      where p.feed = $1 and p.stream = $2`,
    [feed, stream],
  );
  return new Map(rows.map((r) => [r.address, r]));
}

/**
 * An API page received again at the same address with the same bytes as when it was last applied
 * is not mapped, hashed or sent to PostgreSQL: its records were applied then, and an API record
 * sent again unchanged changes nothing (a settlement year read whole every night). Of a page that
 * changed, the records whose bytes were in the page applied there last (and were not quarantined)
 * are left out the same way: a snapshot page with one corrected settlement sends that one. What is
 * left out still counts as read (and as unchanged or quarantined as it was); the bookmark moves.
 */
async function* unchangedPagesSkipped(
  pool: Pool,
  batches: AsyncIterable<StreamBatch>,
  known: Map<string, AppliedPage>,
  clock?: StageClock,
): AsyncGenerator<StreamBatch> {
  for await (const b of batches) {
    const page = pageOf(b.records);
    if (!page?.address || b.delivery) {
      yield b;
      continue;
    }
    const total = b.records.length;
    const before = known.get(page.address);
    if (before && before.hex === page.content.hex && before.records === total) {
      if (clock) clock.skipped += total;
      yield { records: [], bookmark: b.bookmark, skipped: { records: total, quarantined: before.quarantined.length } };
      continue;
    }
    const range = { address: page.address, content: page.content, from: 0, to: total, total };
    const applied = before ? await appliedRecords(pool, before, page.key) : null;
    if (!applied) {
      yield { ...b, pages: [range] };
      continue;
    }
    const records: unknown[] = [];
    const places: number[] = [];
    b.records.forEach((r, place) => {
      const span = deliveredSpanOf(r);
      if (span && applied.has(span.content.bytes.toString('latin1', span.offset, span.offset + span.length))) return;
      records.push(r);
      places.push(place);
    });
    const left = total - records.length;
    if (clock) clock.skipped += left;
    yield {
      records,
      bookmark: b.bookmark,
      pages: [{ ...range, to: records.length, places }],
      ...(left ? { skipped: { records: left, quarantined: 0 } } : {}),
    };
  }
}

/** The records (their bytes) a page held when it was last applied, but those quarantined then. */
async function appliedRecords(pool: Pool, page: AppliedPage, key: string): Promise<Set<string> | null> {
  const bytes = await deliveredBytes(pool, page.contentId);
  const spans = bytes && arrayElementSpans(bytes, key);
  if (!bytes || !spans || spans.length !== page.records) return null;
  const refused = new Set(page.quarantined);
  const out = new Set<string>();
  spans.forEach(([offset, length], place) => {
    if (!refused.has(place)) out.add(bytes.toString('latin1', offset, offset + length));
  });
  return out;
}

async function* mappedBatches(stream: Stream, batches: AsyncIterable<StreamBatch>, regions: RegionDirectory, clock?: StageClock) {
  const source = batches[Symbol.asyncIterator]();
  try {
    for (;;) {
      const fetchStart = performance.now();
      const step = await source.next();
      if (clock) clock.ms.fetch += performance.now() - fetchStart;
      if (step.done) return;
      const batch = step.value;
      const mapStart = performance.now();
      const results = batch.records.map((raw, i) => stream.map(raw, { regions, location: batch.locations?.[i] }));
      if (clock) {
        clock.ms.map += performance.now() - mapStart;
        clock.records += batch.records.length;
        clock.skipped += batch.heldKeys?.length ?? 0;
      }
      yield { ...batch, results };
    }
  } finally {
    // a run that stops early closes the stream's fetch (its file, its requests)
    await source.return?.(undefined);
  }
}

/** One line per run, for the command line and the log. */
export function formatSummary(s: SyncSummary): string {
  const base = `${s.connector}: ${s.status} in ${s.seconds.toFixed(1)} s — read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, ended ${s.ended}, quarantined ${s.quarantined}`;
  return s.error ? `${base}\n  error: ${s.error}` : base;
}
