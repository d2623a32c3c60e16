/**
 * The housing ledger workbook as the housing bureau exports it (feeds.md §4): sheets 保障房 and
 * 危房, each with a merged title banner on row 1, the header on row 2, the rows, and a 合计 row
 * whose SUM formulas carry their results. Written with exceljs's streaming writer; the zip
 * entries get a fixed time, so the same rows give the same bytes.
 */
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { DANGEROUS_HOUSE_HEADER, type DropRow, PUBLIC_HOUSING_HEADER, type SheetCell } from './records';

/**
 * exceljs stamps each zip entry with the time of writing, some of them while the writer is
 * being constructed. Its zip (archiver) keeps the options it was made with: an entry of a zip
 * made with `fixedEntryDate` gets that date instead, so the same rows give the same bytes.
 */
interface ArchiverCore {
  options: { fixedEntryDate?: Date };
  append(source: unknown, data: Record<string, unknown>): unknown;
}
/** The archiver exceljs itself uses (a dependency of exceljs, not of this package). */
const archiverCore = require(join(dirname(require.resolve('archiver/package.json', { paths: [dirname(require.resolve('exceljs'))] })), 'lib', 'core')) as {
  prototype: ArchiverCore;
};
const append = archiverCore.prototype.append;
if (!(append as { fixesDates?: boolean }).fixesDates) {
  const fixed = function (this: ArchiverCore, source: unknown, data: Record<string, unknown>) {
    const date = this.options?.fixedEntryDate;
    return append.call(this, source, date ? { ...data, date } : data);
  };
  archiverCore.prototype.append = Object.assign(fixed, { fixesDates: true });
}

interface SheetSpec {
  name: '保障房' | '危房';
  title: string;
  header: readonly string[];
  /** 0-based columns summed in the 合计 row */
  totals: number[];
  /** 0-based columns of amounts and of dates, for their number formats */
  amounts: number[];
  dates: number[];
}

const COLUMN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Date cells show in the forms offices set: most ISO, some Chinese, some American. */
const DATE_FORMATS = ['yyyy-mm-dd', 'yyyy-mm-dd', 'yyyy-mm-dd', 'yyyy-mm-dd', 'yyyy"年"m"月"d"日"', 'mm-dd-yy', 'yyyy/m/d'];

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, spec: SheetSpec, rows: readonly DropRow[]): void {
  const sheet = workbook.addWorksheet(spec.name);
  const last = COLUMN_LETTERS[spec.header.length - 1];
  sheet.mergeCells(`A1:${last}1`);
  const banner = sheet.getRow(1);
  banner.getCell(1).value = spec.title;
  banner.getCell(1).font = { bold: true, size: 14 };
  banner.getCell(1).alignment = { horizontal: 'center' };
  banner.commit();
  const header = sheet.addRow([...spec.header]);
  header.font = { bold: true };
  header.commit();

  const sums = spec.totals.map(() => 0);
  rows.forEach((row, i) => {
    const written = sheet.addRow(row.cells.map((c) => (c === null ? null : c)) as ExcelJS.CellValue[]);
    for (const column of spec.amounts) if (typeof row.cells[column] === 'number') written.getCell(column + 1).numFmt = '#,##0.00';
    for (const column of spec.dates) {
      if (row.cells[column] instanceof Date) written.getCell(column + 1).numFmt = DATE_FORMATS[(i * 3 + column) % DATE_FORMATS.length];
    }
    spec.totals.forEach((column, k) => {
      const value: SheetCell = row.cells[column];
      // A SUM skips text cells, as the spreadsheet does.
      if (typeof value === 'number') sums[k] += value;
    });
    written.commit();
  });

  const total: ExcelJS.CellValue[] = new Array(spec.header.length).fill(null);
  total[0] = '合计';
  spec.totals.forEach((column, k) => {
    const letter = COLUMN_LETTERS[column];
    total[column] = { formula: `SUM(${letter}3:${letter}${rows.length + 2})`, result: Math.round(sums[k] * 100) / 100 };
  });
  const totalRow = sheet.addRow(total);
  for (const column of spec.amounts) if (spec.totals.includes(column)) totalRow.getCell(column + 1).numFmt = '#,##0.00';
  totalRow.font = { bold: true };
  totalRow.commit();
  sheet.commit();
}

/**
 * Writes `zfbz_{YYYYMMDD}.xlsx`. `cityName` and `year` make the banner, e.g. 2026年威海市住房保障台账;
 * `exportedOn` is the workbook's creation time and every zip entry's.
 */
export async function writeHousingWorkbook(
  path: string,
  opts: { cityName: string; year: number; exportedOn: Date },
  publicHousing: readonly DropRow[],
  dangerousHouses: readonly DropRow[],
): Promise<void> {
  const zip = { fixedEntryDate: opts.exportedOn } as ExcelJS.stream.xlsx.WorkbookStreamWriterOptions['zip'];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: true, zip });
  workbook.creator = '住房保障管理系统';
  workbook.created = opts.exportedOn;
  workbook.modified = opts.exportedOn;

  const title = `${opts.year}年${opts.cityName}住房保障台账`;
  addSheet(workbook, { name: '保障房', title, header: PUBLIC_HOUSING_HEADER, totals: [3, 5], amounts: [5], dates: [6, 7] }, publicHousing);
  addSheet(workbook, { name: '危房', title: `${title}（农村危房）`, header: DANGEROUS_HOUSE_HEADER, totals: [6], amounts: [6], dates: [4] }, dangerousHouses);
  await workbook.commit();
}
