/**
 * Delivery files made from the sample drops for a test: a newer snapshot without some records,
 * and the broken deliveries departments send — cut off, in the wrong encoding, a sheet missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** The lines of a GBK CSV delivery (CRLF), as text. */
export function gbkLines(file: string): string[] {
  return iconv.decode(fs.readFileSync(file), 'gb18030').split('\r\n');
}

export function writeGbk(file: string, lines: string[]): void {
  fs.writeFileSync(file, iconv.encode(lines.join('\r\n'), 'gb18030'));
}

/** A copy of a GBK CSV delivery under another name, without the data rows `drop` picks (by their cells). */
export function csvWithout(from: string, to: string, drop: (cells: string[]) => boolean): number {
  const lines = gbkLines(from);
  const kept = lines.filter((l, i) => i === 0 || !l.trim() || !drop(l.split(',')));
  writeGbk(to, kept);
  return lines.length - kept.length;
}

/** The file cut off in the middle of a data row, as an interrupted transfer leaves it. */
export function cutInsideRow(file: string): void {
  const lines = gbkLines(file).filter((l) => l.trim());
  const keep = Math.ceil(lines.length / 2);
  const partial = lines[keep].split(',').slice(0, 3).join(',');
  fs.writeFileSync(file, iconv.encode([...lines.slice(0, keep), partial].join('\r\n'), 'gb18030'));
}

/** The file exported as UTF-8 without a byte-order mark, where the contract says GBK. */
export function asUtf8WithoutBom(file: string): void {
  fs.writeFileSync(file, gbkLines(file).join('\r\n'), 'utf8');
}

async function workbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** The workbook without one of its sheets. */
export async function withoutSheet(file: string, sheet: string): Promise<void> {
  const wb = await workbook(file);
  wb.removeWorksheet(wb.getWorksheet(sheet)!.id);
  await wb.xlsx.writeFile(file);
}

/** A copy of a workbook under another name, without the data rows of each sheet whose column `column` reads `value`. */
export async function workbookWithout(from: string, to: string, rows: Array<{ sheet: string; column: number; value: string }>): Promise<void> {
  const wb = await workbook(from);
  for (const { sheet, column, value } of rows) {
    const ws = wb.getWorksheet(sheet)!;
    let at = -1;
    for (let r = 3; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(column).text.trim() === value) at = r;
    if (at < 0) throw new Error(`${path.basename(from)}/${sheet}: no row with ${value}`);
    ws.spliceRows(at, 1);
  }
  await wb.xlsx.writeFile(to);
}
