/**
 * Serialised records kept once, for serving: in memory for a demo, or appended to a file for a
 * whole city (the economic-check oracle alone holds about a gigabyte of JSON at Weihai size), so
 * the process keeps only offsets. A record is read back by its index.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

const FLUSH_BYTES = 4 << 20;

export class RecordStore {
  private readonly texts: string[] | null;
  private readonly fd: number | null;
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;
  private scratch = Buffer.alloc(64 << 10);

  /** @param path a file to spool to; null keeps the records in memory */
  constructor(private readonly path: string | null = null) {
    this.texts = path === null ? [] : null;
    this.fd = path === null ? null : openSync(path, 'w+');
  }

  get size(): number {
    return this.texts ? this.texts.length : this.offsets.length;
  }

  /** Keeps a record; returns its index. */
  append(text: string): number {
    if (this.texts) return this.texts.push(text) - 1;
    const length = Buffer.byteLength(text, 'utf8');
    this.offsets.push(this.written + this.pendingBytes);
    this.lengths.push(length);
    this.pending.push(text);
    this.pendingBytes += length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return this.offsets.length - 1;
  }

  /** Writes what is buffered; records can be read once flushed. */
  flush(): void {
    if (this.fd === null || this.pendingBytes === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, this.written + done);
    this.written += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  get(index: number): string {
    if (this.texts) return this.texts[index];
    const length = this.lengths[index];
    if (this.offsets[index] + length > this.written) this.flush();
    if (length > this.scratch.length) this.scratch = Buffer.alloc(length * 2);
    let done = 0;
    while (done < length) done += readSync(this.fd as number, this.scratch, done, length - done, this.offsets[index] + done);
    return this.scratch.toString('utf8', 0, length);
  }

  /** Closes and removes the spool file. */
  dispose(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    rmSync(this.path as string, { force: true });
  }
}
