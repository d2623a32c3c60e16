import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { PoolClient } from 'pg';

/**
 * What a registry delivered, kept once as delivered (issue 18): a file or an API page, named by
 * the sha256 of its bytes, with each record's place in it. The readers (CSV table, API pages) tell
 * which bytes each record object came from; ingest stores the delivery once and the record's
 * offset and length instead of a payload per record (table delivery_content).
 *
 * The record objects are the connectors' own (an API row, a CSV row's cells): their place is kept
 * beside them (weak maps), so no connector has to pass it on and a record without one is stored
 * with its payload as before.
 */
export class Delivered {
  readonly sha256: Buffer;
  private gzipped: Promise<Buffer> | null = null;
  constructor(
    /** the file name, or the page's request path and query */
    readonly name: string,
    readonly bytes: Buffer,
    sha256?: Buffer,
  ) {
    this.sha256 = sha256 ?? crypto.createHash('sha256').update(bytes).digest();
  }

  get hex(): string {
    return this.sha256.toString('hex');
  }

  /** compressed off the main thread (zlib's pool), once */
  gzip(): Promise<Buffer> {
    this.gzipped ??= gzipAsync(this.bytes, { level: 4 });
    return this.gzipped;
  }
}

const gzipAsync = promisify(zlib.gzip);
const gunzipAsync = promisify(zlib.gunzip);

export interface DeliveredSpan {
  content: Delivered;
  offset: number;
  length: number;
}

const spans = new WeakMap<object, DeliveredSpan | PagePlace>();

/** A record's place in an API page whose element spans are found when first asked for. */
interface PagePlace {
  page: LazySpans;
  index: number;
}

interface LazySpans {
  content: Delivered;
  key: string;
  count: number;
  spans?: Array<[number, number]> | null;
}

/** Records that `record` is these bytes of `content`. */
export function markDelivered(record: unknown, content: Delivered, offset: number, length: number): void {
  if (record !== null && typeof record === 'object') spans.set(record, { content, offset, length });
}

export function deliveredSpanOf(record: unknown): DeliveredSpan | undefined {
  const found = record !== null && typeof record === 'object' ? spans.get(record) : undefined;
  if (!found || !('page' in found)) return found;
  const page = found.page;
  // a page left out as delivered before is never scanned
  if (page.spans === undefined) {
    const at = arrayElementSpans(page.content.bytes, page.key);
    page.spans = at && at.length === page.count ? at : null;
  }
  const span = page.spans?.[found.index];
  return span ? { content: page.content, offset: span[0], length: span[1] } : undefined;
}

/** An API page: its bytes and, for pages with a stable address, that address. */
export interface DeliveredPageOf {
  content: Delivered;
  /** the member of the body holding the records */
  key: string;
  /** the request path and query; null where a page's address is not its identity (cursor, token) */
  address: string | null;
}

const pages = new WeakMap<object, DeliveredPageOf>();

/** Marks the records array of a page (connectors hand the same array on in their batches). */
export function markPage(records: unknown[], page: DeliveredPageOf): void {
  pages.set(records, page);
}

export function pageOf(records: unknown[]): DeliveredPageOf | undefined {
  return pages.get(records);
}

/**
 * The byte spans of the elements of the top-level member `key` (an array) of a JSON object, or
 * null when the body is not shaped so. Only ASCII bytes are structural in JSON and UTF-8 never
 * puts an ASCII byte inside a multi-byte character, so the bytes are scanned as they are.
 */
export function arrayElementSpans(bytes: Buffer, key: string): Array<[number, number]> | null {
  const n = bytes.length;
  let i = 0;
  const ws = () => {
    while (i < n) {
      const b = bytes[i]!;
      if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) i++;
      else break;
    }
  };
  const skipString = () => {
    // at the opening quote
    i++;
    while (i < n) {
      const b = bytes[i]!;
      if (b === 0x5c) i += 2;
      else if (b === 0x22) {
        i++;
        return;
      } else i++;
    }
  };
  const skipValue = () => {
    const b = bytes[i];
    if (b === 0x22) return skipString();
    if (b === 0x7b || b === 0x5b) {
      let depth = 0;
      while (i < n) {
        const c = bytes[i]!;
        if (c === 0x22) {
          skipString();
          continue;
        }
        if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            i++;
            return;
          }
        }
        i++;
      }
      return;
    }
    while (i < n) {
      const c = bytes[i]!;
      if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return;
      i++;
    }
  };
  ws();
  if (bytes[i] !== 0x7b) return null;
  i++;
  for (;;) {
    ws();
    if (i >= n || bytes[i] === 0x7d) return null;
    if (bytes[i] !== 0x22) return null;
    const keyStart = i;
    skipString();
    const name = JSON.parse(bytes.toString('utf8', keyStart, i)) as string;
    ws();
    if (bytes[i] !== 0x3a) return null;
    i++;
    ws();
    if (name === key) {
      if (bytes[i] !== 0x5b) return null;
      i++;
      const out: Array<[number, number]> = [];
      for (;;) {
        ws();
        if (i >= n) return null;
        if (bytes[i] === 0x5d) return out;
        const start = i;
        skipValue();
        out.push([start, i - start]);
        ws();
        if (bytes[i] === 0x2c) i++;
      }
    }
    skipValue();
    ws();
    if (bytes[i] === 0x2c) i++;
  }
}

