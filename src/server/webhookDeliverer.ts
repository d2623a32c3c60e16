import crypto from 'node:crypto';
import pg, { type Pool } from 'pg';
import { housekeeping, type HousekeepingReader } from '../db/statementCounter';
import { encodeChangeCursor, readChanges } from '../auth/changeScope';
import type { Viewer } from '../auth/viewer';
import { recordAuditEvents } from '../auth/auditTrail';
import type { Logger } from '../logging/logger';

/**
 * Webhooks of the change log (exchange.md): each subscription's events posted in cursor order,
 * at least once, signed `X-Weijiu-Signature: sha256=<HMAC-SHA256 of the body>`, retried with
 * back-off (1 s doubling to 10 min) until a 2xx, resuming from the delivered cursor kept in the
 * database after a restart. One deliverer per subscription across hub processes: a session
 * advisory lock on the deliverer's own connection while it posts (a lock, not a row lock held in
 * a transaction: that would hold back every reader's snapshot while a receiver answers slowly).
 * A subscription whose token is revoked or expired stops. The clock is injectable for tests.
 */
export interface DelivererClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** How the deliverer's connection is named in pg_stat_activity. */
export const DELIVERER_APPLICATION_NAME = 'weijiu webhook deliverer';

export const REAL_CLOCK: DelivererClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 10 * 60 * 1000;
const BATCH = 100;
const LOCK_CLASS = 0x5745; // 'WE': the advisory lock namespace of webhook deliveries

export function retryDelay(failures: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

export function signature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface Due {
  id: string;
  url: string;
  kinds: string[];
  secret: string;
  role: Viewer['role'];
  regionPrefix: string;
  department: string | null;
  label: string;
  deliveredTxid: string;
  deliveredId: string;
  failures: number;
}

export interface WebhookDeliverer {
  /** one pass over the subscriptions due now; resolves when it is done */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startWebhookDeliverer(
  pool: Pool,
  city: string,
  log: Logger,
  opts: { clock?: DelivererClock; pollMs?: number; timeoutMs?: number; loop?: boolean } = {},
): WebhookDeliverer {
  const clock = opts.clock ?? REAL_CLOCK;
  const pollMs = opts.pollMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let stopped = false;
  // its own connection, not one of the pool's: it holds session advisory locks, and a pool connection
  // kept for good would leave the pool one short for requests and the ORM
  let lockClient: pg.Client | null = null;
  let running: Promise<void> = Promise.resolve();

  // the deliverer's statements run on its own schedule, not for a request: counted apart
  const background = housekeeping(pool);
  const deliverOne = async (client: HousekeepingReader, s: Due): Promise<void> => {
    const viewer: Viewer = { role: s.role, regionPrefix: s.regionPrefix, department: s.department, label: s.label, tokenId: null };
    for (;;) {
      const page = await readChanges(background, viewer, city, { after: { txid: s.deliveredTxid, id: s.deliveredId }, kinds: s.kinds.length ? s.kinds : null, first: BATCH });
      if (!page.rows.length) return;
      const events = page.rows.map((e) => ({
        cursor: encodeChangeCursor(e), kind: e.kind, at: e.at.toISOString(), effectiveOn: e.effectiveOn, idNumber: e.idNumber,
        category: e.category, programme: e.programme, findingId: e.findingId, regionCode: e.regionCode,
      }));
      const body = JSON.stringify({ subscription: s.id, events });
      let error: string | null = null;
      try {
        const res = await fetch(s.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-weijiu-signature': signature(s.secret, body) },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
      } catch (e) {
        error = (e as Error)?.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : `unreachable: ${(e as Error)?.message ?? e}`.slice(0, 200);
      }
      if (error) {
        const failures = s.failures + 1;
        await client.query(`update webhook_subscription set failures = $2, last_error = $3, next_attempt_at = $4 where id = $1`, [
          s.id, failures, error, new Date(clock.now() + retryDelay(failures)),
        ]);
        return;
      }
      // a delivery tells its receiver about people: audited like a read of them, before the cursor moves on
      await recordAuditEvents(client, [{
        viewer, operationType: 'webhook', operation: `subscription ${s.id}`,
        querySha256: crypto.createHash('sha256').update(body).digest('hex'), purpose: 'change notices',
        personIds: [], householdIds: [], idNumbers: page.rows.flatMap((e) => (e.idNumber ? [e.idNumber] : [])),
      }]);
      const last = page.rows[page.rows.length - 1];
      await client.query(
        `update webhook_subscription set delivered_txid = $2, delivered_id = $3, failures = 0, last_error = null, next_attempt_at = null where id = $1`,
        [s.id, last.txid, last.id],
      );
      s.deliveredTxid = last.txid;
      s.deliveredId = last.id;
      s.failures = 0;
      if (!page.hasMore) return;
    }
  };

  const tick = async (): Promise<void> => {
    if (!lockClient) {
      const fresh = new pg.Client({ ...(pool as unknown as { options: pg.ClientConfig }).options, application_name: DELIVERER_APPLICATION_NAME });
      // a lost connection drops its locks with it: the next pass connects again
      fresh.on('error', () => {
        if (lockClient === fresh) lockClient = null;
        void fresh.end().catch(() => undefined);
      });
      await fresh.connect();
      lockClient = fresh;
    }
    const client = housekeeping(lockClient);
    const { rows } = await client.query<Due>(
      `select s.id::text, s.url, s.kinds, s.secret, s.role, s.region_prefix as "regionPrefix", s.department, s.label,
              s.delivered_txid::text as "deliveredTxid", s.delivered_id::text as "deliveredId", s.failures
         from webhook_subscription s left join access_token t on t.id = s.token_id
        where s.deleted_at is null and (s.next_attempt_at is null or s.next_attempt_at <= $1)
          and (s.token_id is null or (t.revoked_at is null and t.expires_at > now()))
        order by s.id`,
      [new Date(clock.now())],
    );
    for (const s of rows) {
      if (stopped) return;
      const got = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock($1, $2::int) as ok`, [LOCK_CLASS, Number(s.id) % 2 ** 31]);
      if (!got.rows[0].ok) continue;
      try {
        // re-read under the lock: another process may have delivered since the list was read
        const fresh = await client.query<{ deliveredTxid: string; deliveredId: string; failures: number }>(
          `select delivered_txid::text as "deliveredTxid", delivered_id::text as "deliveredId", failures from webhook_subscription where id = $1 and deleted_at is null`,
          [s.id],
        );
        if (!fresh.rows[0]) continue;
        await deliverOne(client, { ...s, ...fresh.rows[0] });
      } catch (e) {
        log.warn({ subscription: s.id, err: { message: String((e as Error)?.message ?? e) } }, 'webhook delivery failed');
      } finally {
        await client.query(`select pg_advisory_unlock($1, $2::int)`, [LOCK_CLASS, Number(s.id) % 2 ** 31]).catch(() => undefined);
      }
    }
  };

  if (opts.loop !== false) {
    running = (async () => {
      while (!stopped) {
        try {
          await tick();
        } catch (e) {
          log.warn({ err: { message: String((e as Error)?.message ?? e) } }, 'webhook deliverer pass failed');
        }
        if (!stopped) await clock.sleep(pollMs);
      }
    })();
  }

  return {
    tick,
    async stop() {
      stopped = true;
      await running.catch(() => undefined);
      await lockClient?.end().catch(() => undefined);
      lockClient = null;
    },
  };
}
