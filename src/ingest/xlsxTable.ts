import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { findHeaderRow, headerNames, isTotalRow, UnreadableFile } from './fileDrop';
import { type ZipEntry, ZipShapeError, zipEntries } from './zipDirectory';

/**
 * A delivered workbook read as a whole before anything of it is applied: a named sheet, its
 * header found below the merged title banner, its data ended by a 合计 (total) row. Cells are
 * read into the text the sheet shows, so that every feed maps strings alike: a number cell into
 * its digits, a date cell into YYYY-MM-DD, a formula into its result, rich text into its text.
 */
export interface SheetRow {
  /** worksheet row number (title banner = 1, header = 2) */
  row: number;
  cells: Record<string, string>;
}

export async function loadWorkbook(bytes: Buffer, file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typing predates Node's generic Buffer
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new UnreadableFile(file, `not a readable XLSX workbook (truncated or corrupt): ${(e as Error).message}`);
  }
  return workbook;
}

export function readSheetTable(workbook: ExcelJS.Workbook, file: string, sheet: string, headers: readonly string[]): SheetRow[] {
  const ws = workbook.getWorksheet(sheet);
  if (!ws) {
    const present = workbook.worksheets.map((w) => w.name).join(', ') || 'none';
    throw new UnreadableFile(file, `has no sheet "${sheet}" (sheets: ${present})`);
  }
  return sheetTable({ rowCount: ws.rowCount, texts: (r) => rowTexts(ws.getRow(r)) }, file, sheet, headers);
}

/** A sheet as rows of cell texts: `texts(r)` of worksheet row r (1-based), index 0 = column A. */
interface SheetTexts {
  rowCount: number;
  texts(row: number): string[];
}

function sheetTable(ws: SheetTexts, file: string, sheet: string, headers: readonly string[]): SheetRow[] {
  const top: string[][] = [];
  for (let r = 1; r <= Math.min(20, ws.rowCount); r++) top.push(ws.texts(r));
  const headerIndex = findHeaderRow(top, headers);
  if (headerIndex < 0) throw new UnreadableFile(file, `sheet "${sheet}" has no header row with the columns ${headers.join(',')}`);
  const headerRow = headerIndex + 1;
  const names = headerNames(top[headerIndex]!.map((c) => c.trim()), headers);

  const rows: SheetRow[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const texts = ws.texts(r);
    if (texts.every((t) => t.trim() === '')) continue;
    if (isTotalRow(texts)) break;
    const cells: Record<string, string> = {};
    names.forEach((name, c) => {
      if (name !== null) cells[name] = texts[c] ?? '';
    });
    rows.push({ row: r, cells });
  }
  return rows;
}

/**
 * The tables of the named sheets of a delivered workbook. A workbook in plain SpreadsheetML (what
 * office exports and the simulator write) is read straight from its XML — exceljs builds a model
 * of every cell, style and formula first, about 190 µs a row at the Weihai ledger's size; one with
 * anything this reader does not know, or that fails, is read by exceljs as before, so that every
 * cell reads as it always has and every refusal says what it always said.
 */
export async function readWorkbookTables(
  bytes: Buffer,
  file: string,
  sheets: ReadonlyArray<readonly [sheet: string, headers: readonly string[]]>,
): Promise<Map<string, SheetRow[]>> {
  const plain = plainWorkbookTables(bytes, file, sheets);
  if (plain) return plain;
  const workbook = await loadWorkbook(bytes, file);
  return new Map(sheets.map(([sheet, headers]) => [sheet, readSheetTable(workbook, file, sheet, headers)]));
}

/** The tables as read straight from plain SpreadsheetML; null where exceljs must read the workbook (or refuse it). */
export function plainWorkbookTables(
  bytes: Buffer,
  file: string,
  sheets: ReadonlyArray<readonly [sheet: string, headers: readonly string[]]>,
): Map<string, SheetRow[]> | null {
  try {
    const plain = plainWorkbook(bytes);
    const tables = new Map<string, SheetRow[]>();
    for (const [sheet, headers] of sheets) {
      const ws = plain?.sheet(sheet);
      if (!ws) return null;
      tables.set(sheet, sheetTable(ws, file, sheet, headers));
    }
    return tables;
  } catch {
    // exceljs's reading (or refusal) is the one every feed was built against
    return null;
  }
}

