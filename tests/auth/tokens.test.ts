/**
 * Bearer tokens: what `weijiu token create` prints, what the hub accepts, and that an expired,
 * revoked, tampered or foreign token — or none — gets UNAUTHENTICATED, while /healthz and the
 * GraphiQL page still answer. The transport protections hold with a valid token too.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connectors } from '../../connectors';
import type { Database } from '../../src/db/database';
import { signToken, type TokenClaims } from '../../src/auth/tokenFormat';
import { issueToken, revokeToken, signingSecret, TokenRequestError } from '../../src/auth/tokenStore';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', 'bin', 'weijiu');
const DEPARTMENTS = Object.keys(connectors);
const VIEWER = '{ viewer { role regionCode department label tokenId } }';

let db: Database & { drop(): Promise<void> };
let hub: TestHub;

beforeAll(async () => {
  db = await openTestDatabase();
  hub = await startTestHub(db);
});

afterAll(async () => {
  await hub?.close();
  await db?.drop();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${hub.directUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * The answer once the hub refuses the token: a change to the token table reaches the hub's copy
 * of it (tokenRegistry.ts) through a notification, a few milliseconds after the change commits.
 */
async function onceRefused(token: string, withinMs = 5_000): Promise<Response> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await post({ query: VIEWER }, bearer(token));
    if (res.status !== 200 || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function weijiu(args: string[]) {
  return run(process.execPath, [BIN, ...args], {
    cwd: os.tmpdir(),
    env: { ...process.env, DATABASE_URL: db.url, WEIJIU_CONFIG: '', WEIJIU_LOG_LEVEL: 'warn' },
  });
}

describe('without a valid token', () => {
  it('GraphQL answers 401 UNAUTHENTICATED, saying how to get a token', async () => {
    const res = await post({ query: '{ regions { code } }' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="weijiu"');
    const body = await res.json();
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: expect.stringContaining('weijiu token create'), extensions: { code: 'UNAUTHENTICATED' } }]);
  });

  it('only /healthz and the GraphiQL page answer', async () => {
    expect((await fetch(`${hub.directUrl}/healthz`)).status).toBe(200);
    const page = await fetch(`${hub.directUrl}/graphiql`, { headers: { 'accept-encoding': 'identity' } });
    expect(page.status).toBe(200);
    // the page opens with the header the token goes in
    expect(await page.text()).toContain('Bearer PASTE-A-TOKEN-FROM-weijiu-token-create');
    const get = await fetch(`${hub.directUrl}/graphql?query=${encodeURIComponent('{ regions { code } }')}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(get.status).toBe(401);
  });

  it.each([
    ['a scheme other than Bearer', `Basic ${Buffer.from('office:secret').toString('base64')}`, /bearer token is required/],
    ['garbage', 'Bearer not-a-token', /not a Weijiu Hub token/],
    ['an oversized header', `Bearer ${'a'.repeat(5000)}`, /not a Weijiu Hub token/],
  ])('refuses %s', async (_, authorization, message) => {
    const res = await post({ query: VIEWER }, { authorization });
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const town = await hub.tokenFor({ role: 'TOWN', region: '371082' });
    const [header, payload, signature] = town.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'OFFICE', region: '3710' })).toString('base64url');
    const res = await post({ query: VIEWER }, bearer(`${header}.${promoted}.${signature}`));
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].message).toMatch(/not valid for this hub/);
  });

  it("refuses a token signed with another hub's key, and one naming no issued token", async () => {
    const claims: TokenClaims = { jti: '1', role: 'OFFICE', region: '3710', iat: 1, exp: Math.floor(Date.now() / 1000) + 3600 };
    const foreign = await post({ query: VIEWER }, bearer(signToken(claims, randomBytes(32))));
    expect(foreign.status).toBe(401);
    const forged = await post({ query: VIEWER }, bearer(signToken({ ...claims, jti: '999999' }, await signingSecret(db.pool))));
    expect(forged.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const issued = await issueToken(db.pool, '3710', DEPARTMENTS, { role: 'ANALYST', days: 1 });
    expect((await post({ query: VIEWER }, bearer(issued.token))).status).toBe(200);
    await db.pool.query(`update access_token set expires_at = now() - interval '1 second' where id = $1`, [issued.id]);
    const res = await onceRefused(issued.token);
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].message).toMatch(/expired/);
  });

  it('refuses a token within moments of its revocation', async () => {
    const issued = await issueToken(db.pool, '3710', DEPARTMENTS, { role: 'ADMIN' });
    expect((await post({ query: VIEWER }, bearer(issued.token))).status).toBe(200);
    expect(await revokeToken(db.pool, issued.id)).toBe('revoked');
    expect(await revokeToken(db.pool, issued.id)).toBe('already revoked');
    const res = await onceRefused(issued.token);
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].message).toMatch(/revoked/);
  });
});

describe('a token', () => {
  it('is a JWT (HS256) carrying its id, role, region, department and expiry', async () => {
    const issued = await issueToken(db.pool, '3710', DEPARTMENTS, { role: 'DEPARTMENT', department: 'education', region: '371082', label: '荣成 education app' });
    const [header, payload] = issued.token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ iss: 'weijiu', jti: issued.id, role: 'DEPARTMENT', region: '371082', department: 'education' });
    expect(payload.exp - payload.iat).toBe(90 * 24 * 3600);
    const r = await hub.graphqlAs(issued.token, VIEWER);
    // a department app runs registered documents only, so the office registers this one first
    expect(r.errors[0].extensions.code).toBe('FORBIDDEN');
    await hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d: VIEWER });
    const again = await hub.graphqlAs(issued.token, VIEWER);
    expect(again.data.viewer).toEqual({ role: 'DEPARTMENT', regionCode: '371082', department: 'education', label: '荣成 education app', tokenId: issued.id });
  });

  it.each([
    [{ role: 'MAYOR' }, /--role must be one of/],
    [{ role: 'TOWN' }, /needs --region/],
    [{ role: 'TOWN', region: '999999' }, /not a county, town or village code/],
    [{ role: 'TOWN', region: '3710' }, /not a county, town or village code/],
    [{ role: 'OFFICE', region: '371082' }, /sees the whole city/],
    [{ role: 'DEPARTMENT' }, /needs --department/],
    [{ role: 'DEPARTMENT', department: 'police' }, /--department must be one of/],
    [{ role: 'ANALYST', department: 'health' }, /for DEPARTMENT tokens only/],
    [{ role: 'OFFICE', days: 0 }, /--days must be/],
    [{ role: 'OFFICE', days: 5000 }, /--days must be/],
  ])('is not issued for %j', async (request, message) => {
    const before = await db.pool.query(`select count(*)::int as n from access_token`);
    await expect(issueToken(db.pool, '3710', DEPARTMENTS, request)).rejects.toThrow(TokenRequestError);
    await expect(issueToken(db.pool, '3710', DEPARTMENTS, request)).rejects.toThrow(message);
    expect((await db.pool.query(`select count(*)::int as n from access_token`)).rows).toEqual(before.rows);
  });
});

describe('weijiu token', () => {
  it('creates a token on stdout, lists it, and revokes it', async () => {
    const created = await weijiu(['token', 'create', '--role', 'TOWN', '--region', '371082', '--label', 'Rongcheng staff', '--days', '7']);
    const token = created.stdout.trim();
    expect(created.stdout).toBe(`${token}\n`);
    expect(created.stderr).toMatch(/token (\d+): TOWN, region 371082, "Rongcheng staff", expires \d{4}-\d{2}-\d{2}; revoke with: weijiu token revoke \1/);
    const id = /token (\d+):/.exec(created.stderr)![1]!;

    const seen = await hub.graphqlAs(token, VIEWER);
    expect(seen.data.viewer).toEqual({ role: 'TOWN', regionCode: '371082', department: null, label: 'Rongcheng staff', tokenId: id });
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(7 * 24 * 3600);

    const listed = await weijiu(['token', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^\\s*${id}\\s+TOWN\\s+371082\\s+valid until \\d{4}-\\d{2}-\\d{2}\\s+Rongcheng staff$`, 'm'));
    expect(listed.stdout).not.toContain(token);

    const revoked = await weijiu(['token', 'revoke', id]);
    expect(revoked.stderr).toBe(`token ${id} revoked\n`);
    expect((await onceRefused(token)).status).toBe(401);
  }, 240_000);

  it('says what is wrong with a request and exits 2', async () => {
    await expect(weijiu(['token', 'create', '--role', 'TOWN'])).rejects.toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('needs --region') });
  }, 120_000);
});

describe('transport protections with a valid token', () => {
  it('keeps the security headers on every answer, refused or not', async () => {
    for (const res of [await post({ query: VIEWER }), await post({ query: VIEWER }, bearer(hub.officeToken))]) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('still needs a preflight-forcing header for GET (CSRF prevention)', async () => {
    const url = `${hub.directUrl}/graphql?query=${encodeURIComponent(VIEWER)}`;
    expect((await fetch(url, { headers: bearer(hub.officeToken) })).status).toBe(400);
    const ok = await fetch(url, { headers: { ...bearer(hub.officeToken), 'apollo-require-preflight': '1' } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data.viewer.role).toBe('OFFICE');
  });

  it('refuses a body over 1 MB with 413, and sends no stack traces', async () => {
    const big = await post({ query: `{ regions(parentCode: "${'1'.repeat(1_100_000)}") { code } }` }, bearer(hub.officeToken));
    expect(big.status).toBe(413);
    expect((await big.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await (await post({ query: '{ regions(parentCode: "99") { code } }' }, bearer(hub.officeToken))).json();
    expect(bad.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'parentCode' });
  });
});
