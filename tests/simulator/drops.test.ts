import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { writeDrops } from '../../src/simulator/drops';
import { cellText, readCsvFile, readIdNumber, readWorkbook, weihaiRegionCodes } from './independentChecks';

const EDUCATION = '学籍号,身份证号,姓名,学校名称,学段,年级,在校状态,资助项目,资助金额,学年,学期,区划代码';
const POVERTY = '户编号,户主身份证号,成员身份证号,成员姓名,与户主关系,识别年度,脱贫状态,监测对象类型,主要风险,家庭年人均纯收入,区划代码';
const REGION_STATS = '区划代码,年度,常住人口,户数,民政专职人员数,村级协理员数,临时救助储备金(元),临时救助备用金(元)';
const PUBLIC_HOUSING = ['序号', '申请人身份证号', '申请人姓名', '家庭人口', '保障方式', '补贴金额(元/月)', '开始日期', '结束日期', '房源地址', '区划代码'];
const DANGEROUS_HOUSES = ['序号', '户主身份证号', '户主姓名', '鉴定等级', '鉴定日期', '改造状态', '补助金额', '区划代码'];

describe('file drops', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weijiu-drops-'));
  let written: Awaited<ReturnType<typeof writeDrops>>;

  beforeAll(async () => {
    written = await writeDrops(dir, { seed: 9, households: 2500, assistedShare: 0.1 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the CSV files in GBK (region-stats in UTF-8 with a BOM), CRLF, with the exact headers', () => {
    const expected: [string, string, string, 'gbk' | 'utf8-bom'][] = [
      [written.folders.education, 'xszz_2025-2026_2.csv', EDUCATION, 'gbk'],
      [written.folders.education, 'xszz_2026-2027_1.csv', EDUCATION, 'gbk'],
      [written.folders.poverty, 'fpdx_20261031.csv', POVERTY, 'gbk'],
      [written.folders.regionStats, 'region_stats_2026.csv', REGION_STATS, 'utf8-bom'],
    ];
    for (const [folder, name, header, encoding] of expected) {
      const path = join(folder, name);
      const bytes = readFileSync(path);
      const read = readCsvFile(path);
      expect({ name, encoding: read.encoding }).toEqual({ name, encoding });
      expect(read.text.split('\r\n')[0]).toBe(header);
      expect(read.text.endsWith('\r\n')).toBe(true);
      expect(read.text.replace(/\r\n/g, '').includes('\n')).toBe(false);
      if (encoding === 'gbk') {
        // Chinese text in GBK is not valid UTF-8, and reads back to the same bytes.
        expect(bytes.toString('utf8').includes('\uFFFD')).toBe(true);
        expect(iconv.encode(read.text, 'gbk').equals(bytes)).toBe(true);
      }
      expect(read.rows.length).toBeGreaterThan(10);
      expect(read.rows.filter((row) => row.length !== header.split(',').length)).toEqual([]);
    }
  });

  it('fills each term file with that term, and students under the 学籍号 of their ID number', () => {
    for (const term of ['2025-2026_2', '2026-2027_1']) {
      const { rows } = readCsvFile(join(written.folders.education, `xszz_${term}.csv`));
      expect(rows.slice(1).filter((row) => `${row[9]}_${row[10]}` !== term)).toEqual([]);
      const students = rows.slice(1).filter((row) => row[0].startsWith('G'));
      expect(students.length).toBeGreaterThan(rows.length * 0.9);
      expect(students.filter((row) => readIdNumber(row[0].slice(1)).id !== row[0].slice(1))).toEqual([]);
    }
  });

  it('writes a row for every region of the city in region-stats', () => {
    const { rows } = readCsvFile(join(written.folders.regionStats, 'region_stats_2026.csv'));
    const codes = new Set(rows.slice(1).map((row) => row[0]));
    const regions = weihaiRegionCodes();
    expect([...regions.all].filter((code) => !codes.has(code))).toEqual([]);
    expect(regions.all.size).toBe(2848);
    expect(rows.slice(1).filter((row) => row[1] !== '2026')).toEqual([]);
  });

  it('writes the housing workbook with a merged title banner, the header on row 2 and a closing 合计 row', async () => {
    const sheets = await readWorkbook(join(written.folders.housing, 'zfbz_20261031.xlsx'));
    expect([...sheets.keys()]).toEqual(['保障房', '危房']);
    const flats = sheets.get('保障房')!;
    const houses = sheets.get('危房')!;
    expect(flats.title).toBe('2026年威海市住房保障台账');
    expect(houses.title).toBe('2026年威海市住房保障台账（农村危房）');
    expect(flats.merges).toContain('A1');
    expect(flats.header).toEqual(PUBLIC_HOUSING);
    expect(houses.header).toEqual(DANGEROUS_HOUSES);
    expect(flats.rows.length).toBeGreaterThan(5);
    expect(houses.rows.length).toBeGreaterThan(5);

    for (const [content, summed] of [[flats, [3, 5]], [houses, [6]]] as const) {
      expect(content.rows.map((r) => r.cells[0])).toEqual(content.rows.map((_, i) => String(i + 1)));
      expect(content.total).not.toBeNull();
      for (const column of summed) {
        const cell = content.total![column] as { formula: string; result: number };
        const letter = 'ABCDEFGHIJ'[column];
        expect(cell.formula).toBe(`SUM(${letter}3:${letter}${content.rows.length + 2})`);
        const numbers = content.rows.map((r) => r.values[column]).filter((v): v is number => typeof v === 'number');
        expect(cell.result).toBeCloseTo(numbers.reduce((a, b) => a + b, 0), 2);
      }
    }
    // ID numbers are text cells (an 18-digit number cell would lose digits); dates are mostly date cells.
    const ids = flats.rows.map((r) => r.values[1]);
    expect(ids.every((v) => typeof v === 'string' || (typeof v === 'number' && String(v).length === 15))).toBe(true);
    const starts = flats.rows.map((r) => r.values[6]);
    expect(starts.filter((v) => v instanceof Date).length).toBeGreaterThan(starts.length / 2);
    expect(houses.rows.every((r) => ['A', 'B', 'C', 'D'].includes(cellText(r.values[3])))).toBe(true);
  });
});
