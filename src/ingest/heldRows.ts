import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { deliveredBytes } from './deliveredContent';

/**
 * The rows a file delivered again holds byte for byte (issue 18): a corrected term file of half a
 * million rows changes a few thousand. A CSV row's source record points at its bytes in the stored
 * delivery it came in; the bytes of the partition's current records, hashed, name their keys. A
 * row of the new file with the same bytes under the same layout (encoding, record delimiter, header
 * line) has the same cells, so the same payload hash: it is unchanged, and is counted and listed as
 * held without being decoded, split, mapped or hashed as a record.
 *
 * A row's cells do not depend on the delivery's terms: the payload hashed is the cells alone, and a
 * delivery of the same partition checks them against the same term or year. What may differ is a
 * mapping that refuses now what it took then (a region code no longer in the directory): such a row
 * stays current until its bytes change, as an API page received again unchanged does.
 */
export class HeldRows {
  /**
   * An open-addressing table of typed arrays, not a Map of strings: half a million rows would
   * otherwise put some 60 MB on the heap. A slot holds an entry's number + 1 (0: empty); an entry
   * is the first 16 bytes of the sha256 of a row's bytes and its record key.
   */
  private slots: Uint32Array = new Uint32Array(1 << 12);
  private digests: Uint32Array = new Uint32Array(4 * 1024);
  /** the record keys, UTF-8, one after another */
  private keys = Buffer.alloc(1 << 16);
  private used = 0;
  private ends: Uint32Array = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(bytes: Buffer, key: string): void {
    const d = digestOf(bytes);
    if (this.find(d) >= 0) return;
    if (this.count === this.ends.length) {
      this.ends = grown(this.ends, this.ends.length * 2);
      this.digests = grown(this.digests, this.digests.length * 2);
    }
    const length = Buffer.byteLength(key);
    if (this.used + length > this.keys.length) {
      const more = Buffer.alloc(Math.max(this.keys.length * 2, this.used + length));
      this.keys.copy(more, 0, 0, this.used);
      this.keys = more;
    }
    this.used += this.keys.write(key, this.used);
    const entry = this.count++;
    this.ends[entry] = this.used;
    for (let w = 0; w < 4; w++) this.digests[4 * entry + w] = d.readUInt32LE(4 * w);
    // at most half full: probes stay short
    if (this.count * 2 > this.slots.length) {
      this.slots = new Uint32Array(this.slots.length * 2);
      for (let e = 0; e < this.count; e++) this.slots[this.freeSlot(this.digests[4 * e]!)] = e + 1;
    } else this.slots[this.freeSlot(this.digests[4 * entry]!)] = entry + 1;
  }

  /** The key of the current record these bytes are, if any. */
  keyOf(bytes: Buffer): string | undefined {
    const entry = this.find(digestOf(bytes));
    if (entry < 0) return undefined;
    return this.keys.toString('utf8', entry === 0 ? 0 : this.ends[entry - 1]!, this.ends[entry]!);
  }

  private find(d: Buffer): number {
    const mask = this.slots.length - 1;
    const w0 = d.readUInt32LE(0);
    const w1 = d.readUInt32LE(4);
    const w2 = d.readUInt32LE(8);
    const w3 = d.readUInt32LE(12);
    for (let at = w0 & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at]!;
      if (slot === 0) return -1;
      const e = 4 * (slot - 1);
      if (this.digests[e] === w0 && this.digests[e + 1] === w1 && this.digests[e + 2] === w2 && this.digests[e + 3] === w3) return slot - 1;
    }
  }

  private freeSlot(w0: number): number {
    const mask = this.slots.length - 1;
    let at = w0 & mask;
    while (this.slots[at] !== 0) at = (at + 1) & mask;
    return at;
  }
}

function grown(values: Uint32Array, size: number): Uint32Array {
  const out = new Uint32Array(size);
  out.set(values);
  return out;
}

/** sha256 of a row's bytes (16 of its bytes are kept: 128 bits, no collision to fear between rows) */
function digestOf(bytes: Buffer): Buffer {
  return crypto.hash('sha256', bytes, 'buffer');
}

/** Current records read per round trip: the partition is read through a cursor, not held as rows. */
const FETCH_ROWS = 20000;

/**
 * The current records of a partition that have stored bytes in a delivery of the given layout, by
 * the digest of those bytes. Each stored delivery is read (and uncompressed) once.
 */
export async function heldRowsOf(
  scope: { pool: Pool; feed: string; stream: string },
  partition: string,
  spans: { layout: string | null; layoutOf(bytes: Buffer): string | null },
): Promise<HeldRows> {
  const held = new HeldRows();
  if (spans.layout === null) return held;
  const client = await scope.pool.connect();
  try {
    await client.query('begin transaction read only');
    await client.query(
      `declare current_rows no scroll cursor for
       select content_id::text, content_offset, content_length, record_key from source_record
        where feed = $1 and stream = $2 and partition = $3 and superseded_at is null and content_id is not null
        order by content_id`,
      [scope.feed, scope.stream, partition],
    );
    let content = null as { id: string; bytes: Buffer | null } | null;
    for (;;) {
      const { rows } = await client.query<[string, number, number, string]>({ text: `fetch ${FETCH_ROWS} from current_rows`, rowMode: 'array' });
      for (const [id, offset, length, key] of rows) {
        if (content?.id !== id) content = { id, bytes: await deliveryOfLayout(client, id, spans) };
        if (content.bytes && offset + length <= content.bytes.length) held.add(content.bytes.subarray(offset, offset + length), key);
      }
      if (rows.length < FETCH_ROWS) break;
    }
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  return held;
}

/** A stored delivery's bytes, where it was read as the new file will be (null: it was not). */
async function deliveryOfLayout(
  client: Pick<PoolClient, 'query'>,
  contentId: string,
  spans: { layout: string | null; layoutOf(bytes: Buffer): string | null },
): Promise<Buffer | null> {
  const bytes = await deliveredBytes(client, contentId);
  return bytes && spans.layoutOf(bytes) === spans.layout ? bytes : null;
}

/** The held keys of two batches gathered into one (the first batch's list is its own: extended in place). */
export function heldKeysJoined(first: string[] | undefined, then: string[] | undefined): string[] | undefined {
  if (!first || !then) return first ?? then;
  for (const k of then) first.push(k);
  return first;
}
