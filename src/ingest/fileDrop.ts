import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import type { ZodType } from 'zod';
import { parseBusinessDate } from '../identity';
import type { StreamBatch } from './connector';
import { heldRowsOf } from './heldRows';
import { RecordFault } from './recordFields';

/**
 * File drops (文件投递): a department leaves delivery files in a folder; each file is read as a
 * whole, then applied in chunks with the bookmark `{ files: { name: sha1 }, current? }` saved in
 * the same transaction as each chunk. A file already loaded is not loaded again; a file whose
 * content changed under the same name is loaded again; a failed run resumes after the last
 * committed chunk of the file it was loading. A file delivered again leaves out unread the rows
 * that repeat their key's current record byte for byte (./heldRows.ts).
 */

/** A delivery file that cannot be read as a whole (truncated, wrong encoding, missing sheet): nothing of it is applied. */
export class UnreadableFile extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'UnreadableFile';
  }
}

export interface DeliveryFile {
  name: string;
  path: string;
  sha1: string;
  bytes: Buffer;
  /** the file name matched against the stream's name pattern */
  match: RegExpExecArray;
}

/** One data row of a file: where it is (`file:line N`, `file/sheet:row N`) and its cells by header. */
export interface TableRow {
  location: string;
  cells: Record<string, string>;
}

/** The data rows of a checked file, read from the n-th on: a large file is read again a part at a time rather than held whole. */
export interface TableRows {
  readonly count: number;
  /** with `held`: a row it gives a key for is left out unread, as that key (./csvTable.ts) */
  rows(from: number, held?: (index: number) => string | undefined): Iterable<TableRow | HeldRow>;
  /** a file whose rows are spans of its bytes (CSV): a re-delivery's rows can be compared unread */
  spans?: RowSpans;
}

/** A row left out unread: its bytes are those of the current record of this key. */
export interface HeldRow {
  held: string;
}

export interface RowSpans {
  /** what, besides a row's bytes, decides its cells (encoding, header…); null: its rows are not compared unread */
  layout: string | null;
  /** the same of another delivery's bytes */
  layoutOf(bytes: Buffer): string | null;
  /** the n-th data row's bytes as delivered */
  bytesOf(index: number): Buffer | null;
}

function tableRowsOf(read: TableRow[] | TableRows): TableRows {
  if (!Array.isArray(read)) return read;
  return { count: read.length, rows: (from) => read.slice(from) };
}

/** What a file name says of its delivery (feeds.md "deletions"). */
export interface DeliveryTerms {
  /** the term or year the file completely describes; '' = the whole feed */
  partition: string;
  /** full snapshot: the date in the file name, on which absent records end; null: the file replaces its partition */
  endDate: string | null;
}

/** What a file-drop stream hands its mapper: the row as read and the delivery it came in. */
export interface FileRecord {
  cells: Record<string, string>;
  delivery: DeliveryTerms & { file: string };
}

export interface FileDropBookmark {
  /** fully loaded files: name → sha1 of the content loaded */
  files: Record<string, string>;
  /** the file being loaded when the last chunk committed */
  current?: { name: string; sha1: string; rowsDone: number };
}

export interface FileDropSpec {
  /** the delivery file names of the stream, e.g. /^xszz_(\d{4})-(\d{4})_([12])\.csv$/ */
  pattern: RegExp;
  terms(match: RegExpExecArray): DeliveryTerms;
  /** checks the whole file before anything of it is applied (throws UnreadableFile), then hands its rows out */
  read(file: DeliveryFile): Promise<TableRow[] | TableRows> | TableRow[] | TableRows;
  /**
   * Full snapshots: a file dated before the newest one already loaded is not loaded, since it
   * would end records that a newer snapshot still holds.
   */
  snapshots?: boolean;
  /** rows per batch (one transaction each) */
  chunkSize?: number;
  /**
   * A file delivered again: a row whose bytes are those of its key's current record is left out
   * before it is read (./heldRows.ts). `recordKey` is the stream's record key of a row's cells.
   */
  held?: { pool: Pool; feed: string; stream: string; recordKey(cells: Record<string, string>): string };
}

