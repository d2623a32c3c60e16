import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { z } from 'zod';
import type { StreamBatch } from '../../src/ingest/connector';
import { readCsvTable } from '../../src/ingest/csvTable';
import { cellsOf, fileDropBatches, type FileDropSpec, type FileRecord, UnreadableFile } from '../../src/ingest/fileDrop';
import { RecordFault } from '../../src/ingest/recordFields';
import { loadWorkbook, readSheetTable } from '../../src/ingest/xlsxTable';
import { parseBusinessDate, normaliseIdNumber, normaliseRegionCode } from '../../src/identity';

const HEADERS = ['编号', '身份证号', '姓名', '金额'];
const gbk = (lines: string[]) => iconv.encode(lines.join('\r\n'), 'gb18030');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-drop-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function refusal(read: () => Promise<unknown>): Promise<UnreadableFile> {
  try {
    await read();
  } catch (e) {
    if (e instanceof UnreadableFile) return e;
    throw e;
  }
  throw new Error('the file was read');
}

describe('reading a CSV delivery', () => {
  it('decodes GBK, finds the header below a title banner, skips blank rows and stops at the 合计 row', async () => {
    const bytes = gbk([
      '2026年威海市某台账,,,',
      '编号,身份证号,姓名,金额',
      'A1,371002198001011232,张伟,100.00',
      '',
      'A2,371002198001011232,"李娜, 住址",200.00',
      ',,,',
      'A3,371002198001011232,王芳,300.00',
      '合计,,,600.00',
      '制表人：赵六,,,',
    ]);
    const rows = await readCsvTable(bytes, 'ledger.csv', HEADERS);
    expect(rows).toEqual([
      { line: 3, cells: { 编号: 'A1', 身份证号: '371002198001011232', 姓名: '张伟', 金额: '100.00' } },
      { line: 5, cells: { 编号: 'A2', 身份证号: '371002198001011232', 姓名: '李娜, 住址', 金额: '200.00' } },
      { line: 7, cells: { 编号: 'A3', 身份证号: '371002198001011232', 姓名: '王芳', 金额: '300.00' } },
    ]);
  });

  it('numbers a header without banner as line 1 and counts the lines of a quoted field that spans several', async () => {
    const bytes = gbk(['编号,身份证号,姓名,金额', 'A1,1,"第一行\r\n第二行",1', 'A2,2,张三,2']);
    const rows = await readCsvTable(bytes, 'ledger.csv', HEADERS);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(rows[0]!.cells.姓名).toBe('第一行\r\n第二行');
  });

  it('ends rows as the file does even when a quoted banner above the header breaks its lines otherwise', async () => {
    const bytes = gbk(['"威海市学生资助台账\n（2026年）",,,', '编号,身份证号,姓名,金额', 'A1,1,张伟,100.00', 'A2,2,李娜,200.00']);
    const rows = await readCsvTable(bytes, 'ledger.csv', HEADERS);
    expect(rows.map((r) => [r.line, r.cells.金额])).toEqual([
      [4, '100.00'],
      [5, '200.00'],
    ]);
  });

  it('reads UTF-8 after a byte-order mark and matches headers written with full-width brackets or spaces', async () => {
    const text = '\uFEFF区划代码, 储备金（元）\r\n371002,4360000.00\r\n';
    const rows = await readCsvTable(Buffer.from(text, 'utf8'), 'stats.csv', ['区划代码', '储备金(元)']);
    expect(rows).toEqual([{ line: 2, cells: { 区划代码: '371002', '储备金(元)': '4360000.00' } }]);
  });

  it('refuses UTF-8 without a byte-order mark as the wrong encoding, naming the file', async () => {
    const bytes = Buffer.from('编号,身份证号,姓名,金额\r\nA1,371002198001011232,张伟,100.00\r\n', 'utf8');
    const e = await refusal(() => readCsvTable(bytes, 'xszz_2026-2027_1.csv', HEADERS));
    expect(e.message).toMatch(/^xszz_2026-2027_1\.csv: .*wrong encoding/);
  });

  it('refuses bytes that are not GB18030', async () => {
    const bytes = Buffer.concat([gbk(['编号,身份证号,姓名,金额', 'A1,1,']), Buffer.from([0x81, 0x20]), gbk([',1', ''])]);
    expect((await refusal(() => readCsvTable(bytes, 'ledger.csv', HEADERS))).message).toMatch(/does not decode as GBK/);
  });

  it('refuses a file cut off inside a character', async () => {
    const whole = gbk(['编号,身份证号,姓名,金额', 'A1,1,张伟,1']);
    // 伟 is two bytes in GBK: the file ends after the first
    const bytes = whole.subarray(0, whole.length - gbk(['伟,1']).length + 1);
    expect((await refusal(() => readCsvTable(bytes, 'ledger.csv', HEADERS))).message).toBe('ledger.csv: truncated: the file ends inside a character');
  });

  it('lets other work run while it checks a large file: a hub serving GraphQL keeps answering', async () => {
    const lines = ['编号,身份证号,姓名,金额'];
    for (let i = 0; i < 150_000; i++) lines.push(`A${i},371002198001011232,张伟${i % 10},${i}.00`);
    const bytes = gbk(lines);
    expect(bytes.length).toBeGreaterThan(5 * 2 ** 20);
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    try {
      const rows = await readCsvTable(bytes, 'ledger.csv', HEADERS);
      expect(rows.length).toBe(150_000);
      expect(rows[149_999]).toEqual({ line: 150_001, cells: { 编号: 'A149999', 身份证号: '371002198001011232', 姓名: '张伟9', 金额: '149999.00' } });
    } finally {
      clearInterval(ticking);
    }
    // a turn of the event loop at least for every megabyte decoded and every megabyte parsed
    expect(turns).toBeGreaterThanOrEqual(8);
  });

  it('refuses a file cut off inside a quoted field', async () => {
    const bytes = gbk(['编号,身份证号,姓名,金额', 'A1,1,"张伟', '']);
    expect((await refusal(() => readCsvTable(bytes, 'ledger.csv', HEADERS))).message).toMatch(/^ledger\.csv: truncated/);
  });

  it('refuses a file whose last row is shorter than the header, even after its line break', async () => {
    const bytes = gbk(['编号,身份证号,姓名,金额', 'A1,1,张伟,1', 'A2,2', '']);
    expect((await refusal(() => readCsvTable(bytes, 'ledger.csv', HEADERS))).message).toMatch(/truncated: the last row \(line 3\) has 2 of 4 columns/);
  });

  it('refuses a file without the expected header', async () => {
    const bytes = gbk(['编号,身份证,姓名,金额', 'A1,1,张伟,1']);
    expect((await refusal(() => readCsvTable(bytes, 'ledger.csv', HEADERS))).message).toMatch(/no header row/);
  });

  it('keeps a short or shifted row in the middle for its record to be refused with a reason', async () => {
    const bytes = gbk(['编号,身份证号,姓名,金额', 'A1,1,张伟', 'A2,2,李,娜,2', 'A3,3,王芳,3']);
    const rows = await readCsvTable(bytes, 'ledger.csv', HEADERS);
    const contract = z.object({ 编号: z.string(), 身份证号: z.string(), 姓名: z.string(), 金额: z.string() });
    const fault = (cells: Record<string, string>) => {
      try {
        cellsOf(cells, contract);
      } catch (e) {
        return e instanceof RecordFault ? { reason: e.reason, field: e.field } : e;
      }
      return null;
    };
    expect(fault(rows[0]!.cells)).toEqual({ reason: 'MISSING_FIELD', field: '金额' });
    expect(fault(rows[1]!.cells)).toEqual({ reason: 'BAD_VALUE', field: '(column 5)' });
    expect(fault(rows[2]!.cells)).toBeNull();
  });
});

