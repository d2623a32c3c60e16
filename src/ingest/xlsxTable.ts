import ExcelJS from 'exceljs';
import { findHeaderRow, headerNames, isTotalRow, UnreadableFile } from './fileDrop';

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
  const top: string[][] = [];
  for (let r = 1; r <= Math.min(20, ws.rowCount); r++) top.push(rowTexts(ws.getRow(r)));
  const headerIndex = findHeaderRow(top, headers);
  if (headerIndex < 0) throw new UnreadableFile(file, `sheet "${sheet}" has no header row with the columns ${headers.join(',')}`);
  const headerRow = headerIndex + 1;
  const names = headerNames(top[headerIndex]!.map((c) => c.trim()), headers);

  const rows: SheetRow[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const texts = rowTexts(ws.getRow(r));
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
