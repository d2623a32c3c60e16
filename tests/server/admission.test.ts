/**
 * One request cannot hold the database, and ten cannot kill the hub: the cost of a coverage is
 * what it reads (its region tree and the people it counts), expensive operations take turns while
 * light ones are answered at once, a statement that runs too long answers "ask for less", and the
 * hub's database settings are validated. A real hub over the sample city, over HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectors } from '../../connectors';
import { issueToken } from '../../src/auth/tokenStore';
import { getOperationAST, parse } from 'graphql';
import { hubSchema } from '../../src/api/schema';
import { costFiguresOf, NO_FIGURES, queryCost } from '../../src/auth/queryLimits';
import { ConfigError, DEFAULT_ADMISSION, loadConfig, type AdmissionConfig, type DatabaseConfig } from '../../src/config/config';
import { startHub, type Hub } from '../../src/hub';
import { createLogger } from '../../src/logging/logger';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules } from '../../src/rules/engine/runRules';
import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';

/** The city, its 7 counties, their 73 towns and those towns' 2,768 villages. */
const FOUR_LEVELS = `coverage(regionCode: "3710") { regionCode persons children { regionCode persons children { regionCode persons children { regionCode persons } } } }`;
const TWENTY_FOUR_LEVELS = `{ ${Array.from({ length: 20 }, (_, i) => `c${i}: ${FOUR_LEVELS}`).join(' ')} }`;
const CITY_WITH_CHILDREN = `{ coverage(regionCode: "3710") { regionCode persons byCategory { category persons } openFindings { rule count }
  children { regionCode persons byCategory { category persons } openFindings { rule count } } } }`;
const LIGHT = '{ viewer { role } }';

interface Answer {
  status: number;
  body: any;
  /** when the answer arrived, in ms since the start of the process */
  at: number;
}

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let token: string;

