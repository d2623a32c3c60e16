import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { education } from '../../connectors/education';
import { EDUCATION_FILE, EDUCATION_HEADERS } from '../../connectors/education/contract';
import { studentAidStream } from '../../connectors/education/studentAid';
import { povertyRelief } from '../../connectors/poverty-relief';
import { POVERTY_FILE, POVERTY_HEADERS } from '../../connectors/poverty-relief/contract';
import { registeredPoorStream } from '../../connectors/poverty-relief/registeredPoor';
import type { Connector, Stream } from '../../src/ingest/connector';
import { csvTableRows, readCsvTable } from '../../src/ingest/csvTable';
import { HeldRows } from '../../src/ingest/heldRows';
import { fileDropBatches, UnreadableFile } from '../../src/ingest/fileDrop';
import { StageClock } from '../../src/ingest/stageClock';
import { runConnector, type SyncSummary } from '../../src/ingest/syncRunner';
import type { Database } from '../../src/db/database';
import { openTestDatabase } from '../support/hubDatabase';
import { samplesDir } from '../support/samples';

/**
 * Issue 18: a file delivered again leaves the rows it holds byte for byte out before they are
 * read. Every sync here runs twice, on two databases fed the same files: once as the hub does it,
 * once reading every row as it did before; the counts and what is current must be the same.
 */
type TestDb = Database & { drop(): Promise<void> };

/** The stream as it was before: every row of every file read, mapped and hashed. */
function readingEveryRow(connector: Connector, stream: Stream, spec: Parameters<typeof fileDropBatches>[2]): Connector {
  return { ...connector, streams: [{ ...stream, fetch: (ctx, bookmark) => fileDropBatches(ctx.source, bookmark, { ...spec, chunkSize: ctx.config.pageSize }) }] };
}
const educationReadWhole = readingEveryRow(education, studentAidStream, {
  pattern: EDUCATION_FILE,
  terms: (m) => ({ partition: `${m[1]}-${m[2]}_${m[3]}`, endDate: null }),
  read: (file) => csvTableRows(file, EDUCATION_HEADERS),
});
const povertyReadWhole = readingEveryRow(povertyRelief, registeredPoorStream, {
  pattern: POVERTY_FILE,
  terms: (m) => ({ partition: '', endDate: `${m[1]}-${m[2]}-${m[3]}` }),
  read: (file) => csvTableRows(file, POVERTY_HEADERS),
  snapshots: true,
});

const COUNTS = ['status', 'read', 'inserted', 'updated', 'unchanged', 'ended', 'quarantined'] as const;
const countsOf = (s: SyncSummary) => Object.fromEntries(COUNTS.map((k) => [k, s[k]]));

/** What a user sees of a feed: its current records and facts, and its quarantine. */
async function stateOf(db: TestDb, feed: string) {
  const q = async (sql: string) => (await db.pool.query(sql, [feed])).rows;
  return {
    records: await q(`select record_key, payload_hash, deleted, version_at from source_record where feed = $1 and superseded_at is null order by record_key`),
    versions: await q(`select count(*)::int as n from source_record where feed = $1`),
    schooling: await q(`select record_key, student_no, school, status, term, aid from schooling where feed = $1 and retired_at is null order by record_key`),
    benefits: await q(`select record_key, programme_code, amount::text from benefit where feed = $1 and retired_at is null order by record_key`),
    poverty: await q(`select record_key, poverty_status, income_per_capita::text from poverty_record where feed = $1 and retired_at is null order by record_key`),
    quarantined: await q(`select record_key, reason, field, location from quarantined_record where connector = $1 order by location, reason`),
  };
}

const gbk = (lines: string[]) => iconv.encode(lines.join('\r\n'), 'gb18030');
const readGbk = (file: string) => iconv.decode(fs.readFileSync(file), 'gb18030').split('\r\n');

/** Two hubs fed the same drop: the one under test, and one reading every row. */
function twoHubs(connector: Connector, whole: Connector, sample: string) {
  const hubs = { held: { db: null as unknown as TestDb, drop: '' }, whole: { db: null as unknown as TestDb, drop: '' } };
  const config = { pageSize: 5 };
  beforeAll(async () => {
    for (const h of Object.values(hubs)) {
      h.db = await openTestDatabase();
      h.drop = fs.mkdtempSync(path.join(os.tmpdir(), 'held-rows-'));
      fs.cpSync(path.join(samplesDir, 'drop', sample), h.drop, { recursive: true });
    }
  });
  afterAll(async () => {
    for (const h of Object.values(hubs)) {
      await h.db?.drop();
      if (h.drop) fs.rmSync(h.drop, { recursive: true, force: true });
    }
  });
  return {
    hubs,
    /** the file as the department writes it, into both drops */
    write(name: string, bytes: Buffer) {
      for (const h of Object.values(hubs)) fs.writeFileSync(path.join(h.drop, name), bytes);
    },
    read: (name: string) => readGbk(path.join(hubs.held.drop, name)),
    /** syncs both; the counts and the feed's state are the same; returns how many rows were mapped */
    async syncBoth() {
      const clock = new StageClock();
      const held = await runConnector(hubs.held.db, connector, { source: hubs.held.drop, ...config }, { clock });
      const everyRow = await runConnector(hubs.whole.db, whole, { source: hubs.whole.drop, ...config });
      return { held, whole: everyRow, mapped: clock.records, left: clock.skipped };
    },
    async expectSameState() {
      expect(await stateOf(hubs.held.db, connector.name)).toEqual(await stateOf(hubs.whole.db, connector.name));
    },
  };
}

