import { isUtf8 } from 'node:buffer';
import { parse as parser, type Options as ParseOptions } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { Delivered, markDelivered } from './deliveredContent';
import { type DeliveryFile, extraCellName, findHeaderRow, headerNames, isTotalRow, type TableRows, UnreadableFile } from './fileDrop';

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
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    const text = decoder.write(bytes.subarray(at, at + CHUNK_BYTES));
    // the header is near the top: a banner is a line or two, never a megabyte
    if (at === 0 && !headers.every((h) => text.includes(h)) && isUtf8(bytes) && hasNonAscii(bytes)) {
      throw new UnreadableFile(file, 'is UTF-8 without a byte-order mark; this feed must be GBK/GB18030, or UTF-8 starting with a BOM (wrong encoding)');
    }
    // iconv-lite puts U+FFFD where a byte sequence is not GB18030
    if (text.includes('\uFFFD')) throw new UnreadableFile(file, 'does not decode as GBK/GB18030 (wrong encoding or corrupt bytes)');
    parts.push(Buffer.from(text, 'utf8'));
    await nextTurn();
  }
  // bytes left over at the end are a character cut off
  if (decoder.end()?.includes('\uFFFD')) throw new UnreadableFile(file, 'truncated: the file ends inside a character');
  return Buffer.concat(parts);
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
  rows(from?: number): Generator<CsvRow>;
}

/** Data rows between two re-reading points: one slice of the file is parsed at a time. */
const SLICE_ROWS = 5000;

interface ReadingPoint {
  /** the first data row at or after this point */
  row: number;
  byte: number;
  line: number;
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
  let line = 1;
  let recordStart = 0;
  let rowCount = 0;
  let closed = false;
  let dataEnd = body.length;
  let lastData: { width: number; line: number } | null = null;
  const points: ReadingPoint[] = [];
  await parseWhole((record, endByte) => {
    const start = recordStart;
    const startLine = line;
    recordStart = endByte;
    line += 1 + breaksInside(record);
    const i = index++;
    if (closed) return;
    if (headerIndex < 0) {
      // the header is near the top: a banner is a line or two, never a page
      if (i >= 20) return;
      if (findHeaderRow([record], headers) === 0) {
        headerIndex = i;
        names = headerNames(record.map((c) => c.trim()), headers);
        width = record.length;
      }
      return;
    }
    if (isTotalRow(record)) {
      closed = true;
      dataEnd = start;
      return;
    }
    if (isBlank(record)) return;
    if (rowCount % SLICE_ROWS === 0) points.push({ row: rowCount, byte: start, line: startLine });
    rowCount++;
    lastData = { width: record.length, line: startLine };
  });
  if (headerIndex < 0) throw new UnreadableFile(file, `no header row with the columns ${headers.join(',')}`);
  const last = lastData as { width: number; line: number } | null;
  if (!closed && last && last.width < width) {
    throw new UnreadableFile(file, `truncated: the last row (line ${last.line}) has ${last.width} of ${width} columns`);
  }

  function* rows(from = 0): Generator<CsvRow> {
    for (let p = Math.max(0, Math.floor(from / SLICE_ROWS)); p < points.length; p++) {
      const point = points[p]!;
      const sliceEnd = p + 1 < points.length ? points[p + 1]!.byte : dataEnd;
      const slice: CsvRow[] = [];
      let at = point.line;
      let row = point.row;
      parseSlice(body.subarray(point.byte, sliceEnd), (record) => {
        const startLine = at;
        at += 1 + breaksInside(record);
        if (isBlank(record)) return;
        if (row++ < from) return;
        const cells: Record<string, string> = {};
        for (let c = 0; c < record.length; c++) {
          const name = c < width ? names[c] : extraCellName(c);
          if (name === null || name === undefined) continue;
          if (c >= width && record[c]!.trim() === '') continue;
          cells[name] = record[c]!;
        }
        const read = { line: startLine, cells };
        lastLines.set(read, at - 1);
        slice.push(read);
      });
      yield* slice;
    }
  }
  return { rowCount, rows };
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

/** The last physical line of each row read (a quoted field may span lines). */
const lastLines = new WeakMap<CsvRow, number>();

/** A CSV delivery as the rows a file-drop stream reads, each with its file and line, and its bytes in the file as delivered. */
export async function csvTableRows(file: DeliveryFile, headers: readonly string[]): Promise<TableRows> {
  const table = await openCsvTable(file.bytes, file.name, headers);
  const content = new Delivered(file.name, file.bytes);
  const lines = lineStarts(file.bytes);
  return {
    count: table.rowCount,
    *rows(from) {
      for (const r of table.rows(from)) {
        const last = lastLines.get(r) ?? r.line;
        const start = lines.starts[r.line - 1];
        const end = lines.ends[last - 1];
        if (start !== undefined && end !== undefined) markDelivered(r.cells, content, start, end - start);
        yield { location: `${file.name}:line ${r.line}`, cells: r.cells };
      }
    },
  };
}

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
