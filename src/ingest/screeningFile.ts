import { isUtf8 } from 'node:buffer';
import zlib from 'node:zlib';
import { openCsvTable } from './csvTable';
import { canonicalLabel, UnreadableFile } from './fileDrop';
import { loadWorkbook, readSheetTable } from './xlsxTable';
import { type ZipEntry, ZipShapeError, zipEntries } from './zipDirectory';

/**
 * A proposed list as a department uploads it (office.md "Screening"): CSV (UTF-8, UTF-8 with a
 * BOM, or GBK) or XLSX (its first sheet), read with the feeds' own readers — the header found by
 * name below any banner, the data ended by a 合计 row. A file that cannot be read at all is an
 * UnreadableFile naming the problem; a bad ID number is not: it is a row, judged REJECT.
 */
export const SCREENING_HEADERS = { idNumber: '身份证号', name: '姓名', amount: '拟救助金额', startDate: '起始日期', note: '备注' } as const;

export interface ScreeningFileRow {
  idNumber: string;
  name: string | null;
  amount: string | null;
  startDate: string | null;
  note: string | null;
}

export interface ScreeningFileLimits {
  maxRows: number;
  /** an XLSX's parts, inflated, at most this many bytes together (a zip bomb is refused before exceljs sees it) */
  maxInflatedBytes: number;
  /** a cell longer than this is no proposed row (a CSV with a megabyte line) */
  maxCellChars: number;
}

const ZIP_LOCAL = 0x04034b50;

export async function readScreeningFile(bytes: Buffer, file: string, limits: ScreeningFileLimits): Promise<ScreeningFileRow[]> {
  if (bytes.length === 0) throw new UnreadableFile(file, 'is empty');
  const isZip = bytes.length >= 4 && bytes.readUInt32LE(0) === ZIP_LOCAL;
  const rows = isZip ? await xlsxRows(bytes, file, limits) : await csvRows(bytes, file, limits);
  if (rows.length === 0) throw new UnreadableFile(file, 'has a header but no data rows');
  return rows.map((r, i) => {
    for (const [column, value] of Object.entries(r)) {
      if (value.length > limits.maxCellChars) throw new UnreadableFile(file, `data row ${i + 1}, column ${column}: a cell of ${value.length} characters (at most ${limits.maxCellChars})`);
      // a formula in a list that goes on to finance as a spreadsheet is an injection, not data
      if (/^\s*[=@]|^\s*[+-]\s*[A-Za-z(]/.test(value)) throw new UnreadableFile(file, `data row ${i + 1}, column ${column}: a formula (=…) is not data`);
    }
    const cell = (h: string) => {
      const v = r[h]?.trim();
      return v ? v : null;
    };
    return {
      idNumber: r[SCREENING_HEADERS.idNumber] ?? '',
      name: cell(SCREENING_HEADERS.name),
      amount: cell(SCREENING_HEADERS.amount),
      startDate: cell(SCREENING_HEADERS.startDate),
      note: cell(SCREENING_HEADERS.note),
    };
  });
}

/** Cells keyed by the contract's spelling of each header (NFKC, spaces ignored), whatever the file wrote. */
function byContractName(cells: Record<string, string>): Record<string, string> {
  const names = new Map(Object.values(SCREENING_HEADERS).map((h) => [canonicalLabel(h), h]));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cells)) out[names.get(canonicalLabel(k)) ?? k] = v;
  return out;
}

async function csvRows(bytes: Buffer, file: string, limits: ScreeningFileLimits): Promise<Array<Record<string, string>>> {
  // The feeds' reader takes GBK, or UTF-8 after a BOM: a department's UTF-8 file without one is given its BOM.
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  const body = !bytes.subarray(0, 3).equals(BOM) && isUtf8(bytes) ? Buffer.concat([BOM, bytes]) : bytes;
  const table = await openCsvTable(body, file, [SCREENING_HEADERS.idNumber]);
  if (table.rowCount > limits.maxRows) throw new UnreadableFile(file, `has ${table.rowCount} rows; at most ${limits.maxRows} a list`);
  return [...table.rows()].map((r) => byContractName(r.cells));
}

async function xlsxRows(bytes: Buffer, file: string, limits: ScreeningFileLimits): Promise<Array<Record<string, string>>> {
  checkInflatedSize(bytes, file, limits.maxInflatedBytes);
  const workbook = await loadWorkbook(bytes, file);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableFile(file, 'has no sheet');
  if (sheet.rowCount > limits.maxRows + 30) throw new UnreadableFile(file, `has ${sheet.rowCount} rows; at most ${limits.maxRows} a list`);
  let formula: number | null = null;
  sheet.eachRow((row, n) => {
    if (formula !== null) return;
    for (const v of row.values as unknown[]) {
      if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) formula = n;
    }
  });
  if (formula !== null) throw new UnreadableFile(file, `sheet row ${formula}: a formula is not data`);
  const rows = readSheetTable(workbook, file, sheet.name, [SCREENING_HEADERS.idNumber]);
  if (rows.length > limits.maxRows) throw new UnreadableFile(file, `has ${rows.length} rows; at most ${limits.maxRows} a list`);
  return rows.map((r) => byContractName(r.cells));
}

const ZIP_SHAPE_PROBLEMS: Record<ZipShapeError['part'], string> = {
  end: 'no zip directory: truncated or corrupt',
  directory: 'corrupt zip directory',
  entry: 'corrupt zip entry',
};

/**
 * Inflates every part of the workbook with a budget before exceljs holds it whole: the sizes a
 * zip declares can lie, the inflated bytes cannot.
 */
function checkInflatedSize(bytes: Buffer, file: string, budget: number): void {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (e) {
    if (!(e instanceof ZipShapeError)) throw e;
    throw new UnreadableFile(file, `not a readable XLSX workbook (${ZIP_SHAPE_PROBLEMS[e.part]})`);
  }
  let left = budget;
  for (const { method, data } of entries) {
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) {
      try {
        size = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, left) }).length;
      } catch (e) {
        const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
        throw new UnreadableFile(file, tooBig ? `inflates to more than ${budget} bytes (a zip bomb?)` : 'not a readable XLSX workbook (corrupt compressed part)');
      }
    } else throw new UnreadableFile(file, `not a readable XLSX workbook (compression method ${method})`);
    left -= size;
    if (left < 0) throw new UnreadableFile(file, `inflates to more than ${budget} bytes (a zip bomb?)`);
  }
}