/** A term file's data rows by key (學籍号|资助项目|学年_学期), and the header. */
const keyOf = (line: string) => {
  const c = line.split(',');
  return `${c[0]}|${c[7]}|${c[9]}_${c[10]}`;
};
const withAmount = (line: string, amount: string) => {
  const c = line.split(',');
  c[8] = amount;
  return c.join(',');
};

describe('a term file delivered again', () => {
  const TERM = 'xszz_2026-2027_1.csv';
  const h = twoHubs(education, educationReadWhole, 'education');
  let original: string[];
  /** rows with aid and a valid amount, each the only row of its key, current after the first sync */
  let plain: string[];

  beforeAll(async () => {
    const first = await h.syncBoth();
    // the first delivery has nothing to compare with: every row is read
    expect(countsOf(first.held)).toEqual(countsOf(first.whole));
    expect(first.held.status).toBe('SUCCEEDED');
    expect(first.mapped).toBe(first.held.read);
    expect(first.held.quarantined).toBeGreaterThan(0);
    await h.expectSameState();
    original = h.read(TERM);
    const data = original.slice(1).filter((l) => l.trim());
    const count = new Map<string, number>();
    for (const l of data) count.set(keyOf(l), (count.get(keyOf(l)) ?? 0) + 1);
    const current = new Set(
      (await h.hubs.held.db.pool.query<{ record_key: string }>(`select record_key from source_record where feed = 'education' and superseded_at is null and not deleted`)).rows.map((r) => r.record_key),
    );
    plain = data.filter((l) => count.get(keyOf(l)) === 1 && current.has(keyOf(l)) && /^\d+\.\d{2}$/.test(l.split(',')[8]!));
    expect(plain.length).toBeGreaterThan(20);
  });

  /** delivers `lines` as the term's file (a new content each time) and checks both hubs agree */
  async function deliver(lines: string[]) {
    h.write(TERM, gbk(lines));
    const run = await h.syncBoth();
    expect(countsOf(run.held)).toEqual(countsOf(run.whole));
    await h.expectSameState();
    return run;
  }

  it('reads only the row that changed, writes its new version, ends the row left out and rewrites nothing else', async () => {
    const [raised, dropped] = [plain[0]!, plain[1]!];
    const amount = (Number(raised.split(',')[8]) + 50).toFixed(2);
    const lines = original.map((l) => (l === raised ? withAmount(l, amount) : l)).filter((l) => l !== dropped);
    const xmins = async () =>
      new Map((await h.hubs.held.db.pool.query<{ id: string; xmin: string; key: string }>(`select id, xmin::text, record_key as key from source_record where feed = 'education'`)).rows.map((r) => [r.id, r]));
    const before = await xmins();
    const run = await deliver(lines);
    expect(run.held).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 1 });
    expect(run.held.ended).toBeGreaterThan(0);
    // left out unread: every row but the changed one and the rows refused last time (read and refused again)
    expect(run.mapped).toBe(1 + run.held.quarantined);
    expect(run.left).toBe(run.held.unchanged);
    const after = await xmins();
    const rewritten = [...before].filter(([id, r]) => after.get(id)!.xmin !== r.xmin).map(([, r]) => r.key);
    expect(rewritten.sort()).toEqual([keyOf(raised), keyOf(dropped)].sort());
    const amounts = await h.hubs.held.db.pool.query(`select amount::text from benefit where record_key = $1 and retired_at is null`, [keyOf(raised)]);
    expect(amounts.rows).toEqual([{ amount }]);
  });

  it('applies a key delivered twice as reading every row does: the later row wins, in one batch or two', async () => {
    const [a, b] = [plain[2]!, plain[3]!];
    const changedA = withAmount(a, (Number(a.split(',')[8]) + 10).toFixed(2));
    const changedB = withAmount(b, (Number(b.split(',')[8]) + 10).toFixed(2));
    const [c, d] = [plain[4]!, plain[5]!];
    const changedC = withAmount(c, (Number(c.split(',')[8]) + 10).toFixed(2));
    const changedD = withAmount(d, (Number(d.split(',')[8]) + 10).toFixed(2));
    const lines = original.flatMap((l) => {
      // the row as it is, then changed, in one batch of five rows: the changed one wins
      if (l === a) return [a, changedA];
      // changed, then as it is: the row as it is wins (its current bytes, but written after)
      if (l === b) return [changedB, b];
      return [l];
    });
    // the same across batches (five rows each): twelve rows apart
    const at = (line: string) => lines.indexOf(line);
    lines.splice(at(c) + 13, 0, changedC);
    lines.splice(Math.max(1, at(d) - 12), 0, changedD);
    expect(at(changedC) - at(c)).toBe(13);
    expect(at(d) - at(changedD)).toBeGreaterThan(5);
    const run = await deliver(lines);
    expect(run.held.status).toBe('SUCCEEDED');
    const amount = async (line: string) =>
      (await h.hubs.held.db.pool.query(`select amount::text from benefit where record_key = $1 and retired_at is null`, [keyOf(line)])).rows;
    expect(await amount(a)).toEqual([{ amount: changedA.split(',')[8] }]);
    expect(await amount(b)).toEqual([{ amount: b.split(',')[8] }]);
    expect(await amount(c)).toEqual([{ amount: changedC.split(',')[8] }]);
    expect(await amount(d)).toEqual([{ amount: d.split(',')[8] }]);
    expect(run.mapped).toBeLessThan(run.held.read / 2);
  });

  it('reads a row spanning lines (a quoted cell) as a whole, and leaves it out once delivered again unchanged', async () => {
    const row = plain[6]!.split(',');
    row[3] = `"${row[3]}\r\n（分校）"`;
    const spanning = row.join(',');
    const lines = original.map((l) => (l === plain[6] ? spanning : l));
    const changed = await deliver(lines);
    expect(changed.held.updated).toBeGreaterThan(0);
    const school = await h.hubs.held.db.pool.query(`select school from schooling where record_key = $1 and retired_at is null`, [keyOf(plain[6]!)]);
    expect(school.rows).toEqual([{ school: `${plain[6]!.split(',')[3]}\r\n（分校）` }]);
    // again with another row changed: the spanning row is held, byte for byte
    const again = await deliver(lines.map((l) => (l === plain[7] ? withAmount(l, '1.00') : l)));
    expect(again.held).toMatchObject({ updated: 1 });
    expect(again.mapped).toBe(1 + again.held.quarantined);
  });

  it('reads every row again under a changed header: the same bytes are other cells there', async () => {
    // 姓名 and 学校名称 trade places in the header only: each row's bytes stay, its cells do not
    const header = original[0]!.split(',');
    [header[2], header[3]] = [header[3]!, header[2]!];
    const swapped = [header.join(','), ...original.slice(1)];
    const run = await deliver(swapped);
    expect(run.mapped).toBe(run.held.read);
    expect(run.held.updated).toBeGreaterThan(10);
    // delivered again under that header with one row changed, the rows it wrote are left out unread
    const again = await deliver(swapped.map((l) => (l === plain[10] ? withAmount(l, '3.00') : l)));
    expect(again.held).toMatchObject({ updated: 1 });
    expect(again.mapped).toBe(1 + again.held.quarantined);
    // and back under the header as it was
    await deliver(original);
  });

  it('reads a file of the same rows in another encoding (UTF-8 with a BOM): its bytes are not the GBK ones', async () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(original.join('\r\n'), 'utf8')]);
    h.write(TERM, utf8);
    const run = await h.syncBoth();
    expect(countsOf(run.held)).toEqual(countsOf(run.whole));
    await h.expectSameState();
    expect(run.mapped).toBe(run.held.read);
    expect(run.held).toMatchObject({ updated: 0, inserted: 0 });
  });

  it('stopped in the middle of the file, resumes and ends only what the whole file does', async () => {
    const lines = original.map((l) => (l === plain[8] ? withAmount(l, '2.00') : l)).filter((l) => l !== plain[9]);
    h.write(TERM, gbk(lines));
    let batches = 0;
    const stop = new AbortController();
    const clock = new StageClock();
    const stopped = await runConnector(h.hubs.held.db, education, { source: h.hubs.held.drop, pageSize: 5 }, {
      clock,
      signal: stop.signal,
      onProgress: () => {
        if (++batches === 3) stop.abort();
      },
    });
    expect(stopped.status).toBe('PARTIAL');
    const resumed = await runConnector(h.hubs.held.db, education, { source: h.hubs.held.drop, pageSize: 5 }, { clock });
    const whole = await runConnector(h.hubs.whole.db, educationReadWhole, { source: h.hubs.whole.drop, pageSize: 5 });
    expect(resumed.status).toBe('SUCCEEDED');
    expect(whole).toMatchObject({ status: 'SUCCEEDED', updated: 1 });
    for (const k of ['read', 'inserted', 'updated', 'unchanged', 'ended', 'quarantined'] as const) expect(stopped[k] + resumed[k]).toBe(whole[k]);
    await h.expectSameState();
    expect(clock.records).toBeLessThan(whole.read / 2);
  });
});

