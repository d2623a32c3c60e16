/**
 * One endpoint's records, sorted once by (updated_at as an instant, record key, delivery order)
 * and serialised once, so a page is a slice and a filter is a binary search — a registry of
 * 100k households must not re-serialise everything for every page.
 */

/** Attached by loadJsonl: the record's line as it was in the file, served byte for byte. */
export const RAW_JSON = Symbol.for('weijiu.simulator.rawJson');

import { BadRequest } from './registryServer';

export { BadRequest };

interface Entry {
  /** epoch milliseconds; -Infinity when the record has no (readable) updated_at */
  time: number;
  key: string;
  /** position in the delivered input: the last tie-breaker, so equal records keep their order */
  order: number;
  json: string;
}

export interface Page {
  bodies: string[];
  nextCursor: string | null;
}

function compare(a: Entry, b: Entry): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.order - b.order;
}

function timeOf(value: unknown): number {
  if (typeof value !== 'string') return -Infinity;
  const time = Date.parse(value);
  return Number.isNaN(time) ? -Infinity : time;
}

export class SortedFeed {
  private readonly entries: Entry[] = [];

  /**
   * @param name tells the cursors of different endpoints apart
   * @param keyField the record key (hh_id, grant_id, reg_id)
   */
  constructor(private readonly name: string, records: Iterable<object>, private readonly keyField: string, private readonly timeField = 'updated_at') {
    this.add(records);
  }

  /** Takes more records (a later delivery: the registry's next day); each follows those given before it. */
  add(records: Iterable<object>): void {
    let order = this.entries.length;
    for (const record of records) {
      const fields = record as Record<string | symbol, unknown>;
      const raw = fields[RAW_JSON];
      const key = fields[this.keyField];
      this.entries.push({
        time: timeOf(fields[this.timeField]),
        key: typeof key === 'string' ? key : key === undefined || key === null ? '' : String(key),
        order: order++,
        json: typeof raw === 'string' ? raw : JSON.stringify(record),
      });
    }
    this.entries.sort(compare);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Each record key's newest version as served (the last in the feed's order), in order of first appearance. */
  newestByKey(): Map<string, string> {
    const newest = new Map<string, string>();
    for (const entry of this.entries) newest.set(entry.key, entry.json);
    return newest;
  }

  /**
   * Up to `limit` records with updated_at ≥ `since` (null: all), after the cursor's record.
   * Throws BadRequest for a cursor that is malformed, of another endpoint, or names no record.
   */
  page(since: number | null, cursor: string | null, limit: number): Page {
    let start = since === null ? 0 : this.firstAtOrAfter(since);
    if (cursor !== null) start = Math.max(start, this.positionOf(cursor) + 1);
    const end = Math.min(start + limit, this.entries.length);
    const bodies: string[] = [];
    for (let i = start; i < end; i++) bodies.push(this.entries[i].json);
    const nextCursor = end < this.entries.length && end > start ? this.cursorFor(this.entries[end - 1]) : null;
    return { bodies, nextCursor };
  }

  private firstAtOrAfter(time: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle].time < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** A cursor names the last record served: (updated_at, key, order), not a bare offset. */
  private cursorFor(entry: Entry): string {
    const time = entry.time === -Infinity ? null : entry.time;
    return Buffer.from(JSON.stringify([1, this.name, time, entry.key, entry.order]), 'utf8').toString('base64url');
  }

  private positionOf(cursor: string): number {
    let decoded: unknown;
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new BadRequest('malformed cursor');
    }
    if (
      !Array.isArray(decoded) ||
      decoded.length !== 5 ||
      decoded[0] !== 1 ||
      decoded[1] !== this.name ||
      !(decoded[2] === null || typeof decoded[2] === 'number') ||
      typeof decoded[3] !== 'string' ||
      !Number.isInteger(decoded[4])
    ) {
      throw new BadRequest('unknown cursor');
    }
    const wanted: Entry = { time: decoded[2] === null ? -Infinity : decoded[2], key: decoded[3], order: decoded[4], json: '' };
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(this.entries[middle], wanted) < 0) low = middle + 1;
      else high = middle;
    }
    if (low >= this.entries.length || compare(this.entries[low], wanted) !== 0) throw new BadRequest('unknown cursor');
    return low;
  }
}
