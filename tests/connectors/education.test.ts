import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { education } from '../../connectors/education';
import type { Database } from '../../src/db/database';
import { runConnector } from '../../src/ingest/syncRunner';
import { describeConnectorContract } from '../support/connectorContract';
import { samplesDir, truthModel, truthQuarantine } from '../support/samples';

const model = truthModel();
/** rules.md "Programmes": the education aids and their codes */
const PROGRAMME: Record<string, string> = {
  学前资助: 'JY_PRESCHOOL',
  义务教育生活补助: 'JY_LIVING',
  国家助学金: 'JY_GRANT',
  免学费: 'JY_FREE',
  生源地贷款: 'JY_LOAN',
};
const NEWEST_TERM_FILE = 'xszz_2026-2027_1.csv';

let db: Database & { drop(): Promise<void> };
let drop: string;

const sync = () => runConnector(db, education, { source: drop });

function readGbk(name: string): string[] {
  return iconv.decode(fs.readFileSync(path.join(drop, name)), 'gb18030').split('\r\n');
}

function writeGbk(name: string, lines: string[]): void {
  fs.writeFileSync(path.join(drop, name), iconv.encode(lines.join('\r\n'), 'gb18030'));
}

async function tableSizes(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`
    select (select count(*) from person)::int as person, (select count(*) from schooling)::int as schooling,
           (select count(*) from benefit)::int as benefit, (select count(*) from source_record)::int as source_record,
           (select count(*) from quarantined_record)::int as quarantined`);
  return rows[0];
}

async function currentSchooling(term?: string, on: Database = db) {
  const { rows } = await on.pool.query(
    `select p.id_number as id, s.student_no as xjh, s.term, s.aid, s.school, s.stage, s.grade, s.status, s.region_code as qhdm
       from schooling s join person p on p.id = s.person_id
      where s.retired_at is null and ($1::text is null or s.term = $1) order by 2, 3, 4 nulls first`,
    [term ?? null],
  );
  return rows;
}

function bySchooling(a: any, b: any): number {
  return `${a.xjh}|${a.term}|${a.aid ?? ''}`.localeCompare(`${b.xjh}|${b.term}|${b.aid ?? ''}`);
}

/** data rows of the sample's term files (each file has one header line) */
const sampleRows = fs
  .readdirSync(path.join(samplesDir, 'drop', 'education'))
  .reduce((n, f) => n + iconv.decode(fs.readFileSync(path.join(samplesDir, 'drop', 'education', f)), 'gb18030').split('\r\n').filter((l) => l.trim()).length - 1, 0);

// the contract first, on the database and drop folder the tests below go on with
const synced = describeConnectorContract(education, {
  source: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'education-drop-'));
    fs.cpSync(path.join(samplesDir, 'drop', 'education'), dir, { recursive: true });
    drop ??= dir;
    return { config: { source: dir }, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
  // every row of both term files
  read: sampleRows,
  records: {
    'the schooling of every clean row of the truth, each term kept apart': {
      actual: async (on) => (await currentSchooling(undefined, on)).sort(bySchooling),
      expected: () =>
        model.education
          .map((e: any) => ({ id: e.id, xjh: e.xjh, term: e.term, aid: e.aid, school: e.school, stage: e.stage, grade: e.grade, status: e.status, qhdm: e.qhdm }))
          .sort(bySchooling),
    },
    'each named aid as a benefit of the student with its programme code, exact amount and term': {
      actual: async (on) => {
        const { rows } = await on.pool.query(
          `select p.id_number as id, b.programme_code, b.amount, b.details->>'term' as term, b.valid_from, b.valid_to
             from benefit b join person p on p.id = b.person_id where b.retired_at is null and b.feed = 'education'`,
        );
        return rows.sort((a, b) => aidKey(a).localeCompare(aidKey(b)));
      },
      expected: () =>
        model.education
          .filter((e: any) => e.aid)
          .map((e: any) => ({ id: e.id, programme_code: PROGRAMME[e.aid], amount: e.amount, term: e.term, valid_from: null, valid_to: null }))
          .sort((a: any, b: any) => aidKey(a).localeCompare(aidKey(b))),
    },
  },
  // with key, reason, field and line
  quarantined: truthQuarantine('education').map((q: any) => ({
    record_key: q.key, reason: q.reason, field: q.field, location: `${q.file}:line ${q.line}`,
  })),
  // the same files are not read again
  resync: { after: (again) => expect(again.read).toBe(0) },
});

const aidKey = (r: any) => `${r.id}|${r.term}|${r.programme_code}|${r.amount}`;

