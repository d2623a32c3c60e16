import { isUtf8 } from 'node:buffer';
import { parse as parser, type Options as ParseOptions } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { Delivered, markDelivered } from './deliveredContent';
import { type DeliveryFile, extraCellName, findHeaderRow, type HeldRow, headerNames, isTotalRow, type TableRows, UnreadableFile } from './fileDrop';

/**
 * A delivered CSV file read as a whole before anything of it is applied: decoded (GBK/GB18030,
 * or UTF-8 after a byte-order mark), parsed, its header found below any title banner, its data
 * ended by a 合计 (total) row. A file that does not decode cleanly or is cut off fails whole.
 */
export interface CsvRow {
  /** physical line of the row's first line in the file (a banner counts; header = 1 without one) */
  line: number;
  cells: Record<string, string>;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The whole-file check works on this many bytes between two turns of the event loop: a hub serving
 * GraphQL keeps answering while a term file of half a million rows (70 MB, 5 s of decoding and
 * parsing) is checked.
 */
const CHUNK_BYTES = 1 << 20;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The file as UTF-8 bytes. Without a BOM the contract says GBK/GB18030. Reading UTF-8 bytes as
 * GB18030 does not fail, it quietly gives mojibake; so a file that is valid UTF-8 and whose GB18030
 * reading does not show its header was exported in the wrong encoding, and is refused.
 */
export async function utf8BodyOf(bytes: Buffer, file: string, headers: readonly string[]): Promise<Buffer> {
  if (bytes.subarray(0, 3).equals(BOM)) {
    const body = bytes.subarray(3);
    if (!isUtf8(body)) throw new UnreadableFile(file, 'starts with a UTF-8 byte-order mark but is not valid UTF-8 (wrong encoding or corrupt)');
    return body;
  }
  const decoder = iconv.getDecoder('gb18030');
  // a GBK character of two bytes is three in UTF-8, one of four at most four: written in place, not joined
  let body = Buffer.allocUnsafe(Math.ceil(bytes.length * 1.5) + 16);
  let used = 0;
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    const text = decoder.write(bytes.subarray(at, at + CHUNK_BYTES));
    // the header is near the top: a banner is a line or two, never a megabyte
    if (at === 0 && !headers.every((h) => text.includes(h)) && isUtf8(bytes) && hasNonAscii(bytes)) {
      throw new UnreadableFile(file, 'is UTF-8 without a byte-order mark; this feed must be GBK/GB18030, or UTF-8 starting with a BOM (wrong encoding)');
    }
    // iconv-lite puts U+FFFD where a byte sequence is not GB18030
    if (text.includes('\uFFFD')) throw new UnreadableFile(file, 'does not decode as GBK/GB18030 (wrong encoding or corrupt bytes)');
    const length = Buffer.byteLength(text, 'utf8');
    if (used + length > body.length) {
      const grown = Buffer.allocUnsafe(Math.max(body.length * 2, used + length));
      body.copy(grown, 0, 0, used);
      body = grown;
    }
    used += body.write(text, used, 'utf8');
    await nextTurn();
  }
  // bytes left over at the end are a character cut off
  if (decoder.end()?.includes('\uFFFD')) throw new UnreadableFile(file, 'truncated: the file ends inside a character');
  return body.subarray(0, used);
}

function hasNonAscii(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return true;
  return false;
}

/**
 * The data rows of a delivered CSV file, checked whole before any is handed out (encoding,
 * header, 合计 row, truncation) and then read again a slice at a time: a file of a million rows
 * never sits in memory as rows. Row numbers count from 0 over the data rows.
 */
export interface CsvTable {
  readonly rowCount: number;
  /**
   * The data rows from the n-th on. With `held`: a row it gives a key for is not read (not decoded
   * or split into cells) and comes out as that key; it is asked again after the rows read before it
   * were handed out, so that what they tell its caller can change the answer.
   */
  rows(from?: number): Generator<CsvRow>;
  rows(from: number, held?: (index: number) => string | undefined): Generator<CsvRow | HeldRow>;
  /** a data row's bytes in the file as delivered, [start, end): the record without its record delimiter */
  spanOf(index: number): [number, number];
}

/** Data rows read at once: one slice of the file is parsed at a time. */
const SLICE_ROWS = 5000;

/** Numbers per data row of a large file, compactly (a term file has half a million rows). */
class RowColumn {
  private values = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  at(index: number): number {
    return this.values[index]!;
  }
}

