/**
 * exchange.md webhooks: a receiver that fails, answers slowly, or goes away while the deliverer
 * restarts still receives every event once or more, in cursor order, with a valid signature.
 * Real PostgreSQL and HTTP; the deliverer's clock is a test clock, so back-off takes no real time.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openTestDatabase } from '../support/hubDatabase';
import { EVENT_TXID } from '../../src/db/changeLog';
import { readChanges } from '../../src/auth/changeScope';
import { startWebhookDeliverer, type DelivererClock } from '../../src/server/webhookDeliverer';
import { createLogger } from '../../src/logging/logger';

jest.setTimeout(180_000);

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
let db: Db;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** A clock whose time moves only when told: back-off waits are skipped by moving it on. */
function testClock(): DelivererClock & { advance(ms: number): void } {
  let t = Date.parse('2026-12-06T00:00:00Z');
  return { now: () => t, sleep: async () => undefined, advance: (ms) => (t += ms) };
}

async function writeEvents(n: number, tag: string, wait = true): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into change_event (txid, kind, effective_on, programme) select ${EVENT_TXID}, 'BENEFIT_STARTED', '2026-12-06', $2 || g from generate_series(1, $1) g`,
      [n, tag],
    );
    await client.query('commit');
  } finally {
    client.release();
  }
  if (wait) await readable();
}

/**
 * Events become readable once every older transaction of the server has ended — other tests'
 * too, since transaction ids are the server's: wait for that before asking the deliverer.
 */
async function readable(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await db.pool.query<{ hidden: number }>(
      `select count(*)::int as hidden from change_event where txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint`,
    );
    if (rows[0].hidden === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('events still unreadable after a minute');
}

test('every event arrives at least once, in cursor order, signed, through failures, a slow answer and a restart', async () => {
  const secret = crypto.randomBytes(16).toString('hex');
  const received: Array<{ programme: string; cursor: string }> = [];
  let answers: Array<'fail' | 'slow' | 'ok'> = ['fail', 'fail', 'slow'];
  let badSignatures = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const expected = `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
      if (req.headers['x-weijiu-signature'] !== expected) badSignatures++;
      const how = answers.shift() ?? 'ok';
      if (how === 'fail') return res.writeHead(503).end();
      // the events reach the receiver, but its answer comes after the deliverer gave up: sent again
      for (const e of JSON.parse(body).events) received.push({ programme: e.programme, cursor: e.cursor });
      if (how === 'slow') return setTimeout(() => res.writeHead(200).end(), 400);
      res.writeHead(200).end();
    });
  };
  let server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/hook`;
  await db.pool.query(
    `insert into webhook_subscription (role, region_prefix, label, url, secret, delivered_txid, delivered_id) values ('OFFICE', '3710', 'test', $1, $2, 0, 0)`,
    [url, secret],
  );
  const log = createLogger({ level: 'silent' });
  const clock = testClock();
  let deliverer = startWebhookDeliverer(db.pool, '3710', log, { clock, loop: false, timeoutMs: 200 });
  await writeEvents(3, 'a');
  for (let i = 0; i < 4; i++) {
    await deliverer.tick();
    clock.advance(10 * 60 * 1000);
  }
  const failed = await db.pool.query(`select last_error from webhook_subscription`);
  expect(failed.rows[0].last_error).toBeNull();
  // the hub restarts: a new deliverer resumes from the delivered cursor kept in the database
  await deliverer.stop();
  await writeEvents(2, 'b');
  answers = ['fail'];
  deliverer = startWebhookDeliverer(db.pool, '3710', log, { clock, loop: false, timeoutMs: 200 });
  await deliverer.tick();
  expect((await db.pool.query(`select last_error, failures from webhook_subscription`)).rows[0]).toEqual({ last_error: 'HTTP 503', failures: 1 });
  // not due yet: the back-off holds it
  await deliverer.tick();
  clock.advance(1000);
  await deliverer.tick();
  // the receiver goes away while the hub restarts, and comes back
  await deliverer.stop();
  await new Promise<void>((r) => server.close(() => r()));
  await writeEvents(2, 'c');
  deliverer = startWebhookDeliverer(db.pool, '3710', log, { clock, loop: false, timeoutMs: 200 });
  await deliverer.tick();
  expect((await db.pool.query(`select last_error from webhook_subscription`)).rows[0].last_error).toMatch(/^unreachable/);
  await deliverer.stop();
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  deliverer = startWebhookDeliverer(db.pool, '3710', log, { clock, loop: false, timeoutMs: 200 });
  clock.advance(2000);
  await deliverer.tick();
  await deliverer.stop();
  await new Promise<void>((r) => server.close(() => r()));

  expect(badSignatures).toBe(0);
  const distinct = [...new Set(received.map((r) => r.programme))];
  expect(distinct).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1', 'c2']);
  // in cursor order: never an earlier event after a later one, except a batch sent again whole
  const order = received.map((r) => distinct.indexOf(r.programme));
  for (let i = 1; i < order.length; i++) if (order[i] < order[i - 1]) expect(order[i]).toBe(0);
});

test('a reader never passes an event whose transaction commits late', async () => {
  const early = await db.pool.connect();
  await early.query('begin');
  await early.query(`insert into change_event (txid, kind, programme) values (${EVENT_TXID}, 'BENEFIT_ENDED', 'late')`);
  await writeEvents(1, 'after-late', false);
  const office = { role: 'OFFICE' as const, regionPrefix: '3710', department: null, label: 'o', tokenId: null };
  const before = await readChanges(db.pool, office, '3710', { after: null, kinds: ['BENEFIT_ENDED', 'BENEFIT_STARTED'], first: 1000 });
  expect(before.rows.map((r) => r.programme)).not.toContain('after-late1');
  await early.query('commit');
  early.release();
  // readable once every older transaction of the server has ended (other tests' included): poll
  let names: Array<string | null> = [];
  for (let i = 0; i < 600 && !names.includes('after-late1'); i++) {
    if (i) await new Promise((r) => setTimeout(r, 100));
    names = (await readChanges(db.pool, office, '3710', { after: null, kinds: ['BENEFIT_ENDED', 'BENEFIT_STARTED'], first: 1000 })).rows.map((r) => r.programme);
  }
  expect(names).toContain('late');
  expect(names.indexOf('late')).toBeLessThan(names.indexOf('after-late1'));
});

test('two hub processes’ deliverers never post one subscription’s events at the same time', async () => {
  await db.pool.query(`update webhook_subscription set deleted_at = now()`);
  let inFlight = 0;
  let most = 0;
  const got: string[] = [];
  const server = http.createServer((req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () =>
      setTimeout(() => {
        for (const e of JSON.parse(body).events) got.push(e.programme);
        inFlight--;
        res.writeHead(200).end();
      }, 300),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const end = (await db.pool.query(`select max(txid)::text as t, max(id)::text as i from change_event`)).rows[0];
  await db.pool.query(
    `insert into webhook_subscription (role, region_prefix, label, url, secret, delivered_txid, delivered_id) values ('OFFICE', '3710', 'two', $1, 'k', $2, $3)`,
    [`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, end.t, end.i],
  );
  await writeEvents(3, 'd');
  const log = createLogger({ level: 'silent' });
  const one = startWebhookDeliverer(db.pool, '3710', log, { clock: testClock(), loop: false });
  const two = startWebhookDeliverer(db.pool, '3710', log, { clock: testClock(), loop: false });
  for (let i = 0; i < 20 && got.length < 3; i++) await Promise.all([one.tick(), two.tick()]);
  await Promise.all([one.stop(), two.stop()]);
  await new Promise<void>((r) => server.close(() => r()));
  expect(most).toBe(1);
  expect(got).toEqual(['d1', 'd2', 'd3']);
});
