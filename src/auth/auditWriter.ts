/**
 * 审计 Group commit of the audit trail. A commit waits for the disk (an fsync); one per request
 * made the audit row the slowest part of a person lookup. Requests hand their entry to the writer
 * and wait: the writer puts every entry waiting into one statement (src/auth/auditTrail.ts), and
 * while that commit is in flight the next requests' entries queue up for the following one — so
 * under load many rows share a commit, and alone a request waits for its own commit only.
 *
 * A request's `write` resolves once the statement holding its row has committed, never earlier:
 * the audit plugin lets the answer leave only then, so an answered request's row survives a crash
 * of the hub. If the statement fails, no row of its batch exists and every entry of it rejects
 * (the plugin withholds those answers).
 */
import pg, { type Pool } from 'pg';
import { housekeeping } from '../db/statementCounter';
import { recordAuditEvents, type AuditEntry } from './auditTrail';

/** Rows one statement writes at most: a flood of requests becomes several commits of a bounded size, not one huge JSON parameter. */
export const AUDIT_BATCH_MAX = 200;

interface Waiting {
  entry: AuditEntry;
  settle(error: unknown): void;
}

/** What the writer has done since it started, for /metrics (src/server/metrics.ts). */
export interface AuditWriterCounts {
  rows: number;
  commits: number;
  failedBatches: number;
}

export class AuditWriter {
  private queue: Waiting[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly done: AuditWriterCounts = { rows: 0, commits: 0, failedBatches: 0 };

  /** Writes go through the hub's main pool, where a burst of API reads (their own pool) cannot hold them up. */
  constructor(
    private readonly pool: Pool,
    private readonly maxBatch = AUDIT_BATCH_MAX,
  ) {}

  /** Resolves when the entry's row is committed; rejects when its batch could not be written. */
  write(entry: AuditEntry): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the audit writer is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      this.flushing ??= this.flush();
    });
  }

  counts(): AuditWriterCounts {
    return { ...this.done };
  }

  /** No more entries; resolves when every entry already given is committed (or has failed). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
  }

  private async flush(): Promise<void> {
    // requests answered in the same turn of the event loop share the first statement too
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      let error: unknown;
      try {
        await this.insert(batch.map((w) => w.entry));
        this.done.rows += batch.length;
        this.done.commits++;
      } catch (e) {
        error = e ?? new Error('audit batch not written');
        this.done.failedBatches++;
      }
      for (const w of batch) w.settle(error);
    }
    this.flushing = null;
  }

  private async insert(entries: AuditEntry[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      // one statement in autocommit: one commit, whose acknowledgement means the rows are durable;
      // written for requests already answered by the API, so not counted as theirs
      await recordAuditEvents(housekeeping(client), entries);
      client.release();
    } catch (e) {
      // a server's refusal leaves the connection usable; anything else (a lost socket) discards it
      client.release(e instanceof pg.DatabaseError ? undefined : (e as Error));
      throw e;
    }
  }
}
