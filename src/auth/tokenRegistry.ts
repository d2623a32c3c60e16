/**
 * The hub process's copy of the signing keys and the token table, so that a request is checked
 * without a query: loaded once at start, then kept fresh by PostgreSQL LISTEN/NOTIFY on one
 * connection of its own (the tables' triggers announce every change on `weijiu_access`,
 * migration 0007). A revocation, a new token or a rotated key reaches every hub process on the
 * database within moments. A full reload every 30 s covers a lost notification; a lost connection
 * is made again, with a full reload, after a second or a few.
 *
 * A token is still checked against its row — role, region and department exactly as issued — so
 * a copied key cannot mint a role or a region nobody was given.
 */
import pg, { type Pool } from 'pg';
import type { Viewer } from './viewer';
import type { HubLogger } from '../logging/logger';
import { readTokenSignedBy } from './tokenFormat';
import { ensureSigningKey, readSigningKeys, tokenColumns, type RefusalReason, type SigningKey, type TokenRow } from './tokenStore';
import { housekeeping, type HousekeepingReader } from '../db/statementCounter';

export const ACCESS_CHANNEL = 'weijiu_access';
/** The listening connection's name in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'weijiu token registry';

export type TokenCheck = { ok: true; viewer: Viewer; expiresAt: Date } | { ok: false; reason: RefusalReason };

export interface TokenRegistryOptions {
  /** full reload period, the net under lost notifications; default 30 s */
  reloadMs?: number;
  /** first wait before connecting again; doubles up to 10 s */
  reconnectMs?: number;
}

/** A token signed by no known key makes the registry read the keys again, at most this often. */
const KEY_CATCH_UP_MS = 1_000;
/** Ids read and found missing are remembered (so a forged id costs one read), up to this many. */
const MAX_ABSENT = 10_000;
/** Longest a request waits for a read under way before it is checked against the copy as it is. */
const PENDING_READ_WAIT_MS = 1_000;
/** Retired keys tried on a token the current key did not sign: enough to name rotations, bounded. */
const RETIRED_KEYS_TRIED = 10;

export class TokenRegistry {
  private keys: SigningKey[] = [];
  private tokens = new Map<string, TokenRow>();
  private absent = new Set<string>();
  private pendingIds = new Set<string>();
  private flushQueued = false;
  /** Every read that changes the copy runs in this order, so an older read never overwrites a newer one. */
  private chain: Promise<void> = Promise.resolve();
  /** reads queued or under way */
  private reading = 0;
  private listener: pg.Client | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempts = 0;
  private keyCatchUp: Promise<void> | null = null;
  private lastKeyCatchUp = 0;
  private stopped = false;

  /** the registry reads on its own schedule, not for the request that happens to be running */
  private readonly reader: HousekeepingReader;

  private constructor(
    private readonly pool: Pool,
    private readonly log: HubLogger,
    private readonly options: Required<TokenRegistryOptions>,
  ) {
    this.reader = housekeeping(pool);
  }

  /** Listens, then loads (so no change between the two is missed); fails if the database cannot be reached. */
  static async start(pool: Pool, log: HubLogger, options: TokenRegistryOptions = {}): Promise<TokenRegistry> {
    const registry = new TokenRegistry(pool, log, { reloadMs: options.reloadMs ?? 30_000, reconnectMs: options.reconnectMs ?? 1_000 });
    await registry.listen();
    try {
      await ensureSigningKey(pool);
      await registry.enqueue(() => registry.reloadAll());
    } catch (e) {
      await registry.stop();
      throw e;
    }
    registry.reloadTimer = setInterval(() => void registry.enqueue(() => registry.reloadAll()).catch(() => undefined), registry.options.reloadMs);
    registry.reloadTimer.unref();
    return registry;
  }

  /** The viewer a bearer token stands for, or why it stands for nobody. No SQL for a token it knows. */
  async check(token: string, now = new Date()): Promise<TokenCheck> {
    // a change already announced is being read: a request that comes after it sees it (but a
    // database that does not answer holds no request longer than a moment)
    if (this.reading) await this.settled(PENDING_READ_WAIT_MS);
    const seconds = Math.floor(now.getTime() / 1000);
    let read = readTokenSignedBy(token, this.keysToTry(), seconds);
    // signed by a key this process has not heard of yet (a rotation a moment ago)?
    if (!read.ok && read.fault === 'BAD_SIGNATURE' && (await this.catchUpKeys())) read = readTokenSignedBy(token, this.keysToTry(), seconds);
    if (read.key?.retiredAt) return { ok: false, reason: 'RETIRED_KEY' };
    if (!read.ok) return { ok: false, reason: read.fault };
    const { claims, key } = read;
    const row = this.tokens.get(claims.jti) ?? (await this.readMissing(claims.jti));
    if (
      !row ||
      row.role !== claims.role ||
      row.regionCode !== claims.region ||
      (row.department ?? undefined) !== claims.department ||
      row.keyGeneration !== key.generation
    ) {
      return { ok: false, reason: 'UNKNOWN' };
    }
    if (row.revokedAt && row.revokedAt <= now) return { ok: false, reason: 'REVOKED' };
    if (row.expiresAt <= now) return { ok: false, reason: 'EXPIRED' };
    return {
      ok: true,
      expiresAt: row.expiresAt,
      viewer: { role: row.role, regionPrefix: row.regionCode, department: row.department, label: row.label, tokenId: row.id },
    };
  }

