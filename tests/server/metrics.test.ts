/**
 * `GET /metrics` (api.md, *Sources*): what an operator's Prometheus scrapes — GraphQL requests,
 * errors and latency by operation and role, sync runs and records by connector and outcome, rule
 * runs, the pools, the audit commits — for an ADMIN token or a client on the hub's own machine.
 *
 * The hub listens on every interface here, so that a client can also reach it from this
 * machine's outside address: such a client is not on loopback, as a colleague's machine would not
 * be. (Where the machine has no such address, a request relayed by a proxy stands for it: it
 * carries X-Forwarded-For, and a proxied client is not a loopback client either.)
 */
import os from 'node:os';
import type { Database } from '../../src/db/database';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';
import { seedPeople } from '../auth/seededPeople';

const LOOK_UP = 'query LookUp($id: String!) { person(idNumber: $id) { name } }';

let db: Database & { drop(): Promise<void> };
let hub: TestHub;
let people: Array<{ id: string; idNumber: string }>;
let adminToken: string;
/** the hub as reached from outside loopback, and what such a request must carry to be seen as one */
let remote: { url: string; headers: Record<string, string> };

function outsideAddress(): string | null {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

beforeAll(async () => {
  db = await openTestDatabase();
  people = await seedPeople(db.pool, 10);
  const host = process.env.WEIJIU_HOST;
  process.env.WEIJIU_HOST = '0.0.0.0';
  try {
    hub = await startTestHub(db);
  } finally {
    if (host === undefined) delete process.env.WEIJIU_HOST;
    else process.env.WEIJIU_HOST = host;
  }
  adminToken = await hub.tokenFor({ role: 'ADMIN', label: 'operators' });
  const port = new URL(hub.directUrl).port;
  const outside = outsideAddress();
  remote = outside
    ? { url: `http://${outside}:${port}`, headers: {} }
    : { url: `http://127.0.0.1:${port}`, headers: { 'X-Forwarded-For': '203.0.113.7' } };
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await db?.drop();
});

async function scrape(base = `http://127.0.0.1:${new URL(hub.directUrl).port}`, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/**
 * A scrape once it shows what the test waits for: a request is counted when its answer has
 * left, which the client may see a moment before the hub has noted it.
 */
async function scrapeShowing(test: (text: string) => boolean): Promise<{ status: number; type: string | null; text: string }> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const r = await scrape();
    if (test(r.text) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The value of one sample, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return 0;
}

/** The sum of a metric's samples over all its labels. */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('GraphQL requests', () => {
  it('counts and times each operation by the role that asked, its answer included', async () => {
    const labels = { operation: 'LookUp', role: 'OFFICE' };
    const before = (await scrape()).text;
    for (const p of people.slice(0, 3)) expect((await hub.graphql(LOOK_UP, { id: p.idNumber })).data.person.name).toEqual(expect.any(String));
    const count = (t: string) => sample(t, 'weijiu_graphql_request_duration_seconds_count', labels);
    const { status, type, text } = await scrapeShowing((t) => count(t) - count(before) >= 3);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'weijiu_graphql_request_duration_seconds_count', labels) - sample(before, 'weijiu_graphql_request_duration_seconds_count', labels)).toBe(3);
    expect(sample(text, 'weijiu_graphql_requests_total', labels) - sample(before, 'weijiu_graphql_requests_total', labels)).toBe(3);
    // every lookup took some time, and less than 10 s
    expect(sample(text, 'weijiu_graphql_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    expect(sample(text, 'weijiu_graphql_request_duration_seconds_bucket', { ...labels, le: '10' })).toBe(sample(text, 'weijiu_graphql_request_duration_seconds_count', labels));
  });

  it('counts errors by code, also of requests refused before GraphQL ran', async () => {
    const before = (await scrape()).text;
    expect((await hub.graphqlAs(null, LOOK_UP, { id: people[0]!.idNumber })).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await hub.graphql(LOOK_UP, { id: '123' })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const errors = (t: string) => total(t, 'weijiu_graphql_errors_total');
    const text = (await scrapeShowing((t) => errors(t) - errors(before) >= 2)).text;
    const delta = (labels: Record<string, string>) => sample(text, 'weijiu_graphql_errors_total', labels) - sample(before, 'weijiu_graphql_errors_total', labels);
    expect(delta({ operation: '(none)', role: 'NONE', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta({ operation: 'LookUp', role: 'OFFICE', code: 'BAD_USER_INPUT' })).toBe(1);
  });

  it('shows the audit rows and the commits that held them, and the pools', async () => {
    await Promise.all(people.map((p) => hub.graphql(LOOK_UP, { id: p.idNumber })));
    const text = (await scrape()).text;
    const rows = sample(text, 'weijiu_audit_rows_total');
    expect(rows).toBeGreaterThanOrEqual(people.length);
    expect(sample(text, 'weijiu_audit_commits_total')).toBeGreaterThan(0);
    expect(sample(text, 'weijiu_audit_commits_total')).toBeLessThanOrEqual(rows);
    expect(text).toMatch(/^weijiu_db_pool_connections\{pool="api",state="idle"\} \d+$/m);
    expect(text).toMatch(/^weijiu_db_pool_waiting\{pool="main"\} 0$/m);
  });
});

describe('runs', () => {
  it('shows sync runs and their records by connector and outcome, and rule runs, as the run tables hold them', async () => {
    await db.pool.query(
      `insert into sync_run (connector, status, started_at, finished_at, read, inserted, updated, quarantined) values
         ('health', 'SUCCEEDED', now() - interval '70 seconds', now() - interval '60 seconds', 120, 100, 15, 5),
         ('health', 'SUCCEEDED', now() - interval '20 seconds', now() - interval '10 seconds', 30, 0, 30, 0),
         ('health', 'FAILED', now() - interval '5 seconds', now(), 7, 0, 0, 0)`,
    );
    await db.pool.query(`insert into rule_run (as_of, status, started_at, finished_at) values ('2026-10-31', 'SUCCEEDED', now() - interval '4 seconds', now())`);
    const text = (await scrape()).text;
    expect(sample(text, 'weijiu_sync_runs', { connector: 'health', status: 'SUCCEEDED' })).toBe(2);
    expect(sample(text, 'weijiu_sync_runs', { connector: 'health', status: 'FAILED' })).toBe(1);
    expect(sample(text, 'weijiu_sync_records', { connector: 'health', outcome: 'read' })).toBe(157);
    expect(sample(text, 'weijiu_sync_records', { connector: 'health', outcome: 'quarantined' })).toBe(5);
    expect(Date.now() / 1000 - sample(text, 'weijiu_sync_last_success_timestamp_seconds', { connector: 'health' })).toBeGreaterThan(5);
    expect(sample(text, 'weijiu_rule_runs', { status: 'SUCCEEDED' })).toBe(1);
    expect(sample(text, 'weijiu_rule_run_last_seconds')).toBeCloseTo(4, 1);
    expect(sample(text, 'weijiu_metrics_database_up')).toBe(1);
  });
});

describe('who may read it', () => {
  it('serves a client on the hub’s own machine without a token', async () => {
    const r = await scrape();
    expect(r.status).toBe(200);
    expect(r.text).toContain('# TYPE weijiu_graphql_request_duration_seconds histogram');
  });

  it('refuses a client from elsewhere without a token, or with a token of another role, with 403', async () => {
    const office = await hub.tokenFor({ role: 'OFFICE', label: 'office' });
    const tries: Array<Record<string, string>> = [{}, { authorization: `Bearer ${office}` }, { authorization: 'Bearer not-a-token' }];
    for (const auth of tries) {
      const r = await scrape(remote.url, { ...remote.headers, ...auth });
      expect(r.status).toBe(403);
      expect(r.text).not.toContain('weijiu_');
      expect(JSON.parse(r.text).errors[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('serves a client from elsewhere that sends an ADMIN token', async () => {
    const r = await scrape(remote.url, { ...remote.headers, authorization: `Bearer ${adminToken}` });
    expect(r.status).toBe(200);
    expect(r.text).toContain('weijiu_graphql_requests_total');
  });

  it('counts a client relayed by a proxy on this machine as the proxy’s client, not as loopback', async () => {
    const r = await scrape(undefined, { 'X-Forwarded-For': '203.0.113.7' });
    expect(r.status).toBe(403);
    const admin = await scrape(undefined, { 'X-Forwarded-For': '203.0.113.7', authorization: `Bearer ${adminToken}` });
    expect(admin.status).toBe(200);
  });
});