export async function openCsvTable(bytes: Buffer, file: string, headers: readonly string[]): Promise<CsvTable> {
  // parsed as UTF-8 bytes so that the parser's byte positions can mark where slices start
  const body = await utf8BodyOf(bytes, file, headers);
  const recordDelimiter = recordDelimiterOf(body);
  type OnRecord = (record: string[], endByte: number) => void;
  const options = (onRecord: OnRecord): ParseOptions => ({
    relax_column_count: true,
    relax_quotes: true,
    // empty lines are kept as records so that physical line numbers can be counted
    skip_empty_lines: false,
    record_delimiter: recordDelimiter,
    on_record: (record: string[], context: { bytes: number }) => {
      onRecord(record, context.bytes);
      return null;
    },
  });
  const unreadable = (e: unknown) => {
    const err = e as Error & { code?: string };
    return new UnreadableFile(
      file,
      err.code === 'CSV_QUOTE_NOT_CLOSED' ? `truncated: a quoted field is still open at the end of the file (${err.message})` : `not readable as CSV: ${err.message}`,
    );
  };
  const splitPlain = (slice: Buffer, onRecord: OnRecord) => {
    const lines = slice.toString('utf8').split(recordDelimiter[0]!);
    // the slice ends with a delimiter, or at the end of the data: no record after the last one
    if (lines[lines.length - 1] === '') lines.pop();
    for (const l of lines) onRecord(l.split(','), 0);
  };
  const parseSlice = (slice: Buffer, onRecord: OnRecord) => {
    try {
      parse(slice, options(onRecord));
    } catch (e) {
      throw unreadable(e);
    }
  };
  /** The whole body, a chunk per turn of the event loop; byte positions count from its start. */
  const parseWhole = async (onRecord: OnRecord) => {
    const whole = parser(options(onRecord));
    let failure: unknown = null;
    whole.on('error', (e) => (failure ??= e));
    for (let at = 0; at < body.length && failure === null; at += CHUNK_BYTES) {
      whole.write(body.subarray(at, at + CHUNK_BYTES));
      await nextTurn();
    }
    if (failure === null) {
      await new Promise<void>((resolve) => {
        whole.once('finish', resolve);
        whole.once('error', () => resolve());
        whole.end();
      });
    }
    if (failure !== null) throw unreadable(failure);
  };

  // The whole file once: where the header is, where the data ends, whether the file was cut off.
  let headerIndex = -1;
  let names: Array<string | null> = [];
  let width = 0;
  let index = 0;
  let recordStart = 0;
  let rowCount = 0;
  let closed = false;
  let dataEnd = body.length;
  let lastData: { width: number | (() => number); line: number } | null = null;
  // where each data row starts in the body, and where its bytes start and end in the file (places)
  const rowStarts = new RowColumn();
  const startPlaces = new RowColumn();
  const endPlaces = new RowColumn();
  const delimiter = recordDelimiter[0]!;
  const plain = isPlain(body, delimiter);
  const breaks = plain ? null : new BreakCounter(body);
  /**
   * One record of the whole file, ending at `endByte` (after its delimiter). `plain`: a record of a
   * plain file whose first cell starts with a letter or digit — a data row once the header is found,
   * whose cells need not be split now. `line`: a plain file's record is its line-th line.
   */
  const take = (record: string[] | (() => string[]), endByte: number, plain: boolean, line?: number) => {
    const start = recordStart;
    recordStart = endByte;
    const i = index++;
    if (closed) return;
    if (headerIndex < 0) {
      // the header is near the top: a banner is a line or two, never a page
      if (i >= 20) return;
      const cells = typeof record === 'function' ? record() : record;
      if (findHeaderRow([cells], headers) === 0) {
        headerIndex = i;
        names = headerNames(cells.map((c) => c.trim()), headers);
        width = cells.length;
      }
      return;
    }
    if (!plain) {
      const cells = typeof record === 'function' ? record() : record;
      if (isTotalRow(cells)) {
        closed = true;
        dataEnd = start;
        return;
      }
      if (isBlank(cells)) return;
    }
    // a plain file's every line break is a record delimiter: its records are its lines
    const startPlace = line === undefined ? breaks!.placeOfStart(start) : line === 1 ? 0 : (line - 1) * 4 + delimiter.length;
    const end = endsWith(body, endByte, delimiter) ? endByte - delimiter.length : endByte;
    const endPlace = end === body.length ? END_OF_FILE : line === undefined ? breaks!.placeOfEnd(end) : line * 4;
    rowStarts.push(start);
    startPlaces.push(startPlace);
    endPlaces.push(endPlace);
    rowCount++;
    lastData = { width: typeof record === 'function' ? () => record().length : record.length, line: lineOfPlace(startPlace) };
  };
  if (plain) await scanPlain(body, delimiter, take);
  else await parseWhole((record, endByte) => take(record, endByte, false));
  if (headerIndex < 0) throw new UnreadableFile(file, `no header row with the columns ${headers.join(',')}`);
  const last = lastData as { width: number | (() => number); line: number } | null;
  const lastWidth = last && (typeof last.width === 'function' ? last.width() : last.width);
  if (!closed && last && lastWidth! < width) {
    throw new UnreadableFile(file, `truncated: the last row (line ${last.line}) has ${lastWidth} of ${width} columns`);
  }

  /** Data rows [from, to), read in one go (blank lines between them are skipped). */
  function read(from: number, to: number): CsvRow[] {
    const out: CsvRow[] = [];
    let row = from;
    const slice = body.subarray(rowStarts.at(from), to < rowCount ? rowStarts.at(to) : dataEnd);
    // a plain file's rows are split as they are (a few rows between held ones: the parser's set-up would cost more)
    (plain ? splitPlain : parseSlice)(slice, (record) => {
      if (isBlank(record)) return;
      const cells: Record<string, string> = {};
      for (let c = 0; c < record.length; c++) {
        const name = c < width ? names[c] : extraCellName(c);
        if (name === null || name === undefined) continue;
        if (c >= width && record[c]!.trim() === '') continue;
        cells[name] = record[c]!;
      }
      const r = { line: lineOfPlace(startPlaces.at(row)), cells };
      rowIndexes.set(r, row);
      row++;
      out.push(r);
    });
    return out;
  }

  function* rows(from = 0, held?: (index: number) => string | undefined): Generator<CsvRow | HeldRow> {
    let at = Math.max(0, from);
    while (at < rowCount) {
      // the rows up to the next held one (or a slice's worth) are read together
      let end = at;
      let key: string | undefined;
      while (end < rowCount && end - at < SLICE_ROWS && (key = held?.(end)) === undefined) end++;
      if (end > at) {
        yield* read(at, end);
        // the caller has now seen the rows just read: one of them may have written this row's key
        if (key !== undefined) key = held!(end);
      }
      if (key !== undefined) {
        yield { held: key };
        end++;
      }
      at = end;
    }
  }
  // the bytes as delivered differ from the body (GBK, a BOM) but for their line breaks: a place is found by its break
  let ends: number[] | null = null;
  const bodyStart = bytes.length - body.length;
  const byteOf = (place: number) => {
    if (place === END_OF_FILE) return bytes.length;
    const line = Math.floor(place / 4);
    ends ??= lineEnds(bytes);
    return (line === 0 ? bodyStart : ends[line - 1]!) + (place % 4);
  };
  const spanOf = (index: number): [number, number] => [byteOf(startPlaces.at(index)), byteOf(endPlaces.at(index))];
  return { rowCount, rows: rows as CsvTable['rows'], spanOf };
}