export const DEFAULT_CHUNK_SIZE = 2000;

/** The delivery files of a source (a folder of files, or one file), sorted by name. */
export function listDeliveryFiles(source: string, pattern: RegExp): Array<{ name: string; path: string; match: RegExpExecArray }> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new Error(`file drop not found: ${source}`);
  }
  const candidates = stat.isDirectory()
    ? fs
        .readdirSync(source, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => ({ name: e.name, path: path.join(source, e.name) }))
    : [{ name: path.basename(source), path: source }];
  const files = candidates.flatMap((c) => {
    const match = pattern.exec(c.name);
    return match ? [{ ...c, match }] : [];
  });
  if (!stat.isDirectory() && !files.length) throw new Error(`${source}: not a delivery file of this feed (expected a name like ${pattern.source})`);
  // code-point order: the names carry their term or date in sortable form
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function readBookmark(bookmark: unknown): FileDropBookmark {
  const b = (bookmark && typeof bookmark === 'object' ? bookmark : {}) as Partial<FileDropBookmark>;
  const files = b.files && typeof b.files === 'object' ? { ...b.files } : {};
  const c = b.current;
  const current =
    c && typeof c.name === 'string' && typeof c.sha1 === 'string' && Number.isInteger(c.rowsDone) ? { ...c } : undefined;
  return { files, current };
}

/**
 * The batches of every delivery file not yet loaded, in name order. The delivery id names the
 * content (file name and hash), so that a changed re-delivery under the same name ends or
 * withdraws what the earlier content held and this one no longer does.
 */
export async function* fileDropBatches(source: string, bookmark: unknown, spec: FileDropSpec): AsyncGenerator<StreamBatch> {
  const state = readBookmark(bookmark);
  const chunk = spec.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let appliedThisRun = false;
  for (const entry of listDeliveryFiles(source, spec.pattern)) {
    const bytes = fs.readFileSync(entry.path);
    const sha1 = crypto.createHash('sha1').update(bytes).digest('hex');
    if (state.files[entry.name] === sha1) continue;
    const terms = spec.terms(entry.match);
    if (spec.snapshots && terms.endDate !== null && terms.endDate < newestSnapshot(state.files, spec)) continue;

    const table = tableRowsOf(await spec.read({ ...entry, sha1, bytes }));
    // Resume only where the failed run stopped: once another file has been applied since, the
    // rows committed before no longer belong to this delivery, so it is applied whole again.
    const resumable = !appliedThisRun && state.current?.name === entry.name && state.current.sha1 === sha1;
    const start = resumable && state.current!.rowsDone <= table.count ? state.current!.rowsDone : 0;
    // Only the run's first file is compared unread: an earlier file's batches may still be in flight.
    const held = spec.held && !appliedThisRun && table.spans?.layout ? await heldRowsOf(spec.held, terms.partition, table.spans) : null;
    appliedThisRun = true;
    const delivery = { file: entry.name, ...terms };
    const id = `${entry.name}@${sha1.slice(0, 12)}`;
    // the keys this delivery writes (rows read): a later row with a key's earlier bytes is read too
    const written = new Set<string>();
    const holdAt = held?.size
      ? (i: number) => {
          const bytes = table.spans!.bytesOf(i);
          const key = bytes ? held.keyOf(bytes) : undefined;
          return key !== undefined && !written.has(key) ? key : undefined;
        }
      : undefined;
    const rows = table.rows(start, holdAt)[Symbol.iterator]();
    // an empty file is still a delivery: its one (empty) batch ends what it no longer holds
    for (let from = start; from < table.count || from === start; from += chunk) {
      const to = Math.min(from + chunk, table.count);
      const last = to === table.count;
      const slice: TableRow[] = [];
      const heldKeys: string[] = [];
      for (let i = from; i < to; i++) {
        const r = rows.next().value as TableRow | HeldRow;
        if ('held' in r) heldKeys.push(r.held);
        else {
          if (holdAt) written.add(spec.held!.recordKey(r.cells));
          slice.push(r);
        }
      }
      const next: FileDropBookmark = last
        ? { files: { ...state.files, [entry.name]: sha1 } }
        : { files: state.files, current: { name: entry.name, sha1, rowsDone: to } };
      yield {
        records: slice.map((r): FileRecord => ({ cells: r.cells, delivery })),
        locations: slice.map((r) => r.location),
        delivery: { id, partition: terms.partition, endDate: terms.endDate, last },
        bookmark: next,
        ...(heldKeys.length ? { heldKeys, skipped: { records: heldKeys.length, quarantined: 0 } } : {}),
      };
      state.files = next.files;
      state.current = next.current;
      if (last) break;
    }
  }
}

