/**
 * A delivered workbook is read straight from its XML where it is plain SpreadsheetML (exceljs
 * built a model of every cell first: about 190 µs a row of the Weihai housing ledger). Every
 * cell must read as exceljs read it — the texts are what records are mapped and hashed from, so a
 * different text would be a new version of every housing record — and a workbook the reader
 * does not know is read by exceljs, refusals included.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadWorkbook, plainWorkbookTables, readSheetTable, readWorkbookTables } from '../../src/ingest/xlsxTable';
import { DANGEROUS_HOUSE_HEADERS, DANGEROUS_HOUSE_SHEET, PUBLIC_HOUSING_HEADERS, PUBLIC_HOUSING_SHEET } from '../../connectors/housing/contract';
import { samplesDir } from '../support/samples';

const LEDGER_SHEETS = [[PUBLIC_HOUSING_SHEET, PUBLIC_HOUSING_HEADERS], [DANGEROUS_HOUSE_SHEET, DANGEROUS_HOUSE_HEADERS]] as const;

async function byExceljs(bytes: Buffer, file: string, sheets: ReadonlyArray<readonly [string, readonly string[]]>) {
  const workbook = await loadWorkbook(bytes, file);
  return new Map(sheets.map(([sheet, headers]) => [sheet, readSheetTable(workbook, file, sheet, headers)]));
}

async function written(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADERS = ['序号', '身份证号', '区划代码', '金额', '开始日期', '备注'];

function ledger(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
  const ws = wb.addWorksheet('保障房');
  ws.mergeCells('A1:F1');
  ws.getCell('A1').value = '2026年威海市住房保障台账';
  ws.addRow(HEADERS);
  return ws;
}

/** every kind of cell an office export holds, and a few it should not */
function oddCells(ws: ExcelJS.Worksheet) {
  ws.addRow([1, '371002198001011232', 371002001001, 640, new Date(Date.UTC(2017, 9, 8)), 'A & B <c> "d" \'e\'']);
  ws.addRow([2, { richText: [{ text: '3710021980' }, { font: { bold: true }, text: '01011232' }] }, '371002001001.0', { formula: 'D3*2', result: 1280 }, 45352, '  两端空格  ']);
  ws.addRow([]);
  const dated = ws.addRow([3, 371002198001011232, '371002', 1234.5, 45352.75, true]);
  dated.getCell(5).numFmt = 'yyyy"年"m"月"d"日" h:mm';
  dated.getCell(4).numFmt = '#,##0.00';
  const formulaDate = ws.addRow([4, '37100219800101123X', null, { formula: 'D5+1', result: 0.125 }, { formula: 'E3+1', result: 43336 }, { error: '#N/A' }]);
  formulaDate.getCell(5).numFmt = 'yyyy-mm-dd';
  const builtIn = ws.addRow([5, '371002198001011232', '', -0, 43336, false]);
  builtIn.getCell(5).numFmt = 'mm-dd-yy';
  ws.addRow([6, '制表符\t与换行\n', 1e21, 1.5e-7, '2024年3月1日', '_x000D_ 不是回车']);
  ws.addRow(['合计', null, null, { formula: 'SUM(D3:D8)', result: 3154.5 }, null]);
  ws.addRow([7, 'after the total', '371002', 1, null]);
}

describe('a workbook read straight from its XML', () => {
  it("reads the sample housing ledger's two sheets cell for cell as exceljs does", async () => {
    const file = 'zfbz_20261031.xlsx';
    const bytes = fs.readFileSync(path.join(samplesDir, 'drop', 'housing', file));
    const plain = plainWorkbookTables(bytes, file, LEDGER_SHEETS);
    expect(plain).not.toBeNull();
    expect([...plain!.values()].map((rows) => rows.length)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(plain).toEqual(await byExceljs(bytes, file, LEDGER_SHEETS));
  });

  it('reads numbers, dates (custom and built-in formats), formulas, rich text, booleans, errors and escapes as exceljs does', async () => {
    const bytes = await written((wb) => oddCells(ledger(wb)));
    const plain = plainWorkbookTables(bytes, 'ledger.xlsx', [['保障房', HEADERS]]);
    expect(plain).not.toBeNull();
    const expected = await byExceljs(bytes, 'ledger.xlsx', [['保障房', HEADERS]]);
    expect(plain).toEqual(expected);
    expect(expected.get('保障房')!.map((r) => r.row)).toEqual([3, 4, 6, 7, 8, 9]);
  });

  it('leaves a workbook with what it does not read (a hyperlink) to exceljs, with the same rows', async () => {
    const bytes = await written((wb) => {
      const ws = ledger(wb);
      oddCells(ws);
      ws.getCell('F3').value = { text: '登记表', hyperlink: 'https://example.org/a?b=1&c=2' };
    });
    expect(plainWorkbookTables(bytes, 'ledger.xlsx', [['保障房', HEADERS]])).toBeNull();
    const rows = await readWorkbookTables(bytes, 'ledger.xlsx', [['保障房', HEADERS]]);
    expect(rows).toEqual(await byExceljs(bytes, 'ledger.xlsx', [['保障房', HEADERS]]));
    expect(rows.get('保障房')![0]!.cells.备注).toBe('登记表');
  });

  it('refuses a workbook without the named sheet or truncated as before', async () => {
    const bytes = await written((wb) => oddCells(ledger(wb)));
    await expect(readWorkbookTables(bytes, 'ledger.xlsx', [['危房', ['序号']]])).rejects.toThrow('ledger.xlsx: has no sheet "危房" (sheets: 保障房)');
    await expect(readWorkbookTables(bytes, 'ledger.xlsx', [['保障房', ['序号', '没有这一列']]])).rejects.toThrow(
      'ledger.xlsx: sheet "保障房" has no header row with the columns 序号,没有这一列',
    );
    await expect(readWorkbookTables(bytes.subarray(0, bytes.length - 200), 'ledger.xlsx', [['保障房', HEADERS]])).rejects.toThrow(
      /^ledger\.xlsx: not a readable XLSX workbook \(truncated or corrupt\)/,
    );
  });
});