describe('a poverty snapshot delivered the next month', () => {
  const h = twoHubs(povertyRelief, povertyReadWhole, 'poverty');
  it('reads only the rows that changed from the previous snapshot, with the same outcome as reading every row', async () => {
    const first = await h.syncBoth();
    expect(countsOf(first.held)).toEqual(countsOf(first.whole));
    const name = fs.readdirSync(h.hubs.held.drop).find((n) => POVERTY_FILE.test(n))!;
    const lines = h.read(name);
    const data = lines.slice(1).filter((l) => l.trim());
    // one income corrected, one member gone
    const incomeAt = data.findIndex((l) => /^\d+\.\d{2}$/.test(l.split(',')[9]!));
    const corrected = data[incomeAt]!.split(',');
    corrected[9] = (Number(corrected[9]) + 100).toFixed(2);
    const next = [lines[0]!, ...data.flatMap((l, i) => (i === incomeAt ? [corrected.join(',')] : i === incomeAt + 1 ? [] : [l]))];
    h.write('fpdx_20261130.csv', gbk(next));
    const run = await h.syncBoth();
    expect(countsOf(run.held)).toEqual(countsOf(run.whole));
    expect(run.held).toMatchObject({ status: 'SUCCEEDED', updated: 1 });
    expect(run.held.ended).toBeGreaterThan(0);
    await h.expectSameState();
    expect(run.mapped).toBe(1 + run.held.quarantined);
  });
});