/**
 * A place in the file, by the line breaks it has in every encoding: 4 × the line a break ends
 * (0: the start of the body) + the bytes from the break's start. A record starts and ends next to
 * a line break (its record delimiter), or at an end of the file.
 */
const END_OF_FILE = 0xffffffff;
const lineOfPlace = (place: number) => Math.floor(place / 4) + 1;

/**
 * Counts the line breaks of a body as lineEnds() does (CR, LF and CR LF each end a line), going
 * forward only: the records of a file are asked about in order.
 */
class BreakCounter {
  private at = 0;
  private count = 0;
  // the next LF and CR from `at` (-1: none left), found once each
  private lf: number;
  private cr: number;
  constructor(private readonly body: Buffer) {
    this.lf = body.indexOf(0x0a);
    this.cr = body.indexOf(0x0d);
  }

  /** the number of the line the break starting at `to` ends (every break before it counted) */
  private lineEndedAt(to: number): number {
    const body = this.body;
    while (this.at < to) {
      if (this.lf >= 0 && this.lf < this.at) this.lf = body.indexOf(0x0a, this.at);
      if (this.cr >= 0 && this.cr < this.at) this.cr = body.indexOf(0x0d, this.at);
      const brk = this.cr >= 0 && (this.lf < 0 || this.cr < this.lf) ? this.cr : this.lf;
      if (brk < 0 || brk >= to) {
        this.at = to;
        break;
      }
      this.count++;
      this.at = brk === this.cr && body[brk + 1] === 0x0a ? brk + 2 : brk + 1;
    }
    return this.count + 1;
  }

