import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { education } from '../../connectors/education';
import { studentAidKey } from '../../connectors/education/studentAid';
import { povertyRelief } from '../../connectors/poverty-relief';
import { registeredPoorKey } from '../../connectors/poverty-relief/registeredPoor';
import type { Connector } from '../../src/ingest/connector';
import { csvTableRows } from '../../src/ingest/csvTable';
import { deliveredSpanOf, originalBytes } from '../../src/ingest/deliveredContent';
import { runConnector } from '../../src/ingest/syncRunner';
import type { Database } from '../../src/db/database';
import { openTestDatabase } from '../support/hubDatabase';
import { samplesDir } from '../support/samples';

/**
 * Issue 18: a CSV row's source record points at its bytes in the delivery it came in, and a
 * quarantined row names its line. Whatever mix of CR, LF and CR LF a file holds — quoted fields
 * spanning lines, a stray CR ending a cell, a CR LF pair in a file split on CR alone, a last row
 * without a line break — each row's bytes are its own and its line is the one an editor shows.
 */
type TestDb = Database & { drop(): Promise<void> };

/** A record of a file as written: its text, and whether it is a data row (false: a blank line). */
interface Written {
  text: string;
  cells?: Record<string, string>;
  bad?: boolean;
}

/** Ways a row's text may hold line breaks; `free` is a column the mapper takes any text in. */
const VARIANTS: Array<(cells: string[], free: number) => string> = [
  (c) => c.join(','),
  (c, f) => withCell(c, f, `"${c[f]}\r\n${c[f]}"`),
  (c, f) => withCell(c, f, `"${c[f]}\r${c[f]}"`),
  (c, f) => withCell(c, f, `"${c[f]}\n${c[f]}"`),
  (c, f) => withCell(c, f, `"${c[f]}\r\r\n\n\r\n\r${c[f]}"`),
  (c, f) => withCell(c, f, `"${c[f]}\r"`),
  (c, f) => withCell(c, f, `"\n${c[f]}\r\n"`),
  // a stray CR ending an extra cell (left out as blank); not in a file split on CR

  (c) => `${c.join(',')},\r`,
  (c) => `${c.join(',')},\r\r`,
];
const withCell = (cells: string[], at: number, text: string) => cells.map((c, i) => (i === at ? text : c)).join(',');

/**
 * A delivery of the sample's rows, each data row written in every way in turn, every other one
 * with a value its mapper refuses (quarantined: its location is checked). Blank lines of each kind
 * stand between some rows.
 */
function writtenFile(
  sample: string,
  keyOf: (cells: Record<string, string>) => string,
  opts: { free: number; bad: number; blanks: string[]; lead?: string; variants?: number },
) {
  const [header, ...lines] = iconv.decode(fs.readFileSync(sample), 'gb18030').split('\r\n').filter((l) => l !== '');
  const names = header!.split(',');
  const cellsOf = (line: string) => Object.fromEntries(names.map((n, c) => [n, line.split(',')[c]!]));
  // one row per key: each row's record is found by its key
  const data = [...new Map(lines.map((l) => [keyOf(cellsOf(l)), l])).values()];
  const records: Written[] = [{ text: header! }];
  data.forEach((line, i) => {
    const cells = line.split(',');
    const bad = i % 2 === 1;
    if (bad) cells[opts.bad] = '不是数';
    const variants = opts.variants ?? VARIANTS.length;
    const variant = VARIANTS[Math.floor(i / 2) % variants]!;
    const text = (i % 3 === 2 && opts.lead ? opts.lead : '') + variant(cells, opts.free);
    records.push({ text, cells: cellsOf(line), bad });
    if (i % 5 === 4) records.push({ text: opts.blanks[i % opts.blanks.length]! });
  });
  return records;
}

/** The line a record starts on, as an editor counts lines (CR, LF and CR LF each end one). */
const lineOf = (before: string) => 1 + (before.match(/\r\n|\r|\n/g)?.length ?? 0);

/** GBK, or UTF-8 after a byte-order mark */
type Encoding = 'gb18030' | 'utf-8';
const encoded = (text: string, encoding: Encoding) => (encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030'));

async function expectRowsTheirOwn(
  db: TestDb,
  feed: string,
  file: string,
  written: { records: Written[]; delimiter: string; encoding: Encoding },
  keyOf: (cells: Record<string, string>) => string,
) {
  const { records, delimiter, encoding } = written;
  const { rows: current } = await db.pool.query<{ id: string; record_key: string }>(
    `select s.id, s.record_key from source_record s where s.feed = $1 and s.superseded_at is null and s.delivery like $2 || '@%'`,
    [feed, file],
  );
  const { rows: quarantined } = await db.pool.query<{ record_key: string; location: string }>(
    `select record_key, location from quarantined_record where connector = $1 and location like $2 || ':%'`,
    [feed, file],
  );
  const ids = new Map(current.map((r) => [r.record_key, r.id]));
  const locations = new Map(quarantined.map((r) => [r.record_key, r.location]));
  let before = '';
  let checked = 0;
  for (const r of records) {
    if (r.cells) {
      const key = keyOf(r.cells);
      const id = ids.get(key);
      // a row the sample itself has wrong is quarantined too: its line is checked
      if (r.bad || id === undefined) {
        expect({ key, location: locations.get(key) }).toEqual({ key, location: `${file}:line ${lineOf(before)}` });
      } else {
        const bytes = (await originalBytes(db.pool, id!))!;
        // the row's bytes as delivered: no more (its record delimiter, a BOM), no less, no other row's
        expect({ key, row: encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, 'gb18030') }).toEqual({ key, row: r.text });
        expect(bytes.equals(encoded(r.text, encoding))).toBe(true);
      }
      checked++;
    }
    before += r.text + delimiter;
  }
  expect(checked).toBe(current.length + quarantined.length);
  expect(new Set(quarantined.map((q) => q.record_key)).size).toBe(quarantined.length);
  expect(quarantined.length).toBeGreaterThan(5);
  expect(current.length).toBeGreaterThan(5);
}