/**
 * An API page as received: its body parsed, and each element of its `key` array marked with its
 * bytes in the page (when the elements are objects and the body is shaped as expected).
 */
export function deliveredPage<T>(bytes: Buffer, key: string, name: string, address: string | null): { body: T; page: DeliveredPageOf } {
  const body = JSON.parse(bytes.toString('utf8')) as T;
  const content = new Delivered(name, bytes);
  const page = { content, key, address };
  const rows = (body as Record<string, unknown> | null)?.[key];
  if (Array.isArray(rows)) {
    markPage(rows, page);
    const lazy: LazySpans = { content, key, count: rows.length };
    rows.forEach((r, index) => {
      if (r !== null && typeof r === 'object') spans.set(r, { page: lazy, index });
    });
  }
  return { body, page };
}

/**
 * The deliveries a batch's records point into, stored once (inside the batch's transaction, so
 * that they commit with the records): their ids by sha256 (hex).
 */
export async function storeDeliveries(client: PoolClient, contents: Delivered[], syncRunId: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (!contents.length) return ids;
  // in sha256 order: two batches storing the same deliveries wait for each other in the same order
  const unique = [...new Map(contents.map((c) => [c.hex, c])).values()].sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));
  // compressed on zlib's threads while the known ones are looked up
  for (const c of unique) c.gzip().catch(() => undefined);
  const known = await client.query<{ id: string; hex: string }>(
    `select id, encode(sha256, 'hex') as hex from delivery_content where sha256 = any($1::bytea[])`,
    [unique.map((c) => c.sha256)],
  );
  for (const r of known.rows) ids.set(r.hex, r.id);
  const missing = unique.filter((c) => !ids.has(c.hex));
  for (const c of missing) {
    // another batch in flight may store the same bytes at the same moment: whichever commits first
    // keeps them, the other finds them
    const inserted = await client.query<{ id: string }>(
      `insert into delivery_content (sha256, name, size, gzip, sync_run_id) values ($1, $2, $3, $4, $5)
       on conflict (sha256) do nothing returning id`,
      [c.sha256, c.name, c.bytes.length, await c.gzip(), syncRunId],
    );
    const id = inserted.rows[0]?.id ?? (await client.query<{ id: string }>(`select id from delivery_content where sha256 = $1`, [c.sha256])).rows[0]?.id;
    if (!id) throw new Error(`delivery ${c.name} could not be stored`);
    ids.set(c.hex, id);
  }
  return ids;
}

/** A source record's bytes as delivered, read back from its stored delivery (null: stored with its payload). */
export async function originalBytes(client: Pick<PoolClient, 'query'>, sourceRecordId: string): Promise<Buffer | null> {
  const { rows } = await client.query<{ gzip: Buffer; content_offset: number; content_length: number }>(
    `select d.gzip, s.content_offset, s.content_length from source_record s join delivery_content d on d.id = s.content_id where s.id = $1`,
    [sourceRecordId],
  );
  const r = rows[0];
  if (!r) return null;
  const bytes = await gunzipAsync(r.gzip);
  return bytes.subarray(r.content_offset, r.content_offset + r.content_length);
}

/** A stored delivery's bytes as delivered. */
export async function deliveredBytes(client: Pick<PoolClient, 'query'>, contentId: string): Promise<Buffer | null> {
  const { rows } = await client.query<{ gzip: Buffer }>(`select gzip from delivery_content where id = $1`, [contentId]);
  return rows[0] ? gunzipAsync(rows[0].gzip) : null;
}