describe('reading an XLSX delivery', () => {
  async function ledger(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  function ledgerSheet(wb: ExcelJS.Workbook, name = '保障房'): ExcelJS.Worksheet {
    const ws = wb.addWorksheet(name);
    ws.mergeCells('A1:E1');
    ws.getCell('A1').value = '2026年威海市住房保障台账';
    ws.addRow(['序号', '身份证号', '区划代码', '金额', '开始日期']);
    return ws;
  }

  it('reads the cells as text: number cells as digits, date cells and serial numbers as dates, formulas as results', async () => {
    const bytes = await ledger((wb) => {
      const ws = ledgerSheet(wb);
      ws.addRow([1, '371002198001011232', 371002001001, 640, new Date(Date.UTC(2017, 9, 8))]);
      ws.addRow([2, { richText: [{ text: '3710021980' }, { text: '01011232' }] }, '371002001001.0', { formula: 'D3*2', result: 1280 }, 45352]);
      ws.addRow([]);
      ws.addRow([3, '371002198001011232', '371002', '¥1,234.50', '2024年3月1日']);
      ws.addRow(['合计', null, null, { formula: 'SUM(D3:D6)', result: 3154.5 }, null]);
      ws.addRow([4, 'after the total', '371002', 1, null]);
    });
    const wb = await loadWorkbook(bytes, 'zfbz_20261031.xlsx');
    const rows = readSheetTable(wb, 'zfbz_20261031.xlsx', '保障房', ['序号', '身份证号', '区划代码', '金额', '开始日期']);
    expect(rows.map((r) => r.row)).toEqual([3, 4, 6]);
    expect(rows[0]!.cells).toEqual({ 序号: '1', 身份证号: '371002198001011232', 区划代码: '371002001001', 金额: '640', 开始日期: '2017-10-08' });
    expect(rows[1]!.cells).toEqual({ 序号: '2', 身份证号: '371002198001011232', 区划代码: '371002001001.0', 金额: '1280', 开始日期: '45352' });
    // the texts read as the values the feed meant
    expect(rows.map((r) => parseBusinessDate(r.cells.开始日期))).toEqual([
      { ok: true, date: '2017-10-08' }, { ok: true, date: '2024-03-01' }, { ok: true, date: '2024-03-01' },
    ]);
    expect(rows.map((r) => normaliseRegionCode(r.cells.区划代码))).toEqual([
      { ok: true, code: '371002001001' }, { ok: true, code: '371002001001' }, { ok: true, code: '371002' },
    ]);
  });

  it('keeps the digits an ID number typed into a number cell still has, so that its check digit refuses it', async () => {
    const bytes = await ledger((wb) => ledgerSheet(wb).addRow([1, 371002198001011232, '371002', 1, null]));
    const wb = await loadWorkbook(bytes, 'zfbz_20261031.xlsx');
    const [row] = readSheetTable(wb, 'zfbz_20261031.xlsx', '保障房', ['身份证号']);
    expect(row!.cells.身份证号).toMatch(/^\d{18}$/);
    expect(normaliseIdNumber(row!.cells.身份证号).ok).toBe(false);
  });

  it('finds the header below a taller banner', async () => {
    const bytes = await ledger((wb) => {
      const ws = wb.addWorksheet('危房');
      ws.addRow(['2026年威海市住房保障台账']);
      ws.addRow(['填报单位：威海市住建局']);
      ws.addRow(['序号', '户主身份证号']);
      ws.addRow([1, '371002198001011232']);
    });
    const wb = await loadWorkbook(bytes, 'zfbz_20261031.xlsx');
    expect(readSheetTable(wb, 'zfbz_20261031.xlsx', '危房', ['序号', '户主身份证号'])).toEqual([
      { row: 4, cells: { 序号: '1', 户主身份证号: '371002198001011232' } },
    ]);
  });

  it('refuses a workbook without the named sheet, naming the file and the sheets it has', async () => {
    const bytes = await ledger((wb) => ledgerSheet(wb));
    const wb = await loadWorkbook(bytes, 'zfbz_20261031.xlsx');
    expect((await refusal(async () => readSheetTable(wb, 'zfbz_20261031.xlsx', '危房', ['序号']))).message).toBe(
      'zfbz_20261031.xlsx: has no sheet "危房" (sheets: 保障房)',
    );
  });

  it('refuses a truncated workbook', async () => {
    const bytes = await ledger((wb) => ledgerSheet(wb).addRow([1, '371002198001011232', '371002', 1, null]));
    await expect(loadWorkbook(bytes.subarray(0, bytes.length - 200), 'zfbz_20261031.xlsx')).rejects.toThrow(
      /^zfbz_20261031\.xlsx: not a readable XLSX workbook \(truncated or corrupt\)/,
    );
  });
});

describe('the delivery files of a drop', () => {
  const csv = (rows: string[]) => gbk(['编号,身份证号,姓名,金额', ...rows]);

  function spec(over: Partial<FileDropSpec> = {}): FileDropSpec & { reads: string[] } {
    const reads: string[] = [];
    return {
      reads,
      pattern: /^ledger_(\d{4})(\d{2})(\d{2})\.csv$/,
      terms: (m) => ({ partition: '', endDate: `${m[1]}-${m[2]}-${m[3]}` }),
      read: async (file) => {
        reads.push(file.name);
        return (await readCsvTable(file.bytes, file.name, HEADERS)).map((r) => ({ location: `${file.name}:line ${r.line}`, cells: r.cells }));
      },
      chunkSize: 2,
      ...over,
    };
  }

  async function collect(source: string, bookmark: unknown, s: FileDropSpec): Promise<StreamBatch[]> {
    const batches: StreamBatch[] = [];
    for await (const b of fileDropBatches(source, bookmark, s)) batches.push(b);
    return batches;
  }

  const numbers = (batches: StreamBatch[]) => batches.flatMap((b) => (b.records as FileRecord[]).map((r) => r.cells.编号));

  it('reads only the files the name pattern matches, in name order, in chunks, the last one marked', async () => {
    fs.writeFileSync(path.join(dir, 'ledger_20261130.csv'), csv(['B1,1,甲,1']));
    fs.writeFileSync(path.join(dir, 'ledger_20261031.csv'), csv(['A1,1,甲,1', 'A2,2,乙,2', 'A3,3,丙,3']));
    fs.writeFileSync(path.join(dir, 'ledger_20261031.csv.bak'), csv(['X1,1,甲,1']));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a delivery');
    const batches = await collect(dir, undefined, spec());
    expect(numbers(batches)).toEqual(['A1', 'A2', 'A3', 'B1']);
    expect(batches.map((b) => [b.delivery!.id.split('@')[0], b.delivery!.endDate, b.delivery!.last])).toEqual([
      ['ledger_20261031.csv', '2026-10-31', false],
      ['ledger_20261031.csv', '2026-10-31', true],
      ['ledger_20261130.csv', '2026-11-30', true],
    ]);
    expect(batches[0]!.locations).toEqual(['ledger_20261031.csv:line 2', 'ledger_20261031.csv:line 3']);
    expect(Object.keys((batches.at(-1)!.bookmark as any).files)).toEqual(['ledger_20261031.csv', 'ledger_20261130.csv']);
  });

  it('does not read a file already loaded, and loads it again once its content changed', async () => {
    const file = path.join(dir, 'ledger_20261031.csv');
    fs.writeFileSync(file, csv(['A1,1,甲,1']));
    const first = await collect(dir, undefined, spec());
    const s = spec();
    expect(await collect(dir, first.at(-1)!.bookmark, s)).toEqual([]);
    expect(s.reads).toEqual([]);

    fs.writeFileSync(file, csv(['A1,1,甲,1', 'A2,2,乙,2']));
    const again = await collect(dir, first.at(-1)!.bookmark, spec());
    expect(numbers(again)).toEqual(['A1', 'A2']);
    // a different content is a different delivery: what only the earlier one held can end
    expect(again[0]!.delivery!.id).not.toBe(first[0]!.delivery!.id);
  });

  it('resumes after the last committed chunk of the file it was loading', async () => {
    fs.writeFileSync(path.join(dir, 'ledger_20261031.csv'), csv(['A1,1,甲,1', 'A2,2,乙,2', 'A3,3,丙,3', 'A4,4,丁,4', 'A5,5,戊,5']));
    const all = await collect(dir, undefined, spec());
    // the run failed after committing the first chunk: its bookmark is the one saved
    const resumed = await collect(dir, all[0]!.bookmark, spec());
    expect(numbers(resumed)).toEqual(['A3', 'A4', 'A5']);
    expect(resumed[0]!.locations![0]).toBe('ledger_20261031.csv:line 4');
    expect(resumed.at(-1)!.delivery!.last).toBe(true);
  });

  it('applies a half-loaded file whole again when a file named before it was applied first', async () => {
    fs.writeFileSync(path.join(dir, 'ledger_20261130.csv'), csv(['B1,1,甲,1', 'B2,2,乙,2', 'B3,3,丙,3']));
    const all = await collect(dir, { files: { 'ledger_20261031.csv': 'loaded before' } }, spec());
    fs.writeFileSync(path.join(dir, 'ledger_20261115.csv'), csv(['M1,1,甲,1']));
    expect(numbers(await collect(dir, all[0]!.bookmark, spec()))).toEqual(['M1', 'B1', 'B2', 'B3']);
  });

  it('starts over a half-loaded file whose content changed meanwhile', async () => {
    const file = path.join(dir, 'ledger_20261031.csv');
    fs.writeFileSync(file, csv(['A1,1,甲,1', 'A2,2,乙,2', 'A3,3,丙,3']));
    const all = await collect(dir, undefined, spec());
    fs.writeFileSync(file, csv(['C1,1,甲,1', 'C2,2,乙,2', 'C3,3,丙,3']));
    expect(numbers(await collect(dir, all[0]!.bookmark, spec()))).toEqual(['C1', 'C2', 'C3']);
  });

  it('hands an empty snapshot on as one final batch, so that it can end what it no longer holds', async () => {
    fs.writeFileSync(path.join(dir, 'ledger_20261031.csv'), csv([]));
    const batches = await collect(dir, undefined, spec());
    expect(batches.map((b) => [b.records.length, b.delivery!.last])).toEqual([[0, true]]);
  });

  it('leaves a snapshot older than one already loaded unread', async () => {
    fs.writeFileSync(path.join(dir, 'ledger_20261130.csv'), csv(['B1,1,甲,1']));
    const loaded = await collect(dir, undefined, spec({ snapshots: true }));
    fs.writeFileSync(path.join(dir, 'ledger_20261031.csv'), csv(['A1,1,甲,1']));
    const s = spec({ snapshots: true });
    expect(await collect(dir, loaded.at(-1)!.bookmark, s)).toEqual([]);
    expect(s.reads).toEqual([]);
  });

  it('reads a source that names one file', async () => {
    fs.writeFileSync(path.join(dir, 'ledger_20261031.csv'), csv(['A1,1,甲,1']));
    expect(numbers(await collect(path.join(dir, 'ledger_20261031.csv'), undefined, spec()))).toEqual(['A1']);
  });

  it('fails clearly on a source that does not exist', async () => {
    await expect(collect(path.join(dir, 'missing'), undefined, spec())).rejects.toThrow(/file drop not found: .*missing/);
  });
});