/** The texts of a row's cells, index 0 = column A. */
function rowTexts(row: ExcelJS.Row): string[] {
  const texts: string[] = [];
  // row.values is 1-based and sparse
  const values = row.values as ExcelJS.CellValue[];
  for (let c = 1; c < values.length; c++) texts.push(cellText(values[c]));
  return texts;
}

export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('error' in value) return String(value.error);
    if ('text' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text);
  }
  return String(value);
}

/**
 * A number cell as its digits: a region code or an ID number typed as a number keeps every
 * digit the cell holds (an 18-digit ID has already lost its last ones in the spreadsheet, and
 * its check digit will tell).
 */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return String(n);
}

/** exceljs gives a date cell as a Date at the cell's wall-clock time in UTC. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}

// ---------------------------------------------------------------------------------------------
// Plain SpreadsheetML, read as exceljs reads it (its cell-xform, styles-xform and merges): what
// is outside the subset below throws NotPlain, and exceljs reads the workbook.

class NotPlain extends Error {}

function notPlain(what: string): never {
  throw new NotPlain(what);
}

/** The parts of a zip, inflated, each checked against its CRC-32. */
function unzip(bytes: Buffer): Map<string, Buffer> {
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (e) {
    return e instanceof ZipShapeError ? notPlain(e.message) : notPlain('zip');
  }
  const parts = new Map<string, Buffer>();
  for (const { name, flags, method, crc, size, compressedSize, data } of entries) {
    if (flags & 1) notPlain('encrypted');
    if (data.length !== compressedSize) notPlain('truncated');
    const inflated = method === 8 ? zlib.inflateRawSync(data) : method === 0 ? data : notPlain(`zip method ${method}`);
    if (inflated.length !== size || zlib.crc32(inflated) !== crc) notPlain('bad part');
    parts.set(name, inflated);
  }
  return parts;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text or attribute value with its entities decoded (as saxes gives it to exceljs). */
function decode(text: string): string {
  if (text.includes('\r')) notPlain('carriage return');
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) notPlain('bare ampersand');
    if (name in ENTITIES) return ENTITIES[name]!;
    const code = /^#x([0-9a-fA-F]+)$/.exec(name)?.[1] ?? /^#(\d+)$/.exec(name)?.[1];
    if (code === undefined) return notPlain(`entity ${name}`);
    const point = name[1] === 'x' ? parseInt(code, 16) : parseInt(code, 10);
    if (!(point > 0 && point <= 0x10ffff)) notPlain('bad character reference');
    return String.fromCodePoint(point);
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = decode(m[2] ?? m[3] ?? '');
  return out;
}

function partText(parts: Map<string, Buffer>, name: string): string | null {
  const bytes = parts.get(name);
  if (!bytes) return null;
  const text = bytes.toString('utf8');
  // what saxes reads otherwise than this scanner
  if (text.includes('<![CDATA[') || text.includes('<!--') || text.includes('<!DOCTYPE')) notPlain('CDATA, comment or DTD');
  return text;
}

