/**
 * Two hub processes on one database (two hubs, each with its own pool and its own copy of the
 * token table): a token is checked without a query, and `weijiu token rotate-key` or a revocation
 * reaches both within seconds, without a restart — also after a hub lost its listening connection.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase, type Database } from '../../src/db/database';
import { statementCount } from '../../src/db/statementCounter';
import { signToken } from '../../src/auth/tokenFormat';
import { revokeToken, signingSecret } from '../../src/auth/tokenStore';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', 'bin', 'weijiu');
const VIEWER = '{ viewer { role regionCode tokenId } }';
/** what "within seconds" means here: well under the 30 s full reload */
const PROPAGATION_MS = 5_000;

let db: Database & { drop(): Promise<void> };
let dbB: Database;
let hubA: TestHub;
let hubB: TestHub;

beforeAll(async () => {
  db = await openTestDatabase();
  dbB = await openDatabase(db.url, { poolSize: 2 });
  hubA = await startTestHub(db);
  hubB = await startTestHub(dbB);
});

afterAll(async () => {
  await hubB?.close();
  await hubA?.close();
  await dbB?.close();
  await db?.drop();
});

function weijiu(args: string[]) {
  return run(process.execPath, [BIN, ...args], {
    cwd: os.tmpdir(),
    env: { ...process.env, DATABASE_URL: db.url, WEIJIU_CONFIG: '', WEIJIU_LOG_LEVEL: 'warn' },
  });
}

async function ask(hub: TestHub, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${hub.directUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: VIEWER }),
  });
  return { status: res.status, body: await res.json() };
}

/** Asks until the hub refuses the token (or the time is up); the last answer and how long it took. */
async function untilRefused(hub: TestHub, token: string): Promise<{ status: number; body: any; ms: number }> {
  const start = Date.now();
  for (;;) {
    const answer = await ask(hub, token);
    if (answer.status !== 200 || Date.now() - start > PROPAGATION_MS) return { ...answer, ms: Date.now() - start };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function createToken(args: string[]): Promise<{ token: string; id: string }> {
  const created = await weijiu(['token', 'create', ...args]);
  return { token: created.stdout.trim(), id: /token (\d+):/.exec(created.stderr)![1]! };
}

describe('a hub process', () => {
  it('checks a token it knows without a single SQL statement', async () => {
    await ask(hubA, hubA.officeToken);
    const counts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = statementCount();
      const answer = await ask(hubA, hubA.officeToken);
      expect(answer.body.data.viewer.role).toBe('OFFICE');
      counts.push(statementCount() - before);
    }
    // `viewer` reads nothing else: each count is the token check's. A background reload of the
    // token table (a notification, the 30 s net) may land inside one of the ten.
    expect(counts.filter((n) => n > 0).length).toBeLessThanOrEqual(1);
  });
});

describe('weijiu token rotate-key', () => {
  it('makes every hub process refuse every earlier token within seconds, and new tokens work at once', async () => {
    const town = await createToken(['--role', 'TOWN', '--region', '371082', '--label', 'Rongcheng staff']);
    for (const hub of [hubA, hubB]) {
      expect((await ask(hub, town.token)).body.data.viewer).toEqual({ role: 'TOWN', regionCode: '371082', tokenId: town.id });
      expect((await ask(hub, hubA.officeToken)).status).toBe(200);
    }

    const rotated = await weijiu(['token', 'rotate-key']);
    expect(rotated.stdout).toBe('');
    expect(rotated.stderr).toMatch(/^signing key 2 made, key 1 retired: every token issued before is refused from now on, by every hub process within seconds\.$/m);
    // it names the tokens to issue again, and how
    expect(rotated.stderr).toMatch(/must be issued again \(weijiu token create/);
    expect(rotated.stderr).toMatch(new RegExp(`^\\s*${town.id}\\s+TOWN\\s+371082\\s+.*Rongcheng staff$`, 'm'));

    for (const hub of [hubA, hubB]) {
      for (const token of [town.token, hubA.officeToken, hubB.officeToken]) {
        const refused = await untilRefused(hub, token);
        expect(refused.status).toBe(401);
        expect(refused.ms).toBeLessThan(PROPAGATION_MS);
        expect(refused.body.errors[0]).toMatchObject({
          message: expect.stringContaining('signed by a retired key: ask the office for a new one'),
          extensions: { code: 'UNAUTHENTICATED' },
        });
      }
    }

    const fresh = await createToken(['--role', 'TOWN', '--region', '371082', '--label', 'Rongcheng staff, again']);
    for (const hub of [hubA, hubB]) {
      expect((await ask(hub, fresh.token)).body.data.viewer).toEqual({ role: 'TOWN', regionCode: '371082', tokenId: fresh.id });
    }
    const listed = (await weijiu(['token', 'list'])).stdout;
    expect(listed).toMatch(new RegExp(`^\\s*${town.id}\\s+TOWN\\s+371082\\s+key retired\\s+Rongcheng staff$`, 'm'));
    expect(listed).toMatch(new RegExp(`^\\s*${fresh.id}\\s+TOWN\\s+371082\\s+valid until \\d{4}-\\d{2}-\\d{2}\\s+Rongcheng staff, again$`, 'm'));

    // whoever copies the new key still cannot mint a role or a region nobody was given
    const claims = JSON.parse(Buffer.from(fresh.token.split('.')[1]!, 'base64url').toString());
    const promoted = signToken({ ...claims, role: 'OFFICE', region: '3710' }, await signingSecret(db.pool));
    for (const hub of [hubA, hubB]) {
      const refused = await ask(hub, promoted);
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].message).toMatch(/not valid for this hub/);
    }
  }, 120_000);
});

describe('a revocation', () => {
  it('reaches every hub process within seconds, without a restart, also after a hub lost its listening connection', async () => {
    const analyst = await createToken(['--role', 'ANALYST']);
    for (const hub of [hubA, hubB]) expect((await ask(hub, analyst.token)).status).toBe(200);
    expect((await weijiu(['token', 'revoke', analyst.id])).stderr).toBe(`token ${analyst.id} revoked\n`);
    for (const hub of [hubA, hubB]) {
      const refused = await untilRefused(hub, analyst.token);
      expect(refused.status).toBe(401);
      expect(refused.ms).toBeLessThan(PROPAGATION_MS);
      expect(refused.body.errors[0]).toMatchObject({ message: expect.stringMatching(/revoked/), extensions: { code: 'UNAUTHENTICATED' } });
    }

    // each hub listens on a connection of its own; cut both
    const listeners = `select pid from pg_stat_activity where datname = current_database() and application_name = 'weijiu token registry'`;
    const cut = await db.pool.query(`select pg_terminate_backend(pid) from (${listeners}) l`);
    expect(cut.rowCount).toBe(2);
    // both listen again within seconds, and hear the next change
    const start = Date.now();
    while ((await db.pool.query(listeners)).rowCount! < 2 && Date.now() - start < PROPAGATION_MS) await new Promise((r) => setTimeout(r, 50));
    expect((await db.pool.query(listeners)).rowCount).toBe(2);
    const other = await createToken(['--role', 'ANALYST']);
    for (const hub of [hubA, hubB]) expect((await ask(hub, other.token)).status).toBe(200);
    await revokeToken(db.pool, other.id);
    for (const hub of [hubA, hubB]) {
      const refused = await untilRefused(hub, other.token);
      expect(refused.status).toBe(401);
      expect(refused.ms).toBeLessThan(PROPAGATION_MS);
      expect(refused.body.errors[0].message).toMatch(/revoked/);
    }
  }, 60_000);
});
