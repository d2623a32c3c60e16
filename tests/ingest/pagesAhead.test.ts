/**
 * A page/size registry (health) is read with the next pages already requested while the hub
 * handles one: a settlement year re-read whole each night is otherwise the registry serving and
 * the hub hashing by turns. The pages still arrive in order, nothing is asked for past the last
 * page `total` promises, and a page that fails stops the sync there: nothing fetched ahead of it
 * is applied, and the next run resumes at it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { health } from '../../connectors/health';
import type { Database } from '../../src/db/database';
import { numberedPages } from '../../src/ingest/pagePagination';
import { runConnector } from '../../src/ingest/syncRunner';
import { openTestDatabase } from '../support/hubDatabase';
import { healthRegistryOf, type RunningRegistry } from '../support/simulatedRegistries';
import { readJsonl } from '../support/samples';

interface Seen {
  url: URL;
}

/** A loopback server in front of `answer`, which sees each request's page as it arrives. */
async function registry(answer: (url: URL) => Promise<[number, string]>) {
  const seen: Seen[] = [];
  const arrivals: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://registry');
    seen.push({ url });
    for (const wake of arrivals.splice(0)) wake();
    void answer(url).then(([status, body]) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    pages: (path: string) => seen.filter((s) => s.url.pathname === path).map((s) => Number(s.url.searchParams.get('page'))),
    /** resolves once a request matching `test` has arrived, or after `guardMs` (false) */
    arrived(test: (url: URL) => boolean, guardMs = 3000): Promise<boolean> {
      return new Promise((resolve) => {
        const guard = setTimeout(() => resolve(false), guardMs);
        const check = () => {
          if (seen.some((s) => test(s.url))) {
            clearTimeout(guard);
            resolve(true);
          } else arrivals.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('pages of a page/size registry', () => {
  it('are requested ahead of the one the hub handles, yielded in order, and never past the last page of the total', async () => {
    const rows = Array.from({ length: 65 }, (_, i) => ({ n: i + 1 }));
    const reg = await registry(async (url) => {
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('size'));
      return [200, JSON.stringify({ total: rows.length, page, rows: rows.slice((page - 1) * size, page * size) })];
    });
    try {
      const got: number[] = [];
      const nextAskedWhileHandling: boolean[] = [];
      for await (const { records, bookmark } of numberedPages(reg.url, '/pages', {}, { size: 10 })) {
        got.push(...records.map((r) => (r as { n: number }).n));
        // the hub is still handling this page: the registry has the next one's request already
        if (!bookmark.last) nextAskedWhileHandling.push(await reg.arrived((u) => Number(u.searchParams.get('page')) === bookmark.page + 1));
      }
      expect(got).toEqual(rows.map((r) => r.n));
      expect(nextAskedWhileHandling).toEqual([true, true, true, true, true, true]);
      // 65 rows at 10 a page: pages 1 to 7, each asked once, none after the last
      expect(reg.pages('/pages').sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await reg.close();
    }
  });
});

describe('a health sync whose registry refuses a page while later ones are fetched ahead', () => {
  const settlements = readJsonl('api/health/settlements.jsonl');
  const deaths = readJsonl('api/health/deaths.jsonl');
  const config = (source: string) => ({ source, years: [2025, 2026], pageSize: 10 });
  let db: Database & { drop(): Promise<void> };
  let upstream: RunningRegistry;

  beforeAll(async () => {
    db = await openTestDatabase();
    upstream = await healthRegistryOf({ settlements, deaths });
  });
  afterAll(async () => {
    await upstream.close();
    await db.drop();
  });

  const forward = async (url: URL): Promise<[number, string]> => {
    const res = await fetch(`${upstream.url}${url.pathname}${url.search}`);
    return [res.status, await res.text()];
  };
  const order = (a: string | null, b: string | null) => String(a).localeCompare(String(b));
  /** the settlement keys on these pages (year, page) of the registry itself */
  const keysServed = async (pages: Array<[number, number]>, size: number) => {
    const keys: Array<string | null> = [];
    for (const [year, page] of pages) {
      const body = (await (await fetch(`${upstream.url}/v2/medical/settlements?year=${year}&page=${page}&size=${size}`)).json()) as { rows: Array<{ jsid?: unknown }> };
      for (const r of body.rows) keys.push(typeof r.jsid === 'string' && r.jsid.trim() ? r.jsid.trim() : null);
    }
    return keys;
  };
  /** the settlement keys applied or quarantined, once each */
  const keysApplied = async () => {
    const { rows } = await db.pool.query<{ key: string | null }>(
      `select record_key as key from source_record where feed = 'health' and stream = 'settlements'
       union select record_key from quarantined_record where connector = 'health' and stream = 'settlements'`,
    );
    return rows.map((r) => r.key).sort(order);
  };
  const is2025Page = (n: number) => (u: URL) => u.pathname === '/v2/medical/settlements' && u.searchParams.get('year') === '2025' && u.searchParams.get('page') === String(n);

  it('applies the pages before the refused one and nothing after it, and the next run resumes at it', async () => {
    // 2025's fourth page is refused (HTTP 400, not retried) once the fifth has been asked for
    let refusing = true;
    const reg = await registry(async (url) => {
      if (refusing && is2025Page(4)(url)) {
        await reg.arrived(is2025Page(5));
        return [400, JSON.stringify({ error: 'page temporarily refused' })];
      }
      return forward(url);
    });
    try {
      const cut = await runConnector(db, health, config(reg.url));
      expect(cut.status).toBe('PARTIAL');
      expect(cut.error).toMatch(/HTTP 400/);
      // the fifth page was asked for ahead of the refused fourth, and is not applied
      expect(reg.seen.some((s) => is2025Page(5)(s.url))).toBe(true);
      const firstThree = await keysServed([[2025, 1], [2025, 2], [2025, 3]], 10);
      // a settlement delivered twice alike is one record
      expect(await keysApplied()).toEqual([...new Set(firstThree)].sort(order));

      refusing = false;
      const from = reg.seen.length;
      const resumed = await runConnector(db, health, config(reg.url));
      expect(resumed.status).toBe('SUCCEEDED');
      const settlementPages = reg.seen.slice(from).filter((s) => s.url.pathname === '/v2/medical/settlements');
      expect(`${settlementPages[0]!.url.searchParams.get('year')}/${settlementPages[0]!.url.searchParams.get('page')}`).toBe('2025/4');
      expect(await keysApplied()).toEqual([...new Set(await keysServed([[2025, 1], [2026, 1]], 1000))].sort(order));
    } finally {
      await reg.close();
    }
  });
});

