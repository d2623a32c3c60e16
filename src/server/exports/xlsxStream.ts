import ExcelJS from 'exceljs';
import type { Response } from 'express';

/**
 * An XLSX written as it is made (exceljs's streaming writer), piped to the HTTP response: rows
 * are committed one by one and leave the process, so a 100,000-row export holds a row at a time.
 * Each sheet starts with a title row (what, as of when), then the Chinese headers; dates are
 * dates, money a number with two decimals.
 */
export type Cell = string | number | Date | null;

export interface Column {
  header: string;
  width?: number;
  kind?: 'text' | 'count' | 'money' | 'date' | 'share';
}

const FORMATS: Record<NonNullable<Column['kind']>, string | undefined> = {
  text: '@',
  count: '0',
  money: '0.00',
  date: 'yyyy-mm-dd',
  share: '0.00%',
};

export function xlsxResponse(res: Response, fileName: string): ExcelJS.stream.xlsx.WorkbookWriter {
  res.status(200);
  res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  // the ASCII name for old clients, the Chinese one for the rest (RFC 6266)
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  res.setHeader('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  res.setHeader('cache-control', 'no-store');
  return new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
}

export interface SheetWriter {
  add(cells: Cell[]): void;
  done(): void;
}

export function titledSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, name: string, title: string, columns: readonly Column[]): SheetWriter {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = columns.map((c) => ({ width: c.width ?? Math.max(10, c.header.length * 2 + 2), style: FORMATS[c.kind ?? 'text'] ? { numFmt: FORMATS[c.kind ?? 'text'] } : {} }));
  const titleRow = sheet.addRow([title]);
  titleRow.font = { bold: true, size: 14 };
  titleRow.commit();
  const headerRow = sheet.addRow(columns.map((c) => c.header));
  headerRow.font = { bold: true };
  headerRow.commit();
  return {
    add(cells) {
      sheet.addRow(cells).commit();
    },
    done() {
      sheet.commit();
    },
  };
}

/** A calendar day (YYYY-MM-DD) as an Excel date: exceljs writes a Date as its UTC day. */
export function day(value: string | null | undefined): Date | null {
  return value ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : null;
}

/** An instant as an Excel date-time in Asia/Shanghai (Excel has no time zones: the office's clock). */
export function shanghaiTime(value: Date | string | null | undefined): Date | null {
  if (!value) return null;
  return new Date(new Date(value).getTime() + 8 * 3_600_000);
}

/** A numeric amount (pg numeric arrives as a string) as a number: two decimals by the column's format. */
export function money(value: string | number | null | undefined): number | null {
  return value === null || value === undefined || value === '' ? null : Number(value);
}

/** Waits for the response to be flushed when the writer has more than it holds (back-pressure). */
export function drained(res: Response): Promise<void> {
  return res.writableNeedDrain ? new Promise((resolve) => res.once('drain', () => resolve())) : Promise.resolve();
}
