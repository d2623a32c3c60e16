import { health } from '../../connectors/health';
import type { Database } from '../../src/db/database';
import { addDays } from '../../src/identity';
import { runConnector, type SyncOptions } from '../../src/ingest/syncRunner';
import { describeConnectorContract } from '../support/connectorContract';
import { openTestDatabase } from '../support/hubDatabase';
import { healthRegistryOf, registryAnswering, type RunningRegistry } from '../support/simulatedRegistries';
import { readJsonl, truthModel, truthQuarantine } from '../support/samples';

const settlements = readJsonl('api/health/settlements.jsonl');
const deaths = readJsonl('api/health/deaths.jsonl');
const model = truthModel();
const YEARS = [2025, 2026];

type TestDb = Database & { drop(): Promise<void> };

function sync(db: TestDb, source: string, opts: SyncOptions = {}, pageSize = 25) {
  return runConnector(db, health, { source, years: YEARS, pageSize }, opts);
}

const byKey = (a: { record_key: string }, b: { record_key: string }) => a.record_key.localeCompare(b.record_key);

async function settlementFacts(db: Database) {
  const { rows } = await db.pool.query(
    `select s.record_key, p.id_number, s.settled_on, s.total_cost, s.insurance_paid, s.assistance_paid, s.out_of_pocket, s.diagnosis, s.catastrophic
       from medical_settlement s join person p on p.id = s.person_id where s.retired_at is null order by 1`,
  );
  return rows;
}

const expectedSettlements = () =>
  model.settlements
    .map((s: any) => ({
      record_key: s.jsid, id_number: s.id, settled_on: s.date, total_cost: s.zfy, insurance_paid: s.ybbx,
      assistance_paid: s.yljz, out_of_pocket: s.grzf, diagnosis: s.jbzd, catastrophic: s.dbbz === '1',
    }))
    .sort(byKey);

async function deathFacts(db: Database) {
  const { rows } = await db.pool.query(
    `select d.record_key, p.id_number, d.died_on, d.region_code from death_record d join person p on p.id = d.person_id
      where d.retired_at is null order by 1`,
  );
  return rows;
}

const expectedDeaths = () =>
  model.deaths.map((d: any) => ({ record_key: d.swzmbh, id_number: d.id, died_on: d.date, region_code: d.qhdm })).sort(byKey);

async function tableSizes(db: TestDb): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`
    select (select count(*) from person)::int as person, (select count(*) from medical_settlement)::int as medical_settlement,
           (select count(*) from benefit)::int as benefit, (select count(*) from death_record)::int as death_record,
           (select count(*) from source_record)::int as source_record, (select count(*) from quarantined_record)::int as quarantined`);
  return rows[0];
}

/** the newest date of death in the feed, which the connector keeps as its bookmark */
const newestDeath = deaths.map((d) => d.swrq as string).sort().at(-1)!;

