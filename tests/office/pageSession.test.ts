import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { revokeToken } from '../../src/auth/tokenStore';
import { launchChromium } from './pageBrowser';

/**
 * The office page's session, over HTTP as a browser sends it: a token posted once becomes an
 * HttpOnly, SameSite=Strict cookie holding a random id; the cookie authenticates /graphql and
 * /api/* only with the CSRF header on anything but a read; sign-out, 8 idle hours and the token's
 * revocation end it; only OFFICE and TOWN may sign in.
 */
let h: SampleAuthHub;
let base: string;

beforeAll(async () => {
  h = await startSampleAuthHub();
  base = h.hub.directUrl;
}, 120_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await h?.close();
});

async function signIn(token: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/office/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, 'sec-fetch-site': 'same-origin', ...headers },
    body: new URLSearchParams({ token }).toString(),
  });
  const setCookie = res.headers.get('set-cookie');
  return { status: res.status, setCookie, cookie: setCookie?.split(';')[0] ?? null, body: await res.text(), location: res.headers.get('location') };
}

async function graphqlWithCookie(cookie: string, query: string, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as any };
}

test('a token posted once: a 303 to the page and an HttpOnly, SameSite=Strict cookie holding a random id, not the token; the cookie then answers GraphQL as the token', async () => {
  const token = await h.hub.tokenFor({ role: 'OFFICE', label: '市办公室 李娜' });
  const s = await signIn(token);
  expect(s.status).toBe(303);
  expect(s.location).toBe('/office');
  expect(s.setCookie).toMatch(/^weijiu_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict$/);
  expect(s.setCookie).not.toContain(token);
  const answer = await graphqlWithCookie(s.cookie!, '{ viewer { role label } }');
  expect(answer.body).toEqual({ data: { viewer: { role: 'OFFICE', label: '市办公室 李娜' } } });
  // the page itself: its own strict CSP, the token nowhere in it
  const page = await fetch(`${base}/office`, { headers: { cookie: s.cookie! } });
  const html = await page.text();
  const csp = page.headers.get('content-security-policy')!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(html).toContain('市办公室 李娜');
  expect(html).not.toContain(token);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
});

test('a request with the cookie but without the CSRF header is refused (403) for GraphQL and uploads; a bearer token is not asked for one', async () => {
  const token = await h.hub.tokenFor({ role: 'OFFICE', label: 'csrf' });
  const { cookie } = await signIn(token);
  const forged = await graphqlWithCookie(cookie!, 'mutation { reviewFindings(input: { ids: ["1"], decision: CONFIRM }) { id } }', {});
  expect(forged.status).toBe(403);
  expect(forged.body.errors[0].extensions.code).toBe('FORBIDDEN');
  expect((await h.db.pool.query(`select count(*)::int as n from finding_decision where decided_by = 'csrf'`)).rows[0].n).toBe(0);
  const form = new FormData();
  form.append('file', new Blob(['身份证号\n']), 'a.csv');
  const upload = await fetch(`${base}/api/screenings`, { method: 'POST', headers: { cookie: cookie! }, body: form });
  expect(upload.status).toBe(403);
  expect((await h.hub.graphqlAs(token, '{ viewer { label } }')).data.viewer.label).toBe('csrf');
});

test('DEPARTMENT, ANALYST and ADMIN tokens are told the page is not for them, and get no cookie; a bad token is told why', async () => {
  for (const request of [{ role: 'DEPARTMENT' as const, department: 'health' }, { role: 'ANALYST' as const }, { role: 'ADMIN' as const }]) {
    const s = await signIn(await h.hub.tokenFor({ ...request, label: request.role }));
    expect(s.status).toBe(403);
    expect(s.setCookie).toBeNull();
    expect(s.body).toContain('此页面仅供领导小组办公室（OFFICE）和镇街（TOWN）使用');
  }
  const bad = await signIn('not-a-token');
  expect(bad.status).toBe(401);
  expect(bad.body).toContain('这不是威救数据中心的令牌');
  expect(bad.setCookie).toBeNull();
});

test('a sign-in form posted from another site is refused', async () => {
  const token = await h.hub.tokenFor({ role: 'OFFICE', label: 'elsewhere' });
  const s = await signIn(token, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
  expect(s.status).toBe(403);
  expect(s.setCookie).toBeNull();
});

test('sign-out ends the session: the same cookie is refused afterwards, and the page asks to sign in again', async () => {
  const { cookie } = await signIn(await h.hub.tokenFor({ role: 'TOWN', region: '371002001', label: '镇 赵强' }));
  expect((await graphqlWithCookie(cookie!, '{ viewer { regionCode } }')).body.data.viewer.regionCode).toBe('371002001');
  const out = await fetch(`${base}/office/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: cookie!, origin: base, 'sec-fetch-site': 'same-origin' } });
  expect(out.status).toBe(303);
  expect(out.headers.get('set-cookie')).toMatch(/^weijiu_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
  const after = await graphqlWithCookie(cookie!, '{ viewer { regionCode } }');
  expect(after.status).toBe(401);
  expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(await (await fetch(`${base}/office`, { headers: { cookie: cookie! } })).text()).toContain('会话已结束');
});

test("the token's revocation ends its session at the next request", async () => {
  const token = await h.hub.tokenFor({ role: 'OFFICE', label: 'to be revoked' });
  const { cookie } = await signIn(token);
  expect((await graphqlWithCookie(cookie!, '{ viewer { label } }')).status).toBe(200);
  const { rows } = await h.db.pool.query(`select id from access_token where label = 'to be revoked'`);
  expect(await revokeToken(h.db.pool, rows[0].id)).toBe('revoked');
  // the registry hears of it by NOTIFY within moments
  let status = 200;
  for (let i = 0; i < 50 && status === 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await graphqlWithCookie(cookie!, '{ viewer { label } }')).status;
  }
  expect(status).toBe(401);
  expect(await (await fetch(`${base}/office`, { headers: { cookie: cookie! } })).text()).toContain('会话已结束');
});

test('8 idle hours end a session; a session used within them lives on', async () => {
  const { cookie } = await signIn(await h.hub.tokenFor({ role: 'OFFICE', label: 'idle' }));
  const start = Date.now();
  const clock = jest.spyOn(Date, 'now');
  try {
    // used after 7 h 59 min, then again 7 h 59 min later: idle time counts from the last use
    clock.mockReturnValue(start + (8 * 60 - 1) * 60_000);
    expect((await graphqlWithCookie(cookie!, '{ viewer { label } }')).status).toBe(200);
    clock.mockReturnValue(start + 2 * (8 * 60 - 1) * 60_000);
    expect((await graphqlWithCookie(cookie!, '{ viewer { label } }')).status).toBe(200);
    // then 8 hours and a minute of nothing
    clock.mockReturnValue(start + 2 * (8 * 60 - 1) * 60_000 + (8 * 60 + 1) * 60_000);
    const ended = await graphqlWithCookie(cookie!, '{ viewer { label } }');
    expect(ended.status).toBe(401);
    expect(ended.body.errors[0].message).toContain('会话已结束');
  } finally {
    clock.mockRestore();
  }
  // over for good, not only while the clock was ahead
  expect((await graphqlWithCookie(cookie!, '{ viewer { label } }')).status).toBe(401);
});

test('a developer without Chromium is told the one command that installs it', async () => {
  await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow('apt-get install -y chromium fonts-noto-cjk');
});
