import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { education } from '../../connectors/education';
import { health } from '../../connectors/health';
import type { Database } from '../../src/db/database';
import { arrayElementSpans, originalBytes } from '../../src/ingest/deliveredContent';
import { StageClock } from '../../src/ingest/stageClock';
import { runConnector } from '../../src/ingest/syncRunner';
import { openTestDatabase } from '../support/hubDatabase';
import { healthRegistryOf } from '../support/simulatedRegistries';
import { readJsonl, samplesDir } from '../support/samples';

/**
 * Issue 18: what a registry delivered is kept once, as delivered — a file, an API page — and each
 * source record points at its bytes in it instead of keeping a payload; a page received again
 * unchanged at the same address is not applied again.
 */
const settlements = readJsonl('api/health/settlements.jsonl');
const deaths = readJsonl('api/health/deaths.jsonl');
const YEARS = [2025, 2026];
const PAGE = 25;

type TestDb = Database & { drop(): Promise<void> };

const syncHealth = (db: TestDb, source: string, clock?: StageClock) =>
  runConnector(db, health, { source, years: YEARS, pageSize: PAGE }, { clock });

async function sizes(db: TestDb) {
  const { rows } = await db.pool.query(`
    select (select count(*) from source_record)::int as source_record, (select count(*) from medical_settlement)::int as medical_settlement,
           (select count(*) from benefit)::int as benefit, (select count(*) from person_observation)::int as person_observation,
           (select count(*) from change_event)::int as change_event, (select count(*) from quarantined_record)::int as quarantined`);
  return rows[0];
}

describe('an API page kept as delivered', () => {
  let db: TestDb;
  let registry: Awaited<ReturnType<typeof healthRegistryOf>>;
  beforeAll(async () => {
    db = await openTestDatabase();
    registry = await healthRegistryOf({ settlements, deaths });
    expect(await syncHealth(db, registry.url)).toMatchObject({ status: 'SUCCEEDED' });
  });
  afterAll(async () => {
    await registry?.close();
    await db?.drop();
  });

  it('gives a settlement back byte for byte as its page delivered it, without a payload of its own', async () => {
    const { rows } = await db.pool.query<{ id: string; record_key: string; payload: unknown; name: string }>(
      `select s.id, s.record_key, s.payload, d.name from source_record s join delivery_content d on d.id = s.content_id
        where s.feed = 'health' and s.stream = 'settlements' order by s.record_key`,
    );
    const valid = new Set(settlements.filter((s) => rows.some((r) => r.record_key === s.jsid)).map((s) => s.jsid));
    expect(rows.length).toBe(valid.size);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r.payload === null)).toBe(true);
    for (const r of [rows[0]!, rows[Math.floor(rows.length / 2)]!, rows.at(-1)!]) {
      const bytes = (await originalBytes(db.pool, r.id))!;
      // the page as the registry serves it holds exactly these bytes, and they are the record
      const page = Buffer.from(await (await fetch(new URL(r.name, registry.url))).arrayBuffer());
      expect(page.includes(bytes)).toBe(true);
      expect(JSON.parse(bytes.toString('utf8'))).toEqual(settlements.find((s) => s.jsid === r.record_key));
    }
  });

  it('keeps each page once, compressed, however many records point into it', async () => {
    const { rows } = await db.pool.query<{ pages: number; records: number; stored: number; delivered: number }>(
      `select count(*)::int as pages, (select count(*) from source_record where content_id is not null)::int as records,
              sum(length(gzip))::int as stored, sum(size)::int as delivered
         from delivery_content`,
    );
    // a page of 25 records is one delivery, whatever share of it was valid
    expect(rows[0]!.pages).toBeLessThanOrEqual(Math.ceil(rows[0]!.records / (PAGE * 0.8)));
    expect(rows[0]!.stored).toBeLessThan(rows[0]!.delivered / 2);
    const pages = await db.pool.query(`select count(*)::int as n, count(distinct content_id)::int as contents from delivered_page where feed = 'health'`);
    expect(pages.rows[0].n).toBe(pages.rows[0].contents);
  });

  it('skips the pages it receives again unchanged, counting them as read, and of a changed page applies the record that changed', async () => {
    // the deaths are asked for since a date 90 days before the newest one known: once at that address
    await syncHealth(db, registry.url);
    const before = await sizes(db);
    const clock = new StageClock();
    const again = await syncHealth(db, registry.url, clock);
    expect(again).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 0 });
    // the settlement years are read whole, but nothing of them is mapped or sent to the database
    const settlementRead = settlements.length;
    expect(clock.skipped).toBeGreaterThanOrEqual(settlementRead);
    expect(again.read).toBeGreaterThanOrEqual(settlementRead);
    expect(again.unchanged + again.quarantined).toBe(again.read);
    expect(await sizes(db)).toEqual(before);

    // insurance paid more after review: one settlement changes, the other pages stay as they were
    const fixed = settlements.find((s) => /^\d+\.\d{2}$/.test(s.ybbx) && /^\d+\.\d{2}$/.test(s.grzf) && Number(s.grzf) > 10)!;
    const corrected = settlements.map((s) => (s === fixed ? { ...s, ybbx: (Number(s.ybbx) + 10).toFixed(2), grzf: (Number(s.grzf) - 10).toFixed(2) } : s));
    const later = await healthRegistryOf({ settlements: corrected, deaths });
    try {
      const clock2 = new StageClock();
      const run = await syncHealth(db, later.url, clock2);
      expect(run).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 1 });
      // of the page that holds it, only it (and the page's refused records, refused again) was
      // read into facts again; the page's other records were left out as they were
      expect(clock.skipped - clock2.skipped).toBeGreaterThanOrEqual(1);
      expect(clock.skipped - clock2.skipped).toBeLessThan(PAGE / 4);
      expect(run.read).toBe(again.read);
      expect(run.quarantined).toBe(again.quarantined);
      expect(run.unchanged).toBe(again.unchanged - 1);
    } finally {
      await later.close();
    }
    const { rows } = await db.pool.query(
      `select insurance_paid from medical_settlement where record_key = $1 and retired_at is null`,
      [fixed.jsid],
    );
    expect(rows).toEqual([{ insurance_paid: (Number(fixed.ybbx) + 10).toFixed(2) }]);
  });
});

