import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { housing } from '../../connectors/housing';
import type { Database } from '../../src/db/database';
import { runConnector } from '../../src/ingest/syncRunner';
import { describeConnectorContract } from '../support/connectorContract';
import { samplesDir, truthModel, truthQuarantine } from '../support/samples';

const model = truthModel();
const SAMPLE = 'zfbz_20261031.xlsx';
/** feeds.md §4: 保障方式 → programme (rules.md "Programmes") */
const MODE: Record<string, string> = { 实物配租: 'ZF_FLAT', 租赁补贴: 'ZF_RENT' };

let db: Database & { drop(): Promise<void> };
let drop: string;

const sync = () => runConnector(db, housing, { source: drop });

async function tableSizes(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`
    select (select count(*) from person)::int as person, (select count(*) from household)::int as household,
           (select count(*) from benefit)::int as benefit, (select count(*) from dangerous_house)::int as dangerous_house,
           (select count(*) from source_record)::int as source_record, (select count(*) from quarantined_record)::int as quarantined`);
  return rows[0];
}

async function sampleWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path.join(samplesDir, 'drop', 'housing', SAMPLE));
  return wb;
}

/** The worksheet row of the first data row whose cell in `column` is `value`. */
function rowWhere(ws: ExcelJS.Worksheet, column: number, value: string): number {
  for (let r = 3; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(column).text === value) return r;
  throw new Error(`no row with ${value}`);
}

const byIdAndStart = (a: any, b: any) => `${a.id}|${a.start}`.localeCompare(`${b.id}|${b.start}`);
const byIdAndDate = (a: any, b: any) => `${a.id}|${a.date}`.localeCompare(`${b.id}|${b.date}`);

// the contract first, on the database and drop folder the tests below go on with
const synced = describeConnectorContract(housing, {
  source: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'housing-drop-'));
    fs.cpSync(path.join(samplesDir, 'drop', 'housing'), dir, { recursive: true });
    drop ??= dir;
    return { config: { source: dir }, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
  // both sheets, without their title, header and 合计 rows
  read: model.housing_bzf.length + model.housing_wf.length + truthQuarantine('housing').length,
  records: {
    "each 保障房 record as a benefit of the applicant and their household, dates and amounts as the truth": {
      actual: async (on) =>
        (
          await on.pool.query(
            `select p.id_number as id, b.programme_code, b.amount, b.valid_from as start, b.valid_to as "end", b.region_code as qhdm,
                    (b.details->>'family_size')::int as family_size, b.details->>'address' as address, hp.id_number as head
               from benefit b join person p on p.id = b.person_id
               join household h on h.id = b.household_id join person hp on hp.id = h.head_person_id
              where b.retired_at is null and b.programme_code in ('ZF_FLAT', 'ZF_RENT') order by 1, 4`,
          )
        ).rows,
      expected: () =>
        model.housing_bzf
          .map((h: any) => ({
            id: h.id, programme_code: MODE[h.mode], amount: h.amount, start: h.start, end: h.end, qhdm: h.qhdm,
            family_size: h.family_size, address: h.address, head: h.id,
          }))
          .sort(byIdAndStart),
    },
    "each 危房 record as the head's assessed house": {
      actual: async (on) =>
        (
          await on.pool.query(
            `select p.id_number as id, d.rating as grade, d.assessed_on as date, d.renovation_status as status, d.subsidy as amount, d.region_code as qhdm
               from dangerous_house d join person p on p.id = d.person_id where d.retired_at is null order by 1, 3`,
          )
        ).rows,
      expected: () =>
        model.housing_wf.map((w: any) => ({ id: w.id, grade: w.grade, date: w.date, status: w.status, amount: w.amount, qhdm: w.qhdm })).sort(byIdAndDate),
    },
    'a WF benefit of the household where a 危房 subsidy was paid': {
      actual: async (on) =>
        (
          await on.pool.query(
            `select hp.id_number as id, b.amount from benefit b join household h on h.id = b.household_id join person hp on hp.id = h.head_person_id
              where b.retired_at is null and b.programme_code = 'WF' order by 1`,
          )
        ).rows,
      expected: () =>
        model.housing_wf.filter((w: any) => w.amount).map((w: any) => ({ id: w.id, amount: w.amount })).sort((a: any, b: any) => a.id.localeCompare(b.id)),
    },
  },
  // with key, reason, field and sheet row
  quarantined: truthQuarantine('housing')
    .map((q: any) => ({ record_key: q.key, reason: q.reason, field: q.field, location: `${q.where}:row ${q.row}` }))
    .sort((a, b) => a.record_key.localeCompare(b.record_key)),
  // the same workbook is not read again
  resync: { after: (again) => expect(again.read).toBe(0) },
});

