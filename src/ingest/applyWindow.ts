import type { Pool } from 'pg';
import { applyBatch, type BatchTarget } from './applyBatch';
import type { PageRange } from './connector';
import type { Delivery, MapResult, SyncCounts } from './types';

/**
 * Applies a stream's batches two at a time, so that PostgreSQL works on both cores while the
 * hub maps the next batch. What stays true:
 * - records of one key are applied in delivery order: a batch that shares a record key with one
 *   in flight waits for it (versions of a household, a row delivered twice);
 * - the final batch of a delivery waits for the others (it ends what the delivery did not hold), and
 *   the next delivery waits for it: it commits alone, with its bookmark in its own transaction;
 * - the stream's bookmark only ever names a prefix of committed batches: it is written after a
 *   commit once every earlier batch has committed too. A crash may leave it a batch or two behind;
 *   the next run reads those again and finds them unchanged;
 * - two transactions that lock the same people in different orders are told so by PostgreSQL
 *   (deadlock): the one it stops is applied again.
 */
export interface MappedBatch {
  results: MapResult[];
  bookmark: unknown;
  delivery?: Delivery;
  pages?: PageRange[];
  skipped?: { records: number; quarantined: number };
  heldKeys?: string[];
}

interface InFlight {
  index: number;
  keys: Set<string>;
  /** the final batch of a delivery */
  last: boolean;
  done: Promise<void>;
}

const DEADLOCK = '40P01';
export const STOPPED = 'stopped before the end (the committed batches are kept)';
const ATTEMPTS = 3;

export class ApplyWindow {
  private readonly inFlight = new Map<number, InFlight>();
  private readonly committed = new Set<number>();
  private readonly bookmarks = new Map<number, unknown>();
  private nextIndex = 0;
  /** every batch below this index has committed */
  private prefix = 0;
  private bookmarkWrites: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly pool: Pool,
    private readonly target: BatchTarget,
    private readonly width: number,
    /** each batch's counts as it commits (not necessarily in delivery order) */
    private readonly onCommitted: (counts: SyncCounts) => Promise<void> | void,
  ) {}

  /** Starts applying a batch once the window has room; rejects with the first failure of any batch. */
  async add(batch: MappedBatch, signal?: AbortSignal): Promise<void> {
    this.throwIfFailed();
    const keys = new Set<string>();
    for (const r of batch.results) if (r.ok) keys.add(r.record.recordKey);
    const last = !!batch.delivery?.last;
    const inFlight = [...this.inFlight.values()];
    const barrier = last || inFlight.some((f) => f.last);
    const mustWaitFor = barrier ? inFlight : inFlight.filter((f) => [...keys].some((k) => f.keys.has(k)));
    await Promise.all(mustWaitFor.map((f) => f.done.catch(() => undefined)));
    // a delivery's last batch writes its bookmark itself: the ones before it are written first
    if (last) await this.bookmarkWrites;
    while (this.inFlight.size >= this.width) await Promise.race([...this.inFlight.values()].map((f) => f.done.catch(() => undefined)));
    this.throwIfFailed();
    // asked to stop while waiting for room: nothing more starts
    if (signal?.aborted) throw new Error(STOPPED);

    const index = this.nextIndex++;
    this.bookmarks.set(index, batch.bookmark);
    const done = this.apply(index, batch).then(
      () => undefined,
      (e) => {
        this.failure ??= e;
        throw e;
      },
    );
    done.catch(() => undefined);
    this.inFlight.set(index, { index, keys, last, done });
    void done.finally(() => this.inFlight.delete(index)).catch(() => undefined);
  }

  /** Waits for every batch in flight and for the bookmark they earned; rejects with the first failure. */
  async finish(): Promise<void> {
    await Promise.all([...this.inFlight.values()].map((f) => f.done.catch(() => undefined)));
    await this.bookmarkWrites;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async apply(index: number, batch: MappedBatch): Promise<void> {
    // One at a time, or a delivery's last batch with every earlier one committed: the bookmark goes
    // in the batch's own transaction. Otherwise it is written once the prefix up to it committed.
    const ownBookmark = this.width === 1 || (!!batch.delivery?.last && this.prefix === index);
    let counts: SyncCounts;
    for (let attempt = 1; ; attempt++) {
      try {
        counts = await applyBatch(this.pool, this.target, {
          results: batch.results,
          bookmark: batch.bookmark,
          delivery: batch.delivery,
          pages: batch.pages,
          skipped: batch.skipped,
          heldKeys: batch.heldKeys,
          advanceBookmark: ownBookmark,
        });
        break;
      } catch (e) {
        // a deadlock rolled the whole batch back: applying it again is safe
        if ((e as { code?: string }).code !== DEADLOCK || attempt >= ATTEMPTS) throw e;
      }
    }
    this.committed.add(index);
    while (this.committed.has(this.prefix)) this.committed.delete(this.prefix++);
    if (ownBookmark) {
      for (const i of [...this.bookmarks.keys()]) if (i <= index) this.bookmarks.delete(i);
    } else this.writeBookmark();
    await this.onCommitted(counts);
  }

  /** The bookmark of the committed prefix, written in order after the commits that earned it. */
  private writeBookmark(): void {
    const upTo = this.prefix - 1;
    if (!this.bookmarks.has(upTo)) return;
    const bookmark = this.bookmarks.get(upTo);
    for (const i of [...this.bookmarks.keys()]) if (i <= upTo) this.bookmarks.delete(i);
    const { connector, stream, syncRunId } = this.target;
    this.bookmarkWrites = this.bookmarkWrites.then(async () => {
      await this.pool.query(
        `insert into connector_bookmark (connector, stream, bookmark, sync_run_id, updated_at) values ($1, $2, $3, $4, now())
         on conflict (connector, stream) do update set bookmark = excluded.bookmark, sync_run_id = excluded.sync_run_id, updated_at = excluded.updated_at`,
        [connector, stream, JSON.stringify(bookmark ?? {}), syncRunId],
      );
    });
    this.bookmarkWrites.catch((e) => (this.failure ??= e));
  }
}