describe('the bytes and line of each row of a CSV file with mixed line breaks', () => {
  let db: TestDb;
  let drop: string;
  beforeEach(async () => {
    db = await openTestDatabase();
    drop = fs.mkdtempSync(path.join(os.tmpdir(), 'row-bytes-'));
  });
  afterEach(async () => {
    await db?.drop();
    fs.rmSync(drop, { recursive: true, force: true });
  });

  const sync = async (connector: Connector) => expect(await runConnector(db, connector, { source: drop, pageSize: 7 })).toMatchObject({ status: 'SUCCEEDED' });
  const write = (file: string, written: { records: Written[]; delimiter: string; encoding: Encoding }, ending: string) => {
    const text = written.records.map((r) => r.text).join(written.delimiter) + ending;
    const bom = written.encoding === 'utf-8' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0);
    fs.writeFileSync(path.join(drop, file), Buffer.concat([bom, encoded(text, written.encoding)]));
  };

  it('education: a GBK file split on LF holding CR LF pairs (quoted, stray CRs), and a UTF-8 one split on CR LF; the last row without a line break', async () => {
    const sample = (f: string) => path.join(samplesDir, 'drop', 'education', f);
    // 学校名称 takes any text, 资助金额 must be an amount
    const opts = { free: 3, bad: 8, blanks: ['', '\r', ' , '] };
    const lf = { records: writtenFile(sample('xszz_2026-2027_1.csv'), studentAidKey, opts), delimiter: '\n', encoding: 'gb18030' as const };
    const crlf = { records: writtenFile(sample('xszz_2025-2026_2.csv'), studentAidKey, opts), delimiter: '\r\n', encoding: 'utf-8' as const };
    write('xszz_2026-2027_1.csv', lf, '');
    write('xszz_2025-2026_2.csv', crlf, '\r\n');
    await sync(education);
    await expectRowsTheirOwn(db, 'education', 'xszz_2026-2027_1.csv', lf, studentAidKey);
    await expectRowsTheirOwn(db, 'education', 'xszz_2025-2026_2.csv', crlf, studentAidKey);
  });

  it('poverty relief: a file split on CR alone whose rows are sometimes preceded by an LF (a CR LF pair), with quoted breaks', async () => {
    const sample = path.join(samplesDir, 'drop', 'poverty', 'fpdx_20261031.csv');
    // 主要风险 takes any text, 家庭年人均纯收入 must be an amount
    const records = writtenFile(sample, registeredPoorKey, { free: 8, bad: 9, blanks: ['', '\n', ' '], lead: '\n', variants: VARIANTS.length - 2 });
    const written = { records, delimiter: '\r', encoding: 'gb18030' as const };
    write('fpdx_20261031.csv', written, '\r');
    await sync(povertyRelief);
    await expectRowsTheirOwn(db, 'poverty-relief', 'fpdx_20261031.csv', written, registeredPoorKey);
  });
});

describe('where a row of a CSV file is, for every mix of line breaks', () => {
  const HEADERS = ['编号', '名称'];
  /** each row's line and bytes as csvTableRows gives them to ingest */
  const located = async (records: string[], delimiter: string) => {
    const bytes = iconv.encode(records.join(delimiter), 'gb18030');
    const file = { name: 'f.csv', path: '/drop/f.csv', sha1: '', bytes, match: /^f\.csv$/.exec('f.csv')! };
    const table = await csvTableRows(file, HEADERS);
    return [...table.rows(0)].map((r, i) => {
      const row = r as { location: string; cells: Record<string, string> };
      const span = deliveredSpanOf(row.cells)!;
      const marked = bytes.subarray(span.offset, span.offset + span.length);
      expect(table.spans!.bytesOf(i)).toEqual(marked);
      return `${row.location.replace('f.csv:line ', '')} ${JSON.stringify(iconv.decode(marked, 'gb18030'))}`;
    });
  };

  it.each([
    // each of these put every later row a line off (its bytes another row's, two rows or none)
    ['LF: a stray CR ending a row', ['编号,名称', 'A1,甲\r', 'A2,乙'], '\n', ['2 "A1,甲\\r"', '3 "A2,乙"']],
    ['LF: a stray CR after a quoted CR LF', ['编号,名称', 'A1,"甲\r\n甲"\r', 'A2,乙', ''], '\n', ['2 "A1,\\"甲\\r\\n甲\\"\\r"', '4 "A2,乙"']],
    ['LF: a blank line holding a CR', ['编号,名称', 'A1,甲', '\r', 'A2,乙'], '\n', ['2 "A1,甲"', '4 "A2,乙"']],
    ['CR: a row starting with an LF', ['编号,名称', 'A1,甲', '\nA2,乙', 'A3,丙'], '\r', ['2 "A1,甲"', '3 "\\nA2,乙"', '4 "A3,丙"']],
  ])('%s', async (_, records, delimiter, rows) => {
    expect(await located(records, delimiter)).toEqual(rows);
  });
});