beforeAll(() => {
  db = synced.db;
});

describe('a new term', () => {
  it('adds its facts and leaves the earlier terms as they were', async () => {
    const earlier = await currentSchooling();
    const lines = readGbk(NEWEST_TERM_FILE);
    const next = [lines[0]!, ...lines.slice(1, 6).filter((l) => l.trim()).map((l) => l.replace(/2026-2027,1,/, '2027-2028,1,'))];
    writeGbk('xszz_2027-2028_1.csv', next);
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.ended).toBe(0);
    const now = await currentSchooling();
    expect(now.filter((r) => r.term !== '2027-2028_1')).toEqual(earlier);
    expect(now.filter((r) => r.term === '2027-2028_1').length).toBeGreaterThan(0);
  });
});

describe('a re-delivery of a term with changed content', () => {
  it('replaces that term: rows left out are withdrawn, changed rows updated, other terms untouched', async () => {
    const lines = readGbk(NEWEST_TERM_FILE);
    const header = lines[0]!.split(',');
    const aidColumn = header.indexOf('资助项目');
    const amountColumn = header.indexOf('资助金额');
    const data = lines.slice(1).filter((l) => l.trim());
    // drop a student who has a single row in the term; raise the amount of one aided row
    const counts = new Map<string, number>();
    for (const l of data) counts.set(l.split(',')[0]!, (counts.get(l.split(',')[0]!) ?? 0) + 1);
    const dropped = data.find((l) => counts.get(l.split(',')[0]!) === 1 && l.split(',')[aidColumn] === '')!;
    const raised = data.findIndex((l) => l.split(',')[aidColumn] === '义务教育生活补助' && counts.get(l.split(',')[0]!) === 1);
    const raisedCells = data[raised]!.split(',');
    raisedCells[amountColumn] = '750.00';
    const changed = data.map((l, i) => (i === raised ? raisedCells.join(',') : l)).filter((l) => l !== dropped);
    const otherTerms = (await currentSchooling()).filter((r) => r.term !== '2026-2027_1');

    writeGbk(NEWEST_TERM_FILE, [lines[0]!, ...changed, '']);
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');

    const droppedNo = dropped.split(',')[0];
    const withdrawn = await db.pool.query(
      `select count(*)::int as current from schooling where student_no = $1 and term = '2026-2027_1' and retired_at is null`,
      [droppedNo],
    );
    expect(withdrawn.rows[0].current).toBe(0);
    const history = await db.pool.query(`select count(*)::int as n from schooling where student_no = $1 and term = '2026-2027_1'`, [droppedNo]);
    expect(history.rows[0].n).toBe(1);

    const amount = await db.pool.query(
      `select b.amount from benefit b where b.record_key = $1 and b.retired_at is null`,
      [`${raisedCells[0]}|义务教育生活补助|2026-2027_1`],
    );
    expect(amount.rows).toEqual([{ amount: '750.00' }]);
    expect((await currentSchooling()).filter((r) => r.term !== '2026-2027_1')).toEqual(otherTerms);
  });
});

describe('a term file that cannot be read whole', () => {
  afterEach(() => fs.rmSync(path.join(drop, 'xszz_2028-2029_1.csv'), { force: true }));

  async function expectRefused(pattern: RegExp) {
    const before = await tableSizes();
    const run = await sync();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch('xszz_2028-2029_1.csv');
    expect(run.error).toMatch(pattern);
    expect(await tableSizes()).toEqual(before);
  }

  function nextTermLines(): string[] {
    const lines = readGbk(NEWEST_TERM_FILE).filter((l) => l.trim());
    return [lines[0]!, ...lines.slice(1).map((l) => l.replace(/2026-2027,1,/, '2028-2029,1,'))];
  }

  it('fails the run and applies nothing of a truncated file', async () => {
    const bytes = iconv.encode(nextTermLines().join('\r\n'), 'gb18030');
    fs.writeFileSync(path.join(drop, 'xszz_2028-2029_1.csv'), bytes.subarray(0, bytes.length - 30));
    await expectRefused(/truncated/);
  });

  it('fails the run and applies nothing of a file in UTF-8 without a byte-order mark', async () => {
    fs.writeFileSync(path.join(drop, 'xszz_2028-2029_1.csv'), nextTermLines().join('\r\n'), 'utf8');
    await expectRefused(/wrong encoding/);
  });

  it('loads the file once it is delivered whole', async () => {
    writeGbk('xszz_2028-2029_1.csv', nextTermLines());
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.inserted).toBeGreaterThan(0);
  });
});