  /** the place of a record starting at `start`: just after its predecessor's record delimiter */
  placeOfStart(start: number): number {
    if (start === 0) return 0;
    const body = this.body;
    const brk = body[start - 1] === 0x0a && body[start - 2] === 0x0d ? start - 2 : start - 1;
    return this.lineEndedAt(brk) * 4 + (start - brk);
  }

  /** the place of a record's end `end`: where its record delimiter starts (inside a CR LF after a stray CR) */
  placeOfEnd(end: number): number {
    const body = this.body;
    const brk = body[end] === 0x0a && body[end - 1] === 0x0d ? end - 1 : end;
    return this.lineEndedAt(brk) * 4 + (end - brk);
  }
}

/**
 * A plain file: no quote at all, and every line break is the record delimiter. Its records are its
 * lines and its cells what lies between commas, so the whole-file check need not run the CSV parser
 * (it gives the same records: tests/ingest/heldRows.test.ts).
 */
function isPlain(body: Buffer, delimiter: string): boolean {
  if (body.indexOf(0x22) >= 0) return false;
  if (delimiter === '\n') return body.indexOf(0x0d) < 0;
  if (delimiter === '\r') return body.indexOf(0x0a) < 0;
  for (let at = body.indexOf(0x0d); at >= 0; at = body.indexOf(0x0d, at + 2)) if (body[at + 1] !== 0x0a) return false;
  for (let at = body.indexOf(0x0a); at >= 0; at = body.indexOf(0x0a, at + 1)) if (body[at - 1] !== 0x0d) return false;
  return true;
}

/** Whether the body's bytes before `end` are the record delimiter. */
function endsWith(body: Buffer, end: number, delimiter: string): boolean {
  if (delimiter.length === 2) return end >= 2 && body[end - 2] === 0x0d && body[end - 1] === 0x0a;
  return end >= 1 && body[end - 1] === delimiter.charCodeAt(0);
}

/** The records of a plain file, as the parser would give them: each line, the last one if not empty. */
async function scanPlain(
  body: Buffer,
  delimiter: string,
  take: (record: () => string[], endByte: number, plain: boolean, line: number) => void,
): Promise<void> {
  const step = Buffer.from(delimiter);
  let line = 0;
  let turn = CHUNK_BYTES;
  for (let at = 0; at < body.length; ) {
    const found = body.indexOf(step, at);
    const end = found < 0 ? body.length : found;
    const first = body[at]!;
    const start = at;
    // a first cell starting with a letter or digit is neither blank nor 合计 (NFKC keeps ASCII as it is)
    const plain = (first >= 0x30 && first <= 0x39) || (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a);
    at = found < 0 ? body.length : found + step.length;
    take(() => body.toString('utf8', start, end).split(','), at, plain && end > start, ++line);
    if (at >= turn) {
      turn = at + CHUNK_BYTES;
      await nextTurn();
    }
  }
}

/** The file's record delimiter, as its first record ends: every slice is parsed with the same one. */
function recordDelimiterOf(body: Buffer): string[] {
  // the first line break outside quotes: a quoted banner cell may break its lines otherwise
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b === 0x22) quoted = !quoted;
    else if (!quoted && b === 0x0d) return body[i + 1] === 0x0a ? ['\r\n'] : ['\r'];
    else if (!quoted && b === 0x0a) return ['\n'];
  }
  return ['\n'];
}

/** The data row number of each row read. */
const rowIndexes = new WeakMap<CsvRow, number>();

/** A CSV delivery as the rows a file-drop stream reads, each with its file and line, and its bytes in the file as delivered. */
export async function csvTableRows(file: DeliveryFile, headers: readonly string[]): Promise<TableRows> {
  const table = await openCsvTable(file.bytes, file.name, headers);
  const content = new Delivered(file.name, file.bytes);
  return {
    count: table.rowCount,
    *rows(from, held) {
      for (const r of table.rows(from, held)) {
        if ('held' in r) {
          yield r;
          continue;
        }
        const [start, end] = table.spanOf(rowIndexes.get(r)!);
        markDelivered(r.cells, content, start, end - start);
        yield { location: `${file.name}:line ${r.line}`, cells: r.cells };
      }
    },
    spans: {
      layout: csvLayoutOf(file.bytes, headers),
      layoutOf: (bytes) => csvLayoutOf(bytes, headers),
      bytesOf: (index) => file.bytes.subarray(...table.spanOf(index)),
    },
  };
}