describe('a plain file (no quote, one kind of line break)', () => {
  const HEADERS = ['编号', '身份证号', '姓名', '金额'];
  // the same file with its banner quoted is read by the CSV parser: both give the same rows
  const both = async (lines: string[], breakWith = '\r\n') => {
    const read = async (ls: string[]) => {
      try {
        return await readCsvTable(iconv.encode(ls.join(breakWith), 'gb18030'), 'ledger.csv', HEADERS);
      } catch (e) {
        if (e instanceof UnreadableFile) return e.message;
        throw e;
      }
    };
    const plain = await read(lines);
    expect(await read(lines.map((l, i) => (i === 0 ? `"${l.split(',')[0]}",${l.split(',').slice(1).join(',')}` : l)))).toEqual(plain);
    return plain;
  };

  it('is read as the CSV parser reads it: banner, blank and spaced rows, rows starting with a CJK cell, the 合计 row', async () => {
    const lines = [
      '2026年威海市某台账,,,',
      '编号,身份证号,姓名,金额',
      'A1,371002198001011232,张伟,100.00',
      '',
      '  ,,,',
      '　,371002198001011232,全角空格,1',
      '张三,371002198001011232,首格汉字,2',
      ' A2,371002198001011232,前导空格,3,多一格',
      ',,,',
      ',合计,,600.00',
      'A9,1,不读,9',
    ];
    const rows = await both(lines);
    expect(rows).toMatchObject([{ line: 3 }, { line: 6 }, { line: 7 }, { line: 8 }]);
    expect(await both(lines.slice(0, 9), '\n')).toEqual(rows);
    expect(await both([...lines.slice(0, 4), ''], '\r')).toMatchObject([{ line: 3 }]);
  });

  it('finds a cut-off last row as the CSV parser does', async () => {
    expect(await both(['题头,,,', '编号,身份证号,姓名,金额', 'A1,1,张伟,1', 'A2,2'])).toMatch(/truncated: the last row \(line 4\) has 2 of 4 columns/);
  });
});

describe('the rows of a partition held in memory', () => {
  it('gives back the key of each of a term file\'s worth of rows, and none for bytes it was not given', () => {
    const held = new HeldRows();
    const row = (i: number) => Buffer.from(iconv.encode(`G${370000000000000000 + i},3710,张伟${i},学校,小学,一年级,在读,,,2026-2027,1,371002102017`, 'gb18030'));
    for (let i = 0; i < 60000; i++) held.add(row(i), `G${i}|项目|2026-2027_1`);
    expect(held.size).toBe(60000);
    for (let i = 0; i < 60000; i += 7) expect(held.keyOf(row(i))).toBe(`G${i}|项目|2026-2027_1`);
    for (let i = 60000; i < 61000; i++) expect(held.keyOf(row(i))).toBeUndefined();
  });
});