/** exceljs's text-xform: `_xHHHH_` escapes a character XML cannot hold. */
function unescapeText(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-F]{4})_/g, (_w, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** The shared strings, rich text joined into its text. */
function sharedStrings(xml: string | null): string[] {
  if (xml === null) return [];
  const out: string[] = [];
  for (const si of xml.matchAll(/<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g)) {
    const body = si[1] ?? '';
    const plain = /^<t(?:\s[^>]*)?>([^<]*)<\/t>$/.exec(body);
    if (plain) {
      out.push(unescapeText(decode(plain[1]!)));
      continue;
    }
    // rich text: runs of (properties and) one text each, nothing else
    const runs = body.replace(/<r>(?:<rPr>[\s\S]*?<\/rPr>|<rPr\/>)?<t(?:\s[^>]*)?>([^<]*)<\/t><\/r>/g, '');
    if (runs !== '' || body === '') notPlain('shared string shape');
    out.push([...body.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((t) => unescapeText(decode(t[1]!))).join(''));
  }
  return out;
}

/** exceljs's isDateFmt: a format showing a date or time. */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

// exceljs's own table of the built-in number formats, so that a style reads as it did
const BUILT_IN_FORMATS = require('exceljs/lib/xlsx/defaultnumformats') as Record<number, { f?: unknown }>;

/** For each cell style (index into cellXfs), whether exceljs shows its numbers as dates. */
function dateStyles(xml: string | null): boolean[] {
  if (xml === null) return [];
  const formats = new Map<number, string>();
  const numFmts = /<numFmts\b[^>]*>([\s\S]*?)<\/numFmts>/.exec(xml)?.[1] ?? '';
  for (const f of numFmts.matchAll(/<numFmt\b([^>]*)>/g)) {
    const a = attributes(f[1]!);
    formats.set(parseInt(a.numFmtId ?? '', 10), a.formatCode ?? '');
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1];
  if (xfs === undefined) return [];
  return [...xfs.matchAll(/<xf\b([^>]*)>/g)].map((x) => {
    const id = parseInt(attributes(x[1]!).numFmtId ?? '', 10);
    if (!id) return false;
    const builtIn = BUILT_IN_FORMATS[id]?.f;
    return isDateFormat(formats.get(id) || (typeof builtIn === 'string' ? builtIn : undefined));
  });
}

function columnOf(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

/** An unstyled cell without a value: exceljs takes it for part of a merged range. */
const MERGE_SLAVE = '\u0000merge slave';

/** A cell's text as exceljs's value would give it, or undefined for a cell without a value (Null). */
function plainCellText(a: Record<string, string>, body: string | undefined, strings: string[], dates: boolean[], date1904: boolean): string | undefined {
  const style = a.s === undefined ? undefined : parseInt(a.s, 10);
  const type = a.t;
  let formula = false;
  let value: string | undefined;
  if (body) {
    for (const m of body.matchAll(/<(f|v|is)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/g)) {
      if (m[1] === 'f') formula = true;
      else if (m[1] === 'v') value = m[3] ? decode(m[3]) : undefined;
      else {
        const t = /^<t(?:\s[^>]*)?>([^<]*)<\/t>$/.exec(m[3] ?? '');
        if (!t) notPlain('inline string shape');
        value = decode(t[1]!) || undefined;
      }
    }
    if (body.replace(/<(f|v|is)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1>)/g, '') !== '') notPlain('cell content');
  }
  const isDate = !!style && dates[style] === true;
  const number = (v: string) => {
    const n = parseFloat(v);
    return isDate ? dateText(new Date(Math.round((n - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000))) : numberText(n);
  };
  if (formula) {
    if (value === undefined) return '';
    if (type === 'str') return value.includes('&') ? notPlain('entity in a formula text') : value;
    if (type === 'b') return parseInt(value, 10) !== 0 ? 'TRUE' : 'FALSE';
    if (type === 'e') return value;
    return number(value);
  }
  if (value === undefined) {
    // exceljs: a styled cell without a value is Null, an unstyled one a merge slave
    return style ? undefined : MERGE_SLAVE;
  }
  switch (type) {
    case 's': {
      const text = strings[parseInt(value, 10)];
      return text === undefined ? notPlain('shared string index') : text;
    }
    case 'str':
      return value.includes('&') ? notPlain('entity in a text') : value;
    case 'inlineStr':
      return value;
    case 'b':
      return parseInt(value, 10) !== 0 ? 'TRUE' : 'FALSE';
    case 'e':
      return value;
    default:
      return number(value);
  }
}

interface PlainSheet extends SheetTexts {}

function plainSheet(xml: string, strings: string[], dates: boolean[], date1904: boolean): PlainSheet {
  if (/<hyperlinks\b/.test(xml)) notPlain('hyperlinks');
  const data = /<sheetData\s*\/>|<sheetData\b[^>]*>([\s\S]*?)<\/sheetData>/.exec(xml);
  if (!data) notPlain('no sheetData');
  // row number → texts by column (1-based; undefined: no value)
  const rows = new Map<number, Array<string | undefined>>();
  let rowCount = 0;
  for (const row of (data[1] ?? '').matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = parseInt(attributes(row[1]!).r ?? '', 10);
    if (!(r > 0) || rows.has(r)) notPlain('row number');
    rowCount = Math.max(rowCount, r);
    const cells: Array<string | undefined> = [];
    const body = row[2] ?? '';
    const rest = body.replace(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g, (_w, attrs: string, content: string | undefined) => {
      const a = attributes(attrs);
      const address = /^([A-Z]{1,3})(\d+)$/.exec(a.r ?? '');
      if (!address || parseInt(address[2]!, 10) !== r) notPlain('cell address');
      cells[columnOf(address[1]!)] = plainCellText(a, content, strings, dates, date1904);
      return '';
    });
    if (rest.trim() !== '') notPlain('row content');
    rows.set(r, cells);
  }
  // a merged range shows its top-left cell's value in every cell (exceljs's merge slaves)
  const merges = /<mergeCells\b[^>]*>([\s\S]*?)<\/mergeCells>/.exec(xml)?.[1] ?? '';
  for (const m of merges.matchAll(/<mergeCell\b([^>]*)>/g)) {
    const range = /^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$/.exec(attributes(m[1]!).ref ?? '');
    if (!range) notPlain('merge range');
    const [left, top, right, bottom] = [columnOf(range[1]!), parseInt(range[2]!, 10), columnOf(range[3]!), parseInt(range[4]!, 10)];
    if (left > right || top > bottom) notPlain('merge range');
    const master = rows.get(top)?.[left] ?? '';
    for (let r = top; r <= bottom; r++) {
      let cells = rows.get(r);
      if (!cells) rows.set(r, (cells = []));
      for (let c = left; c <= right; c++) if (r !== top || c !== left) cells[c] = master;
    }
    rowCount = Math.max(rowCount, bottom);
  }
  for (const cells of rows.values()) if (cells.includes(MERGE_SLAVE)) notPlain('unstyled empty cell outside a merged range');
  return {
    rowCount,
    texts(r) {
      const cells = rows.get(r);
      if (!cells) return [];
      const texts: string[] = [];
      for (let c = 1; c < cells.length; c++) texts.push(cells[c] ?? '');
      return texts;
    },
  };
}

/** A workbook in plain SpreadsheetML, its sheets read when asked for; null: not plain. */
function plainWorkbook(bytes: Buffer): { sheet(name: string): PlainSheet | null } | null {
  const parts = unzip(bytes);
  const book = partText(parts, 'xl/workbook.xml');
  const rels = partText(parts, 'xl/_rels/workbook.xml.rels');
  if (book === null || rels === null) return null;
  const properties = /<workbookPr\b([^>]*)>/.exec(book);
  const date1904 = properties ? attributes(properties[1]!).date1904 === '1' : false;
  const targets = new Map<string, string>();
  for (const rel of rels.matchAll(/<Relationship\b([^>]*)>/g)) {
    const a = attributes(rel[1]!);
    if (a.Id && a.Target) targets.set(a.Id, a.Target);
  }
  const sheets = new Map<string, string>();
  for (const s of book.matchAll(/<sheet\b([^>]*)>/g)) {
    const a = attributes(s[1]!);
    const target = a['r:id'] ? targets.get(a['r:id']) : undefined;
    const path = target?.startsWith('/') ? target.slice(1) : `xl/${target}`;
    // a name exceljs would refuse, truncate or take for another's
    const name = a.name ?? '';
    if (!name || name.length > 31 || name === 'History' || /[*?:/\\[\]]|^'|'$/.test(name) || [...sheets.keys()].some((n) => n.toLowerCase() === name.toLowerCase())) notPlain('sheet name');
    if (!target || !/^xl\/worksheets\/sheet\d+\.xml$/.test(path)) notPlain('sheet part');
    sheets.set(name, path);
  }
  const strings = sharedStrings(partText(parts, 'xl/sharedStrings.xml'));
  const dates = dateStyles(partText(parts, 'xl/styles.xml'));
  return {
    sheet(name) {
      const path = sheets.get(name);
      const xml = path ? partText(parts, path) : null;
      return xml === null ? null : plainSheet(xml, strings, dates, date1904);
    },
  };
}