  /** Stops listening and reloading; waits for a read under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.chain;
  }

  private async settled(withinMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.chain, new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)))]);
    clearTimeout(timer);
  }

  private keysToTry(): SigningKey[] {
    return this.keys.slice(0, 1 + RETIRED_KEYS_TRIED);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.reading++;
    const run = this.chain.then(() => (this.stopped ? undefined : work())).finally(() => this.reading--);
    this.chain = run.catch((err) => {
      if (!this.stopped) this.log.error({ err: { type: err?.constructor?.name, message: String(err?.message ?? err) } }, 'token registry could not read the token table');
    });
    return run;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ ...this.pool.options, application_name: LISTENER_APPLICATION_NAME });
    client.on('notification', (message) => {
      if (message.channel === ACCESS_CHANNEL) this.heard(message.payload ?? '');
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${ACCESS_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private heard(payload: string): void {
    if (payload === 'key') {
      void this.enqueue(() => this.reloadKeys()).catch(() => undefined);
    } else if (payload === 'token:*') {
      void this.enqueue(() => this.reloadTokens()).catch(() => undefined);
    } else if (/^token:\d{1,18}$/.test(payload)) {
      const id = payload.slice('token:'.length);
      this.absent.delete(id);
      this.pendingIds.add(id);
      // the notifications of one statement arrive together: one read for all of them
      if (!this.flushQueued) {
        this.flushQueued = true;
        void this.enqueue(() => this.readPending()).catch(() => undefined);
      }
    }
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.listener !== client) return;
    this.listener = null;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.log.error({ err: err ? { type: err.constructor?.name, message: err.message } : undefined }, 'token registry lost its database connection; connecting again');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const wait = Math.min(this.options.reconnectMs * 2 ** this.reconnectAttempts, 10_000);
    this.reconnectAttempts++;
    this.reconnectTimer = setTimeout(() => void this.reconnect(), wait);
    this.reconnectTimer.unref();
  }

  private async reconnect(): Promise<void> {
    this.reconnectTimer = null;
    if (this.stopped) return;
    try {
      await this.listen();
      // whatever was announced while nobody listened
      await this.enqueue(() => this.reloadAll());
      this.reconnectAttempts = 0;
      this.log.info({}, 'token registry listening again');
    } catch {
      if (!this.stopped && !this.listener) this.scheduleReconnect();
    }
  }

  private async reloadAll(): Promise<void> {
    await this.reloadKeys();
    await this.reloadTokens();
  }

  private async reloadKeys(): Promise<void> {
    this.keys = await readSigningKeys(this.reader);
  }

  private async reloadTokens(): Promise<void> {
    const { rows } = await this.reader.query<TokenRow>(`select ${tokenColumns} from access_token`);
    this.tokens = new Map(rows.map((r) => [r.id, r]));
    this.absent.clear();
  }

  private async readPending(): Promise<void> {
    this.flushQueued = false;
    const ids = [...this.pendingIds];
    this.pendingIds.clear();
    if (ids.length) await this.readRows(ids);
  }

  private async readRows(ids: string[]): Promise<void> {
    const { rows } = await this.reader.query<TokenRow>(`select ${tokenColumns} from access_token where id = any($1::bigint[])`, [ids]);
    for (const id of ids) this.tokens.delete(id);
    for (const row of rows) this.tokens.set(row.id, row);
  }

  /**
   * A well-signed token whose row this process has not heard of: issued a moment ago, its
   * notification still on the way. One read; an id found missing is remembered until announced.
   */
  private async readMissing(id: string): Promise<TokenRow | undefined> {
    if (this.absent.has(id)) return undefined;
    await this.enqueue(() => this.readRows([id])).catch(() => undefined);
    const row = this.tokens.get(id);
    if (!row) {
      if (this.absent.size >= MAX_ABSENT) this.absent.clear();
      this.absent.add(id);
    }
    return row;
  }

  /** Reads the keys again, at most once a second whatever arrives; true if it did (or joined one under way). */
  private async catchUpKeys(): Promise<boolean> {
    if (!this.keyCatchUp) {
      if (Date.now() - this.lastKeyCatchUp < KEY_CATCH_UP_MS) return false;
      this.lastKeyCatchUp = Date.now();
      this.keyCatchUp = this.enqueue(() => this.reloadKeys())
        .catch(() => undefined)
        .finally(() => {
          this.keyCatchUp = null;
        });
    }
    await this.keyCatchUp;
    return true;
  }
}
