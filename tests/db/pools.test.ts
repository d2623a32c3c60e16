/**
 * One pool per process for SQL and MikroORM alike, and a small second one for API requests, each
 * named in pg_stat_activity so that operators can tell them apart: a hub started as `weijiu serve`
 * starts it, after it served reads through its API pool and writes through the EntityManager.
 */
import pg from 'pg';
import { connectors } from '../../connectors';
import { issueToken } from '../../src/auth/tokenStore';
import { loadConfig } from '../../src/config/config';
import { MAIN_POOL_SIZE } from '../../src/db/database';
import { startHub, type Hub } from '../../src/hub';
import { createLogger } from '../../src/logging/logger';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const API_POOL_SIZE = 3;

let copy: TestDatabase;
let hub: Hub;
let observer: pg.Client;
let token: string;

beforeAll(async () => {
  copy = await createTestDatabase();
  const base = loadConfig({ env: {}, overrides: { port: 0, databaseUrl: copy.url } });
  // the hub opens its database itself, as `weijiu serve` does
  hub = await startHub({ ...base, database: { ...base.database, poolSize: API_POOL_SIZE } }, createLogger({ level: 'silent' }), { schedules: false });
  token = (await issueToken(hub.database.db.pool, base.city, Object.keys(connectors), { role: 'OFFICE', label: 'pools test' })).token;
  observer = new pg.Client({ connectionString: copy.url, application_name: 'pools test observer' });
  await observer.connect();
}, 120_000);

afterAll(async () => {
  await observer?.end();
  await hub?.close();
  await copy?.drop();
});

async function graphql(query: string, variables?: object): Promise<any> {
  const res = await fetch(`${hub.server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

/** The hub's connections to its database, counted by the application name they carry. */
async function connectionsByName(): Promise<Record<string, number>> {
  const { rows } = await observer.query<{ name: string; n: number }>(
    `select application_name as name, count(*)::int as n from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid() group by 1 order by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

it('opens the main pool, the API pool and the token listener, and no pool of the ORM beside them', async () => {
  // reads in parallel through the API pool, and writes through the EntityManager
  const reads = await Promise.all(Array.from({ length: 8 }, () => graphql('{ regions(parentCode: "3710") { code } }')));
  for (const r of reads) expect(r.data.regions).toHaveLength(7);
  const set = await graphql('mutation { setParameter(name: "dangerous_house_days", regionCode: "3710", validFrom: "2031-01-01", value: "150") { value validFrom } }');
  expect(set).toEqual({ data: { setParameter: { value: '150', validFrom: '2031-01-01' } } });

  const seen = await connectionsByName();
  expect(Object.keys(seen).sort()).toEqual(expect.arrayContaining(['weijiu', 'weijiu-api', 'weijiu token registry']));
  expect(Object.keys(seen).filter((name) => !['weijiu', 'weijiu-api', 'weijiu token registry', 'weijiu webhook deliverer'].includes(name))).toEqual([]);
  expect(seen['weijiu webhook deliverer'] ?? 0).toBeLessThanOrEqual(1);
  expect(seen['weijiu']).toBeLessThanOrEqual(MAIN_POOL_SIZE);
  expect(seen['weijiu-api']).toBeLessThanOrEqual(API_POOL_SIZE);
  expect(seen['weijiu token registry']).toBe(1);
});

it("runs the ORM's statements on the main pool's connections: with all of them taken, the ORM waits for one", async () => {
  const em = hub.database.db.orm.em.fork();
  expect(await em.execute(`select current_setting('application_name') as name`)).toEqual([{ name: 'weijiu' }]);

  const pool = hub.database.db.pool;
  const held = await Promise.all(Array.from({ length: MAIN_POOL_SIZE }, () => pool.connect()));
  let answered = false;
  const ormRead = hub.database.db.orm.em
    .fork()
    .execute(`select count(*)::int as n from access_token`)
    .finally(() => (answered = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(answered).toBe(false);
  held.pop()!.release();
  expect(await ormRead).toEqual([{ n: 1 }]);
  for (const c of held) c.release();
});
