import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { extraCellName, findHeaderRow, headerNames, isTotalRow, UnreadableFile } from './fileDrop';

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
 * The file's text. Without a BOM the contract says GBK/GB18030. Reading UTF-8 bytes as GB18030
 * does not fail, it quietly gives mojibake; so a file that is valid UTF-8 and whose GB18030
 * reading does not show its header was exported in the wrong encoding, and is refused.
 */
export function decodeCsv(bytes: Buffer, file: string, headers: readonly string[]): string {
  if (bytes.subarray(0, 3).equals(BOM)) {
    const body = bytes.subarray(3);
    if (!isUtf8(body)) throw new UnreadableFile(file, 'starts with a UTF-8 byte-order mark but is not valid UTF-8 (wrong encoding or corrupt)');
    return body.toString('utf8');
  }
  const text = iconv.decode(bytes, 'gb18030');
  if (hasNonAscii(bytes) && isUtf8(bytes) && !headers.every((h) => text.includes(h))) {
    throw new UnreadableFile(file, 'is UTF-8 without a byte-order mark; this feed must be GBK/GB18030, or UTF-8 starting with a BOM (wrong encoding)');
  }
  // iconv-lite puts U+FFFD where a byte sequence is not GB18030
  const bad = text.indexOf('\uFFFD');
  if (bad === text.length - 1) throw new UnreadableFile(file, 'truncated: the file ends inside a character');
  if (bad >= 0) throw new UnreadableFile(file, 'does not decode as GBK/GB18030 (wrong encoding or corrupt bytes)');
  return text;
}

function hasNonAscii(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return true;
  return false;
}

export function readCsvTable(bytes: Buffer, file: string, headers: readonly string[]): CsvRow[] {
  const text = decodeCsv(bytes, file, headers);
  let records: string[][];
  try {
    // empty lines are kept as records so that physical line numbers can be counted
    records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (e) {
    const err = e as Error & { code?: string };
    throw new UnreadableFile(
      file,
      err.code === 'CSV_QUOTE_NOT_CLOSED' ? `truncated: a quoted field is still open at the end of the file (${err.message})` : `not readable as CSV: ${err.message}`,
    );
  }

  const lines = new Array<number>(records.length);
  let line = 1;
  for (let i = 0; i < records.length; i++) {
    lines[i] = line;
    line += 1 + breaksInside(records[i]!);
  }

  // the header is near the top: a banner is a line or two, never a page
  const headerIndex = findHeaderRow(records.slice(0, 20), headers);
  if (headerIndex < 0) throw new UnreadableFile(file, `no header row with the columns ${headers.join(',')}`);
  const names = headerNames(records[headerIndex]!.map((c) => c.trim()), headers);
  const width = records[headerIndex]!.length;

  let end = records.length;
  let closed = false;
  for (let i = headerIndex + 1; i < records.length; i++) {
    if (isTotalRow(records[i]!)) {
      end = i;
      closed = true;
      break;
    }
  }

  const rows: CsvRow[] = [];
  let lastData = -1;
  for (let i = headerIndex + 1; i < end; i++) {
    const record = records[i]!;
    if (isBlank(record)) continue;
    lastData = i;
    const cells: Record<string, string> = {};
    for (let c = 0; c < record.length; c++) {
      const name = c < width ? names[c] : extraCellName(c);
      if (name === null || name === undefined) continue;
      if (c >= width && record[c]!.trim() === '') continue;
      cells[name] = record[c]!;
    }
    rows.push({ line: lines[i]!, cells });
  }
  if (!closed && lastData >= 0 && records[lastData]!.length < width) {
    throw new UnreadableFile(file, `truncated: the last row (line ${lines[lastData]}) has ${records[lastData]!.length} of ${width} columns`);
  }
  return rows;
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