beforeAll(() => {
  db = synced.db;
});

describe('a newer snapshot', () => {
  const flat = model.housing_bzf.find((h: any) => h.end === null && h.mode === '实物配租');
  const house = model.housing_wf.find((w: any) => w.amount === null);

  beforeAll(async () => {
    const wb = await sampleWorkbook();
    const bzf = wb.getWorksheet('保障房')!;
    bzf.spliceRows(rowWhere(bzf, 2, flat.id), 1);
    const wf = wb.getWorksheet('危房')!;
    wf.spliceRows(rowWhere(wf, 2, house.id), 1);
    await wb.xlsx.writeFile(path.join(drop, 'zfbz_20261130.xlsx'));
  });

  it('ends the records it no longer holds on its own date, and keeps the rest open', async () => {
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.ended).toBe(2);
    const ended = await db.pool.query(
      `select b.valid_to from benefit b join person p on p.id = b.person_id
        where p.id_number = $1 and b.valid_from = $2 and b.retired_at is null`,
      [flat.id, flat.start],
    );
    expect(ended.rows).toEqual([{ valid_to: '2026-11-30' }]);
    const endedHouse = await db.pool.query(
      `select d.valid_to from dangerous_house d join person p on p.id = d.person_id where p.id_number = $1 and d.retired_at is null`,
      [house.id],
    );
    expect(endedHouse.rows).toEqual([{ valid_to: '2026-11-30' }]);
    const open = await db.pool.query(`select count(*)::int as n from benefit where feed = 'housing' and retired_at is null and valid_to is null`);
    const expectedOpen = model.housing_bzf.filter((h: any) => h.end === null).length - 1 + model.housing_wf.filter((w: any) => w.amount).length;
    expect(open.rows[0].n).toBe(expectedOpen);
  });

  it('is not undone by an older snapshot delivered late', async () => {
    fs.copyFileSync(path.join(samplesDir, 'drop', 'housing', SAMPLE), path.join(drop, 'zfbz_20261015.xlsx'));
    const before = await tableSizes();
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.read).toBe(0);
    expect(await tableSizes()).toEqual(before);
  });
});

describe('a workbook that cannot be read whole', () => {
  const broken = 'zfbz_20261231.xlsx';
  afterEach(() => fs.rmSync(path.join(drop, broken), { force: true }));

  async function expectRefused(pattern: RegExp) {
    const before = await tableSizes();
    const run = await sync();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(broken);
    expect(run.error).toMatch(pattern);
    expect(await tableSizes()).toEqual(before);
  }

  it('fails the run and applies nothing of a workbook missing its 危房 sheet', async () => {
    const wb = await sampleWorkbook();
    wb.removeWorksheet(wb.getWorksheet('危房')!.id);
    await wb.xlsx.writeFile(path.join(drop, broken));
    await expectRefused(/no sheet "危房"/);
  });

  it('fails the run and applies nothing of a truncated workbook', async () => {
    const bytes = fs.readFileSync(path.join(samplesDir, 'drop', 'housing', SAMPLE));
    fs.writeFileSync(path.join(drop, broken), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expectRefused(/truncated or corrupt/);
  });
});