describe('a CSV delivery kept as delivered', () => {
  let db: TestDb;
  let drop: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    drop = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-'));
    fs.cpSync(path.join(samplesDir, 'drop', 'education'), drop, { recursive: true });
    expect(await runConnector(db, education, { source: drop })).toMatchObject({ status: 'SUCCEEDED' });
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(drop, { recursive: true, force: true });
  });

  it('gives a row back as the GBK line of the file it came in, and keeps each file once', async () => {
    const files = await db.pool.query<{ name: string; size: number }>(`select name, size from delivery_content order by name`);
    expect(files.rows).toEqual(fs.readdirSync(drop).sort().map((name) => ({ name, size: fs.statSync(path.join(drop, name)).size })));
    const { rows } = await db.pool.query<{ id: string; delivery: string; payload: unknown }>(
      `select id, delivery, payload from source_record where feed = 'education' and not deleted order by id`,
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r.payload === null)).toBe(true);
    for (const r of [rows[0]!, rows[Math.floor(rows.length / 2)]!, rows.at(-1)!]) {
      const file = r.delivery.split('@')[0]!;
      const lines = iconv.decode(fs.readFileSync(path.join(drop, file)), 'gb18030').split(/\r\n|\r|\n/);
      const bytes = (await originalBytes(db.pool, r.id))!;
      const line = iconv.decode(bytes, 'gb18030');
      expect(lines).toContain(line);
      // the bytes as delivered, not a re-encoding: GBK, as the file is
      expect(fs.readFileSync(path.join(drop, file)).includes(bytes)).toBe(true);
    }
  });
});