function newestSnapshot(files: Record<string, string>, spec: FileDropSpec): string {
  let newest = '';
  for (const name of Object.keys(files)) {
    const match = spec.pattern.exec(name);
    const date = match ? spec.terms(match).endDate : null;
    if (date && date > newest) newest = date;
  }
  return newest;
}

/**
 * The cells of a row read through the feed's row contract: a column the row does not have is
 * MISSING_FIELD, a cell beyond the header (a row shifted by a stray separator) is BAD_VALUE.
 */
export function cellsOf<T>(cells: Record<string, string>, contract: ZodType<T>): T {
  for (const key in cells) {
    if (key.startsWith(EXTRA_CELL)) throw new RecordFault('BAD_VALUE', key, cells[key]);
  }
  const parsed = contract.safeParse(cells);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || '(row)';
  const value = cells[field];
  throw new RecordFault(value === undefined ? 'MISSING_FIELD' : 'BAD_VALUE', field, value);
}

/** Cells beyond the header are named `(column N)` (1-based) so that a shifted row is visible in its raw payload. */
export const EXTRA_CELL = '(column ';

export function extraCellName(index: number): string {
  return `${EXTRA_CELL}${index + 1})`;
}

/** The record key part of a cell: as delivered, trimmed (feeds.md "record keys"). */
export function keyPart(value: string | undefined): string {
  return (value ?? '').trim();
}

/** A date as a record key part: in ISO form when it parses, else as delivered, trimmed. */
export function dateKeyPart(value: string | undefined): string {
  const d = parseBusinessDate(value ?? '');
  return d.ok && d.date !== null ? d.date : keyPart(value);
}

/** Spellings of a header or a 合计 label that mean the same: NFKC (full-width brackets), no spaces. */
export function canonicalLabel(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

/** A 合计 / 总计 (total) row closes the data: it is not a record. */
export function isTotalRow(cells: readonly string[]): boolean {
  const first = cells.find((c) => c.trim() !== '');
  if (first === undefined) return false;
  const label = canonicalLabel(first);
  return label.startsWith('合计') || label.startsWith('总计');
}

/**
 * The index of the header row among the first rows: the first row holding every expected
 * header name (a title banner may stand above it).
 */
export function findHeaderRow(rows: ReadonlyArray<readonly string[]>, headers: readonly string[]): number {
  const wanted = headers.map(canonicalLabel);
  return rows.findIndex((row) => {
    const have = new Set(row.map(canonicalLabel));
    return wanted.every((h) => have.has(h));
  });
}

/** For each column of the header row, the name its cells are keyed by (the contract's spelling), or null. */
export function headerNames(row: readonly string[], headers: readonly string[]): Array<string | null> {
  const byLabel = new Map(headers.map((h) => [canonicalLabel(h), h]));
  const seen = new Set<string>();
  return row.map((cell) => {
    const label = canonicalLabel(cell);
    if (!label) return null;
    const name = byLabel.get(label) ?? cell.trim();
    if (seen.has(name)) return null;
    seen.add(name);
    return name;
  });
}
