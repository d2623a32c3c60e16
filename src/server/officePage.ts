/**
 * The office's page (`/office`, office.md "The office's page"): a server-rendered shell and
 * sign-in form, and the page's own script, style and chart library served from files read at
 * start — nothing from another host. The script (./office/office.js) does the rest through
 * `/graphql` and `/api/*` with the session cookie.
 *
 * Sign-in: a token is posted once; the hub keeps it in its session table and answers with an
 * HttpOnly, SameSite=Strict cookie holding a random id (src/auth/authenticate.ts). Only OFFICE and
 * TOWN tokens may sign in. The page has a stricter CSP than GraphiQL: no inline script or style.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { PAGE_ROLES, SESSION_COOKIE, sessionIdOf, sessionsOf } from '../auth/authenticate';
import type { TokenRegistry } from '../auth/tokenRegistry';
import type { Viewer } from '../auth/viewer';
import { todayInShanghai } from '../identity';

export const OFFICE_PATH = '/office';

/** Scripts, styles, images and requests from the hub alone; no inline code, no eval, no frames. */
export const OFFICE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface OfficePageOptions {
  tokens: TokenRegistry;
  /** the city code: the overview a city-wide token opens with */
  city: string;
}

interface Asset {
  body: Buffer;
  gzipped: Buffer;
  type: string;
  etag: string;
}

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function readAsset(file: string): Asset {
  const body = fs.readFileSync(file);
  return {
    body,
    gzipped: zlib.gzipSync(body, { level: 9 }),
    type: ASSET_TYPES[path.extname(file)] ?? 'application/octet-stream',
    etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/** The files the page loads, by the name it asks for; read once (about 0.1 s, echarts being 1 MB). */
function readAssets(): Map<string, Asset> {
  const here = path.join(__dirname, 'office');
  return new Map([
    ['office.js', readAsset(path.join(here, 'office.js'))],
    ['office.css', readAsset(path.join(here, 'office.css'))],
    // ECharts from its npm package (the full build: SVG renderer, bar charts)
    ['echarts.min.js', readAsset(require.resolve('echarts/dist/echarts.min.js'))],
  ]);
}

const ROLE_NAMES: Record<string, string> = { OFFICE: '领导小组办公室', TOWN: '镇（街道）' };

const REFUSALS: Record<string, string> = {
  MISSING: '请粘贴令牌。',
  MALFORMED: '这不是威救数据中心的令牌。',
  BAD_SIGNATURE: '令牌无效。',
  UNKNOWN: '令牌无效。',
  RETIRED_KEY: '令牌的签发密钥已停用，请向办公室申请新令牌。',
  EXPIRED: '令牌已过期，请向办公室申请新令牌。',
  REVOKED: '令牌已被吊销。',
  ROLE: '此页面仅供领导小组办公室（OFFICE）和镇街（TOWN）使用；该令牌的角色不能登录。',
  ORIGIN: '登录请求来自其他网站，已拒绝。',
  ENDED: '会话已结束（退出、闲置 8 小时或令牌被吊销），请重新登录。',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, scripts: string[] = []): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${OFFICE_PATH}/assets/office.css">
${scripts.map((s) => `<script src="${OFFICE_PATH}/assets/${s}" defer></script>`).join('\n')}
</head>
<body>
${body}
</body>
</html>
`;
}

function signInPage(message: string | null): string {
  return page(
    '登录 · 威救数据中心',
    `<main class="sign-in">
<h1>威救数据中心 · 办公室工作台</h1>
<p>请粘贴办公室发给您的令牌（只需一次）。登录后令牌只保存在服务器上，页面不保存令牌。</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="${OFFICE_PATH}/sign-in">
<label for="token">令牌</label>
<textarea id="token" name="token" rows="4" required autocomplete="off" spellcheck="false"></textarea>
<button type="submit">登录</button>
</form>
</main>`,
  );
}

/** The XLSX exports this hub serves (office.md "Exports"), by the table they export. */
const EXPORTS: Record<string, string> = {
  coverage: '/api/exports/coverage',
  findings: '/api/exports/findings',
  screenings: '/api/exports/screenings/',
  reports: '/api/exports/reports/',
};

/** Which exports are routed: the page offers a download only where there is one. */
function routedExports(app: Express): string[] {
  const stack = ((app as unknown as { router?: { stack?: Array<{ route?: { path?: unknown } }> } }).router?.stack ?? []);
  const paths = stack.map((l) => l.route?.path).filter((p): p is string => typeof p === 'string');
  return Object.keys(EXPORTS).filter((name) => paths.some((p) => p.startsWith(EXPORTS[name]!)));
}

function shellPage(viewer: Viewer, city: string, exports: string[]): string {
  const data = {
    'data-role': viewer.role,
    'data-region': viewer.regionPrefix,
    'data-city': city,
    'data-today': todayInShanghai(),
    'data-exports': exports.join(' '),
  };
  const attrs = Object.entries(data)
    .map(([k, v]) => `${k}="${escapeHtml(v)}"`)
    .join(' ');
  return page(
    '威救数据中心 · 办公室工作台',
    `<header class="top">
<h1>威救数据中心 · 办公室工作台</h1>
<p class="who">${escapeHtml(viewer.label)} · ${escapeHtml(ROLE_NAMES[viewer.role] ?? viewer.role)} · 辖区 <span id="who-region">${escapeHtml(viewer.regionPrefix)}</span></p>
<form method="post" action="${OFFICE_PATH}/sign-out" class="sign-out"><button type="submit">退出</button></form>
</header>
<nav class="tabs" aria-label="栏目">
<a href="#overview" data-tab="overview">概览</a>
<a href="#findings" data-tab="findings">疑点核查</a>
<a href="#screenings" data-tab="screenings">逐一筛选</a>
<a href="#reports" data-tab="reports">月度报告</a>
<a href="#sources" data-tab="sources">数据研判</a>
</nav>
<main id="app" ${attrs} aria-live="polite"><p class="loading">正在加载…</p></main>`,
    ['echarts.min.js', 'office.js'],
  );
}

function withPageHeaders(res: Response): Response {
  return res.set({
    'Content-Security-Policy': OFFICE_CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-store',
    'Content-Type': 'text/html; charset=utf-8',
    // the page's own forms then carry a real Origin (with no-referrer a browser sends "null"); other sites still learn nothing
    'Referrer-Policy': 'same-origin',
  });
}

function sessionCookie(req: Request, value: string, maxAgeSeconds?: number): string {
  // Secure only where the hub is reached over TLS: on a plain-HTTP intranet the browser would drop it
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', ...(req.secure ? ['Secure'] : []), ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : [])].join('; ');
}

/**
 * A form posted from another site is refused: browsers send `Origin` with every POST (and
 * `Sec-Fetch-Site`), which must name this hub.
 */
function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = req.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    // "null": a browser that sends no Sec-Fetch-Site and hides where the form came from
    return false;
  }
}

/** The viewer of the request's session, the session's idle clock restarted; null when there is none. */
async function sessionViewer(tokens: TokenRegistry, req: Request): Promise<Viewer | null | 'ENDED'> {
  const id = sessionIdOf(req);
  if (!id) return null;
  const sessions = sessionsOf(tokens);
  const token = sessions.use(id);
  if (!token) return 'ENDED';
  const check = await tokens.check(token);
  if (!check.ok) {
    sessions.end(id);
    return 'ENDED';
  }
  return check.viewer;
}

/** GET /office, its sign-in and sign-out, and its assets. */
export function officePage(app: Express, opts: OfficePageOptions): void {
  const assets = readAssets();
  const { tokens } = opts;
  let exports: string[] | undefined;

  app.get(OFFICE_PATH, async (req, res, next) => {
    try {
      const viewer = await sessionViewer(tokens, req);
      if (viewer && viewer !== 'ENDED') {
        // every route is in place by the first visit
        exports ??= routedExports(app);
        withPageHeaders(res).send(shellPage(viewer, opts.city, exports));
        return;
      }
      if (viewer === 'ENDED') res.set('Set-Cookie', sessionCookie(req, '', 0));
      withPageHeaders(res).send(signInPage(viewer === 'ENDED' ? REFUSALS.ENDED! : null));
    } catch (e) {
      next(e);
    }
  });

  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 });

  app.post(`${OFFICE_PATH}/sign-in`, form, async (req, res, next) => {
    try {
      const refuse = (reason: string, status: number) => withPageHeaders(res).status(status).send(signInPage(REFUSALS[reason] ?? REFUSALS.UNKNOWN!));
      if (!sameOrigin(req)) return refuse('ORIGIN', 403);
      // a pasted "Bearer …" header line is accepted too
      const token = (typeof req.body?.token === 'string' ? req.body.token : '').trim().replace(/^bearer\s+/i, '');
      if (!token) return refuse('MISSING', 400);
      if (token.length > 2048 || /\s/.test(token)) return refuse('MALFORMED', 401);
      const check = await tokens.check(token);
      if (!check.ok) return refuse(check.reason, 401);
      if (!PAGE_ROLES.has(check.viewer.role)) return refuse('ROLE', 403);
      const old = sessionIdOf(req);
      if (old) sessionsOf(tokens).end(old);
      const id = sessionsOf(tokens).open(token);
      res.set({ 'Set-Cookie': sessionCookie(req, id), 'Cache-Control': 'no-store' }).redirect(303, OFFICE_PATH);
    } catch (e) {
      next(e);
    }
  });

  app.post(`${OFFICE_PATH}/sign-out`, (req, res) => {
    if (!sameOrigin(req)) {
      withPageHeaders(res).status(403).send(signInPage(REFUSALS.ORIGIN!));
      return;
    }
    const id = sessionIdOf(req);
    if (id) sessionsOf(tokens).end(id);
    res.set({ 'Set-Cookie': sessionCookie(req, '', 0), 'Cache-Control': 'no-store' }).redirect(303, OFFICE_PATH);
  });

  app.get(`${OFFICE_PATH}/assets/:name`, (req, res, next) => {
    const asset = assets.get(String(req.params.name));
    if (!asset) {
      next();
      return;
    }
    res.set({ 'Content-Type': asset.type, 'Cache-Control': 'no-cache', ETag: asset.etag, Vary: 'Accept-Encoding' });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    if (req.get('accept-encoding') && req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.set('Content-Encoding', 'gzip').send(asset.gzipped);
      return;
    }
    res.send(asset.body);
  });
}