beforeAll(async () => {
  db = await openTestDatabase();
  await loadSampleSet(db);
  await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
  token = (await issueToken(db.pool, '3710', Object.keys(connectors), { role: 'OFFICE', label: 'admission test' })).token;
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

/** A hub over the sample database with these database and admission settings. */
async function hubWith(settings: { database?: Partial<DatabaseConfig>; admission?: Partial<AdmissionConfig> } = {}) {
  const base = loadConfig({ env: {}, overrides: { port: 0, databaseUrl: db.url } });
  const config = { ...base, database: { ...base.database, ...settings.database }, admission: { ...base.admission, ...settings.admission } };
  const hub: Hub = await startHub(config, createLogger({ level: 'silent' }), { database: { db, embedded: null, close: async () => undefined }, schedules: false });
  const post = async (query: string): Promise<Answer> => {
    const res = await fetch(`${hub.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: await res.json(), at: performance.now() };
  };
  return { hub, post };
}

function codesOf(answer: Answer): string[] {
  return (answer.body.errors ?? []).map((e: any) => e.extensions?.code);
}

describe('the cost of a coverage is what it reads', () => {
  let h: Awaited<ReturnType<typeof hubWith>>;
  beforeAll(async () => {
    h = await hubWith();
  });
  afterAll(async () => {
    await h?.hub.close();
  });

  it("refuses twenty four-level coverages of the city before any statement runs, naming the cost, and answers one city's coverage with its children", async () => {
    const answer = await h.post(TWENTY_FOUR_LEVELS);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors[0].message).toMatch(/^The query costs \d+; the cost limit is 100000 \(.*fewer levels of children\)$/);
    expect(answer.body.errors[0].extensions.cost).toBeGreaterThan(100_000);

    const city = await h.post(CITY_WITH_CHILDREN);
    expect(city.body.errors).toBeUndefined();
    expect(city.body.data.coverage.persons).toBeGreaterThan(0);
    expect(city.body.data.coverage.children).toHaveLength(7);
  });
});

describe('a count over a table that only grows costs what it counts', () => {
  it('prices the audit trail by its rows: twenty counts of a grown trail are refused, one is answered', async () => {
    // a year of reads: the trail gains a row per request that reads people
    await db.pool.query(
      `insert into audit_event (token_label, role, region_code, operation_type, query_sha256, person_ids)
       select 'load test', 'OFFICE', '3710', 'query', repeat('0', 64), array[g::bigint] from generate_series(1, 600000) g`,
    );
    await db.pool.query('analyze audit_event');
    const h = await hubWith();
    try {
      const aliases = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: auditTrail(first: 1) { totalCount }`).join(' ')} }`;
      const refused = await h.post(aliases);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(refused.body.errors[0].extensions.cost).toBeGreaterThan(100_000);
      const one = await h.post('{ auditTrail(first: 1) { totalCount } }');
      expect(one.body.errors).toBeUndefined();
      expect(one.body.data.auditTrail.totalCount).toBeGreaterThanOrEqual(600_000);
    } finally {
      await h.hub.close();
    }
  });
});

describe("a nested list costs the length the data gives it", () => {
  it("prices a page of fifty families with members and benefits by the tables' sizes: a department app's page is not held back as expensive", async () => {
    const page = `{ households(first: 50) { edges { node { id members { person { id benefits { id programmeCode amount } } } } } } }`;
    const doc = parse(page);
    const schema = await hubSchema();
    await db.pool.query('analyze');
    const measured = queryCost(schema, doc, getOperationAST(doc)!, {}, { figures: await costFiguresOf(db.pool), scope: '3710' });
    const assumed = queryCost(schema, doc, getOperationAST(doc)!, {}, { figures: NO_FIGURES, scope: '3710' });
    // ten members and ten benefits each, as assumed before the tables are measured: expensive
    expect(assumed).toBeGreaterThanOrEqual(DEFAULT_ADMISSION.expensiveCost);
    expect(measured).toBeLessThan(DEFAULT_ADMISSION.expensiveCost);
  });
});

describe('expensive operations take turns; light ones are answered at once', () => {
  it('runs one four-level coverage, queues the next, refuses the third, and answers a viewer query meanwhile', async () => {
    const h = await hubWith({ admission: { maxExpensive: 1, maxQueued: 1, queueTimeoutMs: 120_000 } });
    try {
      const expensive = [h.post(`{ ${FOUR_LEVELS} }`), h.post(`{ ${FOUR_LEVELS} }`), h.post(`{ ${FOUR_LEVELS} }`)];
      // the one beyond the running one and the queue is refused without waiting for either
      const first = await Promise.race(expensive);
      expect(first.status).toBe(503);
      expect(codesOf(first)).toEqual(['TOO_BUSY']);
      expect(first.body.errors[0].message).toMatch(/already running 1 expensive operations .* with 1 waiting/);
      expect(first.body.errors[0].extensions).toMatchObject({ reason: 'CONCURRENCY', expensiveCost: DEFAULT_ADMISSION.expensiveCost });

      const light = await h.post(LIGHT);
      expect(light.body).toEqual({ data: { viewer: { role: 'OFFICE' } } });

      const answers = await Promise.all(expensive);
      const answered = answers.filter((a) => a.status === 200);
      expect(answered).toHaveLength(2);
      for (const a of answered) {
        expect(a.body.errors).toBeUndefined();
        expect(a.body.data.coverage.children).toHaveLength(7);
      }
      // the light query did not wait for either expensive one, the queued one waited for the first
      expect(light.at).toBeLessThan(Math.min(...answered.map((a) => a.at)));
      expect(answers.filter((a) => a.status === 503)).toHaveLength(1);
    } finally {
      await h.hub.close();
    }
  });

  it('refuses an expensive operation that waited longer than the queue allows, saying so', async () => {
    const h = await hubWith({ admission: { maxExpensive: 1, maxQueued: 5, queueTimeoutMs: 50 } });
    try {
      const answers = await Promise.all([h.post(`{ ${FOUR_LEVELS} }`), h.post(`{ ${FOUR_LEVELS} }`)]);
      const refused = answers.filter((a) => a.status === 503);
      expect(refused).toHaveLength(1);
      expect(refused[0].body.errors[0].message).toMatch(/this one waited \d+\.\d s and was not admitted/);
      expect(refused[0].body.errors[0].extensions.waitedMs).toBeGreaterThanOrEqual(45);
      expect(answers.filter((a) => a.status === 200 && a.body.data?.coverage)).toHaveLength(1);
    } finally {
      await h.hub.close();
    }
  });

  it('refuses expensive operations while the heap is over its share, and still answers light ones', async () => {
    // any process holds more than 1% of its heap limit
    const h = await hubWith({ admission: { heapFraction: 0.01 } });
    try {
      const expensive = await h.post(`{ ${FOUR_LEVELS} }`);
      expect(expensive.status).toBe(503);
      expect(codesOf(expensive)).toEqual(['TOO_BUSY']);
      expect(expensive.body.errors[0].message).toMatch(/The hub's memory is \d+% used \(limit 1%\)/);
      expect(await h.post(LIGHT)).toMatchObject({ status: 200, body: { data: { viewer: { role: 'OFFICE' } } } });
      expect((await h.post(CITY_WITH_CHILDREN)).body.data.coverage.children).toHaveLength(7);
    } finally {
      await h.hub.close();
    }
  });
});

describe('a statement that runs too long', () => {
  it('answers "ask for less" instead of an internal error, and the hub keeps answering', async () => {
    const h = await hubWith({ database: { statementTimeoutMs: 1 } });
    try {
      const answer = await h.post(`{ ${FOUR_LEVELS} }`);
      expect(answer.body.data ?? null).toBeNull();
      expect(codesOf(answer)).not.toContain('INTERNAL_SERVER_ERROR');
      expect(codesOf(answer)[0]).toBe('BAD_USER_INPUT');
      expect(answer.body.errors[0].message).toMatch(/^The request took longer than 1 ms, the time one of its database statements may take: ask for less/);

      expect(await h.post(LIGHT)).toMatchObject({ status: 200, body: { data: { viewer: { role: 'OFFICE' } } } });
      expect((await fetch(`${h.hub.server.url}/healthz`)).status).toBe(200);
      // the schedules' pool (syncs, rule runs) has no such limit
      await expect(h.hub.database.db.pool.query('select pg_sleep(0.05)')).resolves.toBeDefined();
    } finally {
      await h.hub.close();
    }
  });
});

describe("the hub's database settings", () => {
  const write = (config: object) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-config-'));
    const file = path.join(dir, 'weijiu.config.json');
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  };

  it('defaults to 10 connections, 15 s a statement and requests planned ahead', () => {
    const config = loadConfig({ env: {}, file: write({}) });
    expect(config.database).toEqual({ poolSize: 10, statementTimeoutMs: 15_000, planRequests: true });
  });

  it('refuses a pool of no connections and a timeout that is not a number of milliseconds, naming the key', () => {
    expect(() => loadConfig({ env: {}, file: write({ database: { poolSize: 0 } }) })).toThrow(ConfigError);
    expect(() => loadConfig({ env: {}, file: write({ database: { poolSize: 0 } }) })).toThrow(/bad key "database\.poolSize"/);
    expect(() => loadConfig({ env: {}, file: write({ database: { statementTimeoutMs: '15s' } }) })).toThrow(/bad key "database\.statementTimeoutMs"/);
    expect(() => loadConfig({ env: {}, file: write({ database: { planRequests: 'no' } }) })).toThrow(/bad key "database\.planRequests"/);
    expect(loadConfig({ env: {}, file: write({ database: { poolSize: 4, statementTimeoutMs: 5000 } }) }).database).toEqual({ poolSize: 4, statementTimeoutMs: 5000, planRequests: true });
  });
});