describe('a corrected term file delivered again', () => {
  const TERM_FILE = 'xszz_2026-2027_1.csv';
  // small chunks: the file is applied in many batches, the absent rows ended by its last one
  const config = { source: '', pageSize: 5 };
  let db: TestDb;
  let drop: string;
  const sync = (signal?: AbortSignal, onProgress?: () => void) => runConnector(db, education, { ...config, source: drop }, { signal, onProgress });
  const readLines = () => iconv.decode(fs.readFileSync(path.join(drop, TERM_FILE)), 'gb18030').split('\r\n');
  const writeLines = (lines: string[]) => fs.writeFileSync(path.join(drop, TERM_FILE), iconv.encode(lines.join('\r\n'), 'gb18030'));
  const keyOf = (line: string) => {
    const c = line.split(',');
    return `${c[0]}|${c[7]}|${c[9]}_${c[10]}`;
  };
  /** every row of the feed's source records and facts, with the transaction that last wrote it */
  async function rowVersions(): Promise<Map<string, { xmin: string; key: string }>> {
    const { rows } = await db.pool.query<{ row: string; xmin: string; key: string }>(
      `select 's' || id as row, xmin::text, record_key as key from source_record where feed = 'education'
       union all select 'c' || id, xmin::text, record_key from schooling where feed = 'education'
       union all select 'b' || id, xmin::text, record_key from benefit where feed = 'education'`,
    );
    return new Map(rows.map((r) => [r.row, { xmin: r.xmin, key: r.key }]));
  }
  /** a row whose key is its own in the file and held by a current record (not a refused row) */
  async function heldRows(lines: string[]): Promise<string[]> {
    const data = lines.slice(1).filter((l) => l.trim());
    const count = new Map<string, number>();
    for (const l of data) count.set(keyOf(l), (count.get(keyOf(l)) ?? 0) + 1);
    const { rows } = await db.pool.query<{ record_key: string }>(
      `select record_key from source_record where feed = 'education' and superseded_at is null and not deleted`,
    );
    const current = new Set(rows.map((r) => r.record_key));
    return data.filter((l) => count.get(keyOf(l)) === 1 && current.has(keyOf(l)));
  }
  /** the file with one aided row's amount raised and one row left out */
  async function corrected(lines: string[], skip: number) {
    const held = await heldRows(lines);
    const raised = held.filter((l) => l.split(',')[8] !== '')[skip]!;
    const dropped = held.filter((l) => l !== raised)[held.length - 2 - skip]!;
    const cells = raised.split(',');
    cells[8] = (Number(cells[8]) + 50).toFixed(2);
    const changed = cells.join(',');
    return { lines: lines.map((l) => (l === raised ? changed : l)).filter((l) => l !== dropped), raisedKey: keyOf(raised), droppedKey: keyOf(dropped), amount: cells[8] };
  }
  async function expectOnlyTheseChanged(before: Map<string, { xmin: string; key: string }>, keys: string[]) {
    const after = await rowVersions();
    const rewritten = [...before].filter(([row, v]) => after.get(row)?.xmin !== v.xmin).map(([, v]) => v.key);
    // the changed record's and the absent record's rows are closed; no other row is written
    expect([...new Set(rewritten)].sort()).toEqual([...keys].sort());
    const added = [...after].filter(([row]) => !before.has(row)).map(([row, v]) => `${row[0]} ${v.key}`);
    return added.sort();
  }
  async function expectApplied(c: { raisedKey: string; droppedKey: string; amount: string }) {
    const versions = await db.pool.query(
      `select deleted, superseded_at is null as current from source_record where feed = 'education' and record_key = $1 order by id`,
      [c.droppedKey],
    );
    expect(versions.rows).toEqual([{ deleted: false, current: false }, { deleted: true, current: true }]);
    const schooling = await db.pool.query(`select count(*)::int as n from schooling where record_key = $1 and retired_at is null`, [c.droppedKey]);
    expect(schooling.rows[0].n).toBe(0);
    const amount = await db.pool.query(`select amount from benefit where record_key = $1 and retired_at is null`, [c.raisedKey]);
    expect(amount.rows).toEqual([{ amount: c.amount }]);
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    drop = fs.mkdtempSync(path.join(os.tmpdir(), 'corrected-'));
    fs.cpSync(path.join(samplesDir, 'drop', 'education'), drop, { recursive: true });
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED' });
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(drop, { recursive: true, force: true });
  });

  it('writes one new version, ends the row it left out, and leaves every other record\'s rows untouched', async () => {
    const lines = readLines();
    const c = await corrected(lines, 0);
    const before = await rowVersions();
    writeLines(c.lines);
    const run = await sync();
    expect(run).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 1 });
    expect(run.unchanged).toBe(run.read - run.quarantined - 1);
    await expectApplied(c);
    // a source record and a benefit for the new version (its schooling did not change); an absence
    // marker for the row left out
    expect(await expectOnlyTheseChanged(before, [c.raisedKey, c.droppedKey])).toEqual(
      [`b ${c.raisedKey}`, `s ${c.raisedKey}`, `s ${c.droppedKey}`].sort(),
    );
    // delivered again as it is, it changes nothing
    const again = await sync();
    expect(again).toMatchObject({ status: 'SUCCEEDED', read: 0 });
    expect(await db.pool.query(`select count(*)::int as n from delivery_seen`)).toMatchObject({ rows: [{ n: 0 }] });
  });

  it('stopped in the middle of the file, resumes and still ends only the row it left out', async () => {
    const lines = readLines();
    const c = await corrected(lines, 1);
    const before = await rowVersions();
    writeLines(c.lines);
    const stop = new AbortController();
    let batches = 0;
    const stopped = await sync(stop.signal, () => {
      if (++batches === 3) stop.abort();
    });
    expect(stopped.status).toBe('PARTIAL');
    expect(await sync()).toMatchObject({ status: 'SUCCEEDED', inserted: 0 });
    await expectApplied(c);
    await expectOnlyTheseChanged(before, [c.raisedKey, c.droppedKey]);
  });
});

