import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { povertyRelief } from '../../connectors/poverty-relief';
import type { Database } from '../../src/db/database';
import { runConnector } from '../../src/ingest/syncRunner';
import { describeConnectorContract } from '../support/connectorContract';
import { samplesDir, truthModel, truthQuarantine } from '../support/samples';

const model = truthModel();
const SAMPLE = 'fpdx_20261031.csv';

let db: Database & { drop(): Promise<void> };
let drop: string;

const sync = () => runConnector(db, povertyRelief, { source: drop });


function sampleLines(): string[] {
  return iconv.decode(fs.readFileSync(path.join(samplesDir, 'drop', 'poverty', SAMPLE)), 'gb18030').split('\r\n');
}

async function tableSizes(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`
    select (select count(*) from person)::int as person, (select count(*) from household)::int as household,
           (select count(*) from membership)::int as membership, (select count(*) from poverty_record)::int as poverty_record,
           (select count(*) from source_record)::int as source_record, (select count(*) from quarantined_record)::int as quarantined`);
  return rows[0];
}

const byMember = (a: any, b: any) => `${a.hbh}|${a.id}`.localeCompare(`${b.hbh}|${b.id}`);

/** a copy of the sample drop folder of its own (a test adds snapshots to it) */
function sampleDrop() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poverty-drop-'));
  fs.cpSync(path.join(samplesDir, 'drop', 'poverty'), dir, { recursive: true });
  return { config: { source: dir }, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// the contract first, on the database and drop folder the tests below go on with
const synced = describeConnectorContract(povertyRelief, {
  source: async () => {
    const copy = sampleDrop();
    drop ??= copy.config.source;
    return copy;
  },
  read: model.poverty.length + truthQuarantine('poverty-relief').length,
  records: {
    'the poverty record of every clean member row of the truth, dated by the snapshot': {
      actual: async (db) =>
        (
          await db.pool.query(
            `select r.household_no as hbh, hp.id_number as head, p.id_number as id, r.income_per_capita as income, r.monitoring_type as monitor,
                    r.region_code as qhdm, r.relation_code as rel, r.main_risk as risk, r.poverty_status as tp, r.identified_year as year, r.snapshot_date
               from poverty_record r join person p on p.id = r.person_id
               join household h on h.id = r.household_id join person hp on hp.id = h.head_person_id
              where r.retired_at is null`,
          )
        ).rows.sort(byMember),
      expected: () => model.poverty.map((m: any) => ({ ...m, snapshot_date: model.poverty_snapshot })).sort(byMember),
    },
  },
  // with key, reason, field and line
  quarantined: truthQuarantine('poverty-relief').map((q: any) => ({
    record_key: q.key, reason: q.reason, field: q.field, location: `${q.file}:line ${q.line}`,
  })),
  // the same snapshot is not read again
  resync: { after: (again) => expect(again.read).toBe(0) },
  // a file drop is applied in chunks of pageSize rows, its bookmark naming the rows done
  sigkill: { config: (source) => ({ ...source.config, pageSize: 7 }), batches: 2 },
});

beforeAll(() => {
  db = synced.db;
});

describe('syncing the poverty-relief sample drop', () => {
  it('lists each member in the household of their head, with the relation code (words read as codes)', async () => {
    const { rows } = await db.pool.query(
      `select hp.id_number as head, p.id_number as id, m.relation_code as rel
         from membership m join person p on p.id = m.person_id
         join household h on h.id = m.household_id join person hp on hp.id = h.head_person_id
        where m.retired_at is null and m.valid_to is null order by 1, 2`,
    );
    const expected = model.poverty
      .map((m: any) => ({ head: m.head, id: m.id, rel: m.rel }))
      .sort((a: any, b: any) => `${a.head}|${a.id}`.localeCompare(`${b.head}|${b.id}`));
    expect(rows).toEqual(expected);
  });

  it('holds one household per head and every member and head as a person', async () => {
    const households = await db.pool.query(`select p.id_number from household h join person p on p.id = h.head_person_id order by 1`);
    expect(households.rows.map((r) => r.id_number)).toEqual([...new Set(model.poverty.map((m: any) => m.head))].sort());
    const persons = await db.pool.query(`select id_number, name from person order by 1`);
    const ids = new Set<string>(model.poverty.flatMap((m: any) => [m.id, m.head]));
    expect(persons.rows.map((r) => r.id_number)).toEqual([...ids].sort());
    for (const r of persons.rows) expect(r.name).toBe(model.persons[r.id_number].name);
  });

});

describe('a newer snapshot', () => {
  const left = model.poverty.find((m: any) => m.id !== m.head && m.rel === '02');

  it('ends the member it no longer lists on its own date, and leaves the others open', async () => {
    const lines = sampleLines().filter((l) => !(l.includes(left.hbh) && l.split(',')[2]!.trim() === left.id));
    fs.writeFileSync(path.join(drop, 'fpdx_20261130.csv'), iconv.encode(lines.join('\r\n'), 'gb18030'));
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');
    const { rows } = await db.pool.query(
      `select 'membership' as fact, m.valid_to from membership m join person p on p.id = m.person_id where p.id_number = $1 and m.retired_at is null
       union all
       select 'poverty_record', r.valid_to from poverty_record r join person p on p.id = r.person_id where p.id_number = $1 and r.retired_at is null
       order by 1`,
      [left.id],
    );
    expect(rows).toEqual([
      { fact: 'membership', valid_to: '2026-11-30' },
      { fact: 'poverty_record', valid_to: '2026-11-30' },
    ]);
    const open = await db.pool.query(`select count(*)::int as n from membership where retired_at is null and valid_to is null`);
    expect(open.rows[0].n).toBe(model.poverty.length - 1);
  });
});

describe('a snapshot that cannot be read whole', () => {
  const broken = 'fpdx_20261231.csv';
  afterEach(() => fs.rmSync(path.join(drop, broken), { force: true }));

  async function expectRefused(pattern: RegExp) {
    const before = await tableSizes();
    const run = await sync();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(broken);
    expect(run.error).toMatch(pattern);
    expect(await tableSizes()).toEqual(before);
  }

  it('fails the run and ends nothing when the file is cut off inside a row', async () => {
    const bytes = iconv.encode(sampleLines().join('\r\n'), 'gb18030');
    fs.writeFileSync(path.join(drop, broken), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRefused(/truncated/);
  });

  it('fails the run and ends nothing when the file is UTF-8 without a byte-order mark', async () => {
    fs.writeFileSync(path.join(drop, broken), sampleLines().join('\r\n'), 'utf8');
    await expectRefused(/wrong encoding/);
  });
});