describe('syncing the health sample feed', () => {
  let registry: RunningRegistry | undefined;
  let logged = 0;
  const synced = describeConnectorContract(health, {
    source: async () => {
      const started = await healthRegistryOf({ settlements, deaths });
      registry ??= started;
      return { config: { source: started.url, years: YEARS, pageSize: 25 }, close: () => started.close() };
    },
    read: settlements.length + deaths.length,
    records: {
      'every settlement of the configured years with exact amounts, once each': { actual: settlementFacts, expected: expectedSettlements },
      'the medical assistance part of a settlement as a YLJZ benefit paid on the settlement day': {
        actual: async (db) =>
          (
            await db.pool.query(
              `select b.record_key, p.id_number, b.amount, b.paid_on, b.valid_from, b.valid_to
                 from benefit b join person p on p.id = b.person_id where b.retired_at is null and b.programme_code = 'YLJZ' order by 1`,
            )
          ).rows,
        expected: () => {
          const expected = model.settlements
            .filter((s: any) => /[1-9]/.test(s.yljz))
            .map((s: any) => ({ record_key: s.jsid, id_number: s.id, amount: s.yljz, paid_on: s.date, valid_from: s.date, valid_to: s.date }))
            .sort(byKey);
          expect(expected.length).toBeGreaterThan(0);
          return expected;
        },
      },
      'every valid death certificate': { actual: deathFacts, expected: expectedDeaths },
    },
    quarantined: truthQuarantine('health')
      .map((q: any) => ({ stream: q.where, record_key: q.key, reason: q.reason, field: q.field }))
      .sort(byKey),
    resync: {
      before: () => (logged = registry!.log.length),
      // it reads the years whole and the deaths of the last 90 days again
      after: (again) => {
        const urls = registry!.log.slice(logged).map((r) => new URL(r.url, registry!.url));
        const settlementYears = new Set(urls.filter((u) => u.pathname.endsWith('/settlements')).map((u) => u.searchParams.get('year')));
        expect([...settlementYears]).toEqual(YEARS.map(String));
        const since = urls.filter((u) => u.pathname === '/v2/deaths').map((u) => u.searchParams.get('since'));
        expect(new Set(since)).toEqual(new Set([addDays(newestDeath, -90)]));
        expect(again.read).toBe(settlements.length + deaths.filter((d) => d.swrq >= addDays(newestDeath, -90)).length);
      },
    },
  });

  it('finds a death registered late with a date of death inside the margin', async () => {
    const living = model.settlements.find((s: any) => !model.deaths.some((d: any) => d.id === s.id));
    const late = { swzmbh: 'SZ371002202699001', sfzh: living.id, xm: '', swrq: addDays(newestDeath, -30), qhdm: deaths[0].qhdm };
    const later = await healthRegistryOf({ settlements, deaths: [...deaths, late] });
    try {
      const run = await sync(synced.db, later.url);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.inserted).toBe(1);
    } finally {
      await later.close();
    }
    const { rows } = await synced.db.pool.query(
      `select d.died_on from death_record d join person p on p.id = d.person_id where d.record_key = $1 and p.id_number = $2`,
      [late.swzmbh, living.id],
    );
    expect(rows).toEqual([{ died_on: late.swrq }]);
  });

  it('resumes a run cut off part-way after its last committed page, then reads the years whole again', async () => {
    const stop = new AbortController();
    const cut = await sync(synced.db, registry!.url, { signal: stop.signal, onProgress: (p) => p.batches === 3 && stop.abort() }, 10);
    expect(cut.status).toBe('PARTIAL');
    const from = registry!.log.length;
    const resumed = await sync(synced.db, registry!.url, {}, 10);
    expect(resumed.status).toBe('SUCCEEDED');
    const pages = registry!.log
      .slice(from)
      .map((r) => new URL(r.url, registry!.url))
      .filter((u) => u.pathname.endsWith('/settlements'))
      .map((u) => `${u.searchParams.get('year')}/${u.searchParams.get('page')}`);
    // three pages of 2025 were committed: the resumed run starts at the fourth
    expect(pages[0]).toBe('2025/4');
    expect(new Set(pages).size).toBe(pages.length);
    const fromScratch = registry!.log.length;
    await sync(synced.db, registry!.url, {}, 10);
    const next = registry!.log.slice(fromScratch).map((r) => new URL(r.url, registry!.url)).find((u) => u.pathname.endsWith('/settlements'))!;
    expect(`${next.searchParams.get('year')}/${next.searchParams.get('page')}`).toBe('2025/1');
    expect(await settlementFacts(synced.db)).toEqual(expectedSettlements());
  });
});

describe('a health registry that fails one request in ten (HTTP 500 and hangs)', () => {
  it('still loads every settlement and death', async () => {
    const db = await openTestDatabase();
    const registry = await healthRegistryOf({ settlements, deaths }, { faultRate: 0.1, seed: 3, hangMs: 2000 });
    try {
      const run = await sync(db, registry.url, { http: { timeoutMs: 500, baseDelayMs: 10 } }, 10);
      expect(registry.log.filter((r) => r.status === 500).length).toBeGreaterThan(0);
      expect(registry.log.filter((r) => r.status === 'hung').length).toBeGreaterThan(0);
      expect(run.status).toBe('SUCCEEDED');
      expect(await settlementFacts(db)).toEqual(expectedSettlements());
      expect(await deathFacts(db)).toEqual(expectedDeaths());
    } finally {
      await registry.close();
      await db.drop();
    }
  });
});

describe('a registry answering something other than pages', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.drop());

  it.each([
    ['an HTML error page', '<html><body>系统维护中</body></html>', /not JSON/],
    ['JSON without rows', { total: 3, page: 1 }, /no "rows" array/],
  ])('fails the run with a clear error on %s and commits nothing', async (_what, body, message) => {
    const registry = await registryAnswering(body);
    try {
      const run = await sync(db, registry.url, { http: { retries: 1, baseDelayMs: 1 } });
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(message);
      expect((await tableSizes(db)).source_record).toBe(0);
    } finally {
      await registry.close();
    }
  });
});
