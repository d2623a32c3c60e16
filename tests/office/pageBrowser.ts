import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The office page's browser tests drive the system's Chromium (Debian's `chromium`) through
 * playwright-core, which downloads no browser of its own.
 */
export const CHROMIUM = process.env.WEIJIU_CHROMIUM ?? '/usr/bin/chromium';
export const INSTALL_CHROMIUM = 'apt-get install -y chromium fonts-noto-cjk';
/** Where the tests leave a screenshot of each view, for a person to look at (git-ignored). */
export const SCREENSHOTS = path.join(__dirname, 'screenshots');

export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`The office page's browser tests need Chromium at ${executablePath}, which is not installed. Install it (as root) with:\n\n  ${INSTALL_CHROMIUM}\n`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface PageSession {
  context: BrowserContext;
  page: Page;
  /** every URL the page asked for, in order */
  requests: string[];
  /** console messages and page errors (a CSP refusal shows up here) */
  problems: string[];
  /** the JSON answers of /graphql, in order */
  answers: any[];
}

/** A fresh browser profile signed in with a token through the page's own form; the overview open. */
export async function signIn(browser: Browser, baseUrl: string, token: string): Promise<PageSession> {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  const answers: any[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname === '/graphql') answers.push(await r.json().catch(() => null));
  });
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(`${baseUrl}/office`);
  await page.fill('textarea[name=token]', token);
  await Promise.all([page.waitForURL(`${baseUrl}/office`), page.click('button[type=submit]')]);
  await ready(page, 'overview');
  return { context, page, requests, problems, answers };
}

/** Waits until the view has drawn everything it asked for. */
export async function ready(page: Page, view: string): Promise<void> {
  try {
    await page.waitForSelector(`#app[data-ready="${view}"]`, { timeout: 30_000 });
  } catch (e) {
    // what the page shows instead says more than a timeout
    const shown = await page.evaluate(() => document.body.innerText).catch(() => '(no page)');
    throw new Error(`the view "${view}" did not get ready at ${page.url()}; the page shows:\n${shown.slice(0, 2000)}\n${(e as Error).message}`);
  }
}

/** Opens a view by its address, as a bookmark or a link would; the same address again is a reload. */
export async function show(page: Page, hash: string, view: string): Promise<void> {
  const same = await page.evaluate((h) => {
    if (window.location.hash === h) return true;
    document.getElementById('app')!.removeAttribute('data-ready');
    window.location.hash = h;
    return false;
  }, hash);
  if (same) await page.reload();
  await ready(page, view);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A table's body as text, cell by cell, numbers without their thousands separators. */
export async function tableText(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`#${id} tbody tr`, (rows) =>
    rows.map((r) => Array.from(r.children).map((c) => (c.textContent ?? '').trim())),
  );
}

export function figure(text: string): number | null {
  const t = text.replace(/,/g, '');
  return /^-?\d+$/.test(t) ? Number(t) : null;
}