describe('a database whose records were stored with their payloads (before issue 18)', () => {
  let db: TestDb;
  let registry: Awaited<ReturnType<typeof healthRegistryOf>>;
  beforeAll(async () => {
    db = await openTestDatabase();
    registry = await healthRegistryOf({ settlements, deaths });
  });
  afterAll(async () => {
    await registry?.close();
    await db?.drop();
  });

  it('syncs again without versioning any record again or writing a change event', async () => {
    expect(await syncHealth(db, registry.url)).toMatchObject({ status: 'SUCCEEDED' });
    // what the old storage held: each record's payload, no delivery kept, no page remembered
    const { rows } = await db.pool.query<{ id: string }>(`select id from source_record where content_id is not null`);
    for (const r of rows) {
      const bytes = (await originalBytes(db.pool, r.id))!;
      await db.pool.query(`update source_record set payload = $2::json, content_id = null, content_offset = null, content_length = null where id = $1`, [
        r.id, JSON.stringify(JSON.parse(bytes.toString('utf8'))),
      ]);
    }
    await db.pool.query(`delete from delivered_page`);
    await db.pool.query(`delete from delivery_content`);
    const before = await sizes(db);
    const again = await syncHealth(db, registry.url);
    expect(again).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 0, ended: 0 });
    expect(await sizes(db)).toEqual(before);
  });
});

describe('finding the records of a page in its bytes', () => {
  it('gives each element of the records array its exact bytes, whatever its strings hold', () => {
    const rows = [
      { jsid: 'A1', xm: '张伟', note: 'a "quoted" ] } [ { , word', nested: { list: [1, [2, 3]], empty: {} } },
      { jsid: 'A2', xm: '\\ back\\slash \u00e9', n: -1.5e3, t: true, z: null },
      'a string element',
      42,
    ];
    const text = `{ "total" : 4, "meta": {"rows": [9]}, "rows" :\r\n [ ${rows.map((r) => JSON.stringify(r, null, 1)).join(' ,\n ')} ] , "page": 1 }`;
    const bytes = Buffer.from(text, 'utf8');
    const spans = arrayElementSpans(bytes, 'rows')!;
    expect(spans.map(([o, l]) => JSON.parse(bytes.toString('utf8', o, o + l)))).toEqual(rows);
    expect(arrayElementSpans(Buffer.from('{"data": []}'), 'rows')).toBeNull();
    expect(arrayElementSpans(Buffer.from('[1, 2]'), 'rows')).toBeNull();
    expect(arrayElementSpans(Buffer.from('{"rows": []}'), 'rows')).toEqual([]);
  });
});