/**
 * What decides the cells of a row's bytes besides the bytes: the encoding (GBK, or UTF-8 after a
 * BOM), the record delimiter and the header line as delivered. Two deliveries of one layout give
 * the same bytes the same cells. Null for a file split on LF (or CR) alone that holds a CR LF pair:
 * its rows' bytes are exact now (openCsvTable's places), but rows stored before were located by
 * counting lines, a line off after such a pair, and a stored row's bytes cannot tell which it is.
 */
export function csvLayoutOf(bytes: Buffer, headers: readonly string[]): string | null {
  const bom = bytes.subarray(0, 3).equals(BOM);
  // the header is among the first records: a megabyte holds them, cut after a line break (never inside a character)
  let head = bytes.subarray(0, LAYOUT_BYTES);
  if (head.length < bytes.length) {
    const cut = Math.max(head.lastIndexOf(0x0a), head.lastIndexOf(0x0d));
    if (cut < 0) return null;
    head = head.subarray(0, cut + 1);
  }
  let body: Buffer;
  if (bom) body = head.subarray(3);
  else {
    const text = iconv.decode(head, 'gb18030');
    if (text.includes('\uFFFD')) return null;
    body = Buffer.from(text, 'utf8');
  }
  const delimiter = recordDelimiterOf(body);
  if (delimiter[0] !== '\r\n' && bytes.includes(CRLF)) return null;
  let line = 1;
  let header = null as [number, number] | null;
  try {
    parse(body, {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      record_delimiter: delimiter,
      to: 20,
      on_record: (record: string[]) => {
        const first = line;
        line += 1 + breaksInside(record);
        if (header === null && findHeaderRow([record], headers) === 0) header = [first, line - 1];
        return null;
      },
    });
  } catch {
    return null;
  }
  if (header === null) return null;
  const [first, last] = header;
  const lines = lineStarts(head);
  const start = lines.starts[first - 1];
  const end = lines.ends[last - 1];
  if (start === undefined || end === undefined) return null;
  return `${bom ? 'utf-8' : 'gb18030'} ${JSON.stringify(delimiter[0])} ${head.toString('latin1', start, end)}`;
}

const LAYOUT_BYTES = 1 << 20;
const CRLF = Buffer.from('\r\n');

/**
 * Where each physical line of the file starts and ends (before its line break), in the bytes as
 * delivered: CR, LF and CRLF end a line, as the parser's line numbers count them. GBK and GB18030
 * never use the bytes of CR or LF inside a character, so the delivered bytes are split as they are.
 */
function lineStarts(bytes: Buffer): { starts: number[]; ends: number[] } {
  const starts = [0];
  const ends: number[] = [];
  let at = 0;
  let lf = bytes.indexOf(0x0a, at);
  let cr = bytes.indexOf(0x0d, at);
  while (lf >= 0 || cr >= 0) {
    const brk = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
    ends.push(brk);
    at = brk === cr && bytes[cr + 1] === 0x0a ? cr + 2 : brk + 1;
    starts.push(at);
    if (lf >= 0 && lf < at) lf = bytes.indexOf(0x0a, at);
    if (cr >= 0 && cr < at) cr = bytes.indexOf(0x0d, at);
  }
  ends.push(bytes.length);
  return { starts, ends };
}

/** Where each physical line of the file ends (before its line break), as lineStarts() finds them. */
function lineEnds(bytes: Buffer): number[] {
  return lineStarts(bytes).ends;
}

export async function readCsvTable(bytes: Buffer, file: string, headers: readonly string[]): Promise<CsvRow[]> {
  return [...(await openCsvTable(bytes, file, headers)).rows()];
}

function isBlank(record: readonly string[]): boolean {
  for (const c of record) if (c.trim() !== '') return false;
  return true;
}

/** Line breaks inside quoted fields: the record spans that many more physical lines. */
function breaksInside(record: readonly string[]): number {
  let n = 0;
  for (const field of record) {
    if (field.indexOf('\n') < 0 && field.indexOf('\r') < 0) continue;
    n += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return n;
}
