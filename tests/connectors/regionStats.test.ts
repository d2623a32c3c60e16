import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { regionStats } from '../../connectors/region-stats';
import type { Database } from '../../src/db/database';
import { runConnector } from '../../src/ingest/syncRunner';
import { describeConnectorContract } from '../support/connectorContract';
import { openTestDatabase } from '../support/hubDatabase';
import { samplesDir, truthModel, truthQuarantine } from '../support/samples';

const model = truthModel();
const SAMPLE = 'region_stats_2026.csv';
const BOM = '\uFEFF';

let db: Database & { drop(): Promise<void> };
let drop: string;

const sync = () => runConnector(db, regionStats, { source: drop });

function sampleLines(): string[] {
  return fs.readFileSync(path.join(samplesDir, 'drop', 'region-stats', SAMPLE), 'utf8').replace(BOM, '').split('\r\n');
}

function writeUtf8Bom(name: string, lines: string[]): void {
  fs.writeFileSync(path.join(drop, name), BOM + lines.join('\r\n'), 'utf8');
}

async function tableSizes(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`
    select (select count(*) from person)::int as person, (select count(*) from region_stat)::int as region_stat,
           (select count(*) from source_record)::int as source_record, (select count(*) from quarantined_record)::int as quarantined`);
  return rows[0];
}

async function currentFigures(year?: number, on: Database = db) {
  const { rows } = await on.pool.query(
    `select region_code as code, year, residents as pop, households, staff, coordinators, reserve_fund as reserve, backup_fund as backup
       from region_stat where retired_at is null and ($1::int is null or year = $1) order by 1, 2`,
    [year ?? null],
  );
  return rows;
}

// the contract first, on the database and drop folder the tests below go on with
const synced = describeConnectorContract(regionStats, {
  source: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'region-stats-drop-'));
    fs.cpSync(path.join(samplesDir, 'drop', 'region-stats'), dir, { recursive: true });
    drop ??= dir;
    return { config: { source: dir }, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
  // every row of the UTF-8 file
  read: sampleLines().filter((l) => l.trim()).length - 1,
  records: {
    'the figures of every region of the truth at the level sent, an empty cell unknown rather than 0': {
      actual: (on) => currentFigures(undefined, on),
      expected: () =>
        model.region_stats
          .map((r: any) => ({ code: r.code, year: r.year, pop: r.pop, households: r.households, staff: r.staff, coordinators: r.coordinators, reserve: r.reserve, backup: r.backup }))
          .sort((a: any, b: any) => a.code.localeCompare(b.code)),
    },
  },
  // the rows of unknown region codes, with line numbers
  quarantined: truthQuarantine('region-stats')
    .map((q: any) => ({ record_key: q.key, reason: q.reason, field: q.field, location: `${q.file}:line ${q.line}` }))
    .sort((a, b) => a.record_key.localeCompare(b.record_key)),
  // the same file is not read again
  resync: { after: (again) => expect(again.read).toBe(0) },
});

beforeAll(() => {
  db = synced.db;
});

describe('syncing the region-stats sample drop', () => {
  it('reads the file in more than one chunk and names no person', async () => {
    expect(synced.first.batches).toBeGreaterThan(1);
    expect(await db.pool.query('select count(*)::int as n from person').then((r) => r.rows[0].n)).toBe(0);
  });
});

describe('a sync stopped part-way through the file', () => {
  it('keeps the chunks it committed and the next run reads only the rest', async () => {
    const own = await openTestDatabase();
    try {
      const stop = new AbortController();
      const partial = await runConnector(own, regionStats, { source: drop }, { signal: stop.signal, onProgress: () => stop.abort() });
      expect(partial.status).toBe('PARTIAL');
      expect(partial.batches).toBe(1);
      const rest = await runConnector(own, regionStats, { source: drop });
      expect(rest.status).toBe('SUCCEEDED');
      expect(partial.read + rest.read).toBe(sampleLines().filter((l) => l.trim()).length - 1);
      expect(partial.inserted + rest.inserted).toBe(model.region_stats.length);
    } finally {
      await own.drop();
    }
  });
});

describe('a new year', () => {
  it('adds that year and leaves the earlier year as it was', async () => {
    const before = await currentFigures(2026);
    const lines = sampleLines().filter((l) => l.trim());
    writeUtf8Bom('region_stats_2027.csv', [lines[0]!, ...lines.slice(1, 40).map((l) => l.replace(',2026,', ',2027,'))]);
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.ended).toBe(0);
    expect(await currentFigures(2026)).toEqual(before);
    expect((await currentFigures(2027)).length).toBeGreaterThan(0);
  });
});

describe('a re-delivery of a year', () => {
  it('replaces that year: a region left out is withdrawn, a changed figure updated', async () => {
    const lines = sampleLines().filter((l) => l.trim());
    const county = model.region_stats.find((r: any) => r.code.length === 6 && r.reserve);
    const village = model.region_stats.find((r: any) => r.code.length === 12 && r.coordinators);
    const changed = lines
      .filter((l) => !l.startsWith(`${village.code},`))
      .map((l) => (l.startsWith(`${county.code},`) ? l.replace(/,[^,]*,$/, ',"1,000,000.00",') : l));
    writeUtf8Bom(SAMPLE, changed);
    const run = await sync();
    expect(run.status).toBe('SUCCEEDED');
    const now = await currentFigures(2026);
    expect(now.find((r) => r.code === village.code)).toBeUndefined();
    expect(now.find((r) => r.code === county.code)).toMatchObject({ reserve: '1000000.00' });
    expect(now.length).toBe(model.region_stats.length - 1);
    expect((await currentFigures(2027)).length).toBeGreaterThan(0);
  });
});

describe('a file that cannot be read whole', () => {
  const broken = 'region_stats_2028.csv';
  afterEach(() => fs.rmSync(path.join(drop, broken), { force: true }));

  it('fails the run and applies nothing of a UTF-8 file without its byte-order mark', async () => {
    const before = await tableSizes();
    const lines = sampleLines().map((l) => l.replace(',2026,', ',2028,'));
    fs.writeFileSync(path.join(drop, broken), lines.join('\r\n'), 'utf8');
    const run = await sync();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(broken);
    expect(run.error).toMatch(/wrong encoding/);
    expect(await tableSizes()).toEqual(before);
  });
});
