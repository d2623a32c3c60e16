/**
 * exchange.md: events are written in the transaction of the batch that causes them, so a hub
 * killed (SIGKILL) in the middle of a batch leaves no event of it; the run after it writes them.
 * A real `weijiu sync` process is held inside its first batch — after its events, before its
 * commit — by a lock the test takes on the bookmark table, and killed there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { connectors as catalogue } from '../../connectors';
import { runConnector } from '../../src/ingest/syncRunner';
import { startDemoRegistries, type DemoRegistries } from '../../src/simulator/demo';
import { openTestDatabase } from '../support/hubDatabase';
import type { HubWorkspace } from '../support/acceptance/hubWorkspace';
import { killLeftovers, startWeijiu } from '../support/acceptance/weijiuCli';

jest.setTimeout(180_000);

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
let db: Db;
let demo: DemoRegistries;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase();
  demo = await startDemoRegistries({ seed: 11, households: 300, assistedShare: 0.3 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-exchange-'));
  const config = { connectors: { 'civil-affairs': { source: demo.civilAffairs.url, parallelBatches: 1 } } };
  fs.writeFileSync(path.join(dir, 'weijiu.config.json'), JSON.stringify(config));
});

afterAll(async () => {
  await killLeftovers();
  await demo?.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = async () => (await db.pool.query<{ n: number }>(`select count(*)::int as n from change_event`)).rows[0].n;

test('a SIGKILL inside a batch leaves no event of it; the next run writes them once', async () => {
  const first = await runConnector(db, catalogue['civil-affairs'], { source: demo.civilAffairs.url, parallelBatches: 1 }, { asOf: demo.asOf });
  expect(first.status).toBe('SUCCEEDED');
  expect(await count()).toBe(0);
  await demo.advance({ share: 0.2 });

  const holder = new Client({ connectionString: db.url });
  await holder.connect();
  await holder.query('begin');
  await holder.query('lock table connector_bookmark in exclusive mode');
  const workspace = { dir, env: (url: string) => ({ ...process.env, DATABASE_URL: url, WEIJIU_CONFIG: path.join(dir, 'weijiu.config.json') }) };
  const cli = startWeijiu(['sync', 'civil-affairs'], workspace as unknown as HubWorkspace, db.url);
  // the sync's first batch waits on the lock: its events are written, its commit is not
  let waiting: { pid: number } | undefined;
  for (let i = 0; i < 400 && !waiting; i++) {
    await new Promise((r) => setTimeout(r, 100));
    // pg_stat_activity is read once per transaction unless its snapshot is cleared
    await holder.query('select pg_stat_clear_snapshot()');
    waiting = (await holder.query(
      `select a.pid from pg_stat_activity a where a.datname = current_database() and a.wait_event_type = 'Lock' and a.pid <> pg_backend_pid()`,
    )).rows[0];
  }
  if (!waiting) {
    const all = (await holder.query(`select pid, state, wait_event_type, wait_event, left(query, 120) as q from pg_stat_activity where datname = current_database()`)).rows;
    throw new Error(`the sync never waited on the lock (exit ${cli.child.exitCode}):\n${cli.stdout()}\n${cli.stderr()}\n${JSON.stringify(all, null, 1)}`);
  }
  const wroteEvents = await holder.query(
    `select 1 from pg_locks l join pg_class c on c.oid = l.relation where l.pid = $1 and c.relname = 'change_event' and l.mode = 'RowExclusiveLock'`,
    [waiting!.pid],
  );
  expect(wroteEvents.rowCount).toBe(1);
  cli.kill('SIGKILL');
  await cli.exited;
  await holder.query('rollback');
  // the killed connection's transaction is rolled back by PostgreSQL once it notices
  for (let i = 0; i < 100; i++) {
    await holder.query('select pg_stat_clear_snapshot()');
    const alive = await holder.query(`select 1 from pg_stat_activity where pid = $1`, [waiting!.pid]);
    if (!alive.rowCount) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await holder.end();
  expect(await count()).toBe(0);

  const again = await runConnector(db, catalogue['civil-affairs'], { source: demo.civilAffairs.url, parallelBatches: 1 }, { asOf: demo.asOf });
  expect(again.status).toBe('SUCCEEDED');
  const { rows } = await db.pool.query<{ n: number; distinct: number }>(
    `select count(*)::int as n, count(distinct (kind, person_id, category, programme, effective_on))::int as distinct from change_event`,
  );
  expect(rows[0].n).toBeGreaterThan(0);
  expect(rows[0].distinct).toBe(rows[0].n);
});
