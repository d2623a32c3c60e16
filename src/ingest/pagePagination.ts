import { fetchPage, type HttpOptions } from './httpClient';

/**
 * Page/size pagination (health): `?…&page={1..}&size={≤1000}` → `{ total, page, rows }`. Pages
 * are numbered from 1; the last one is the one that reaches `total` (or comes back empty). The bookmark names the page just read, so a stream can resume after it.
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * Pages requested ahead of the one being handled: the registry serves them while the hub parses,
 * hashes and applies the earlier ones (a settlement year re-read whole is mostly waiting otherwise).
 */
export const PAGES_AHEAD = 2;

export interface PageBookmark {
  /** the page just read (1-based) */
  page: number;
  /** no page follows it */
  last: boolean;
}

type Answer = Awaited<ReturnType<typeof fetchPage<{ total?: unknown; rows?: unknown }>>>;

export async function* numberedPages(
  base: string,
  path: string,
  query: Record<string, string>,
  opts: { size?: number; fromPage?: number; http?: HttpOptions; ahead?: number },
): AsyncGenerator<{ records: unknown[]; bookmark: PageBookmark }> {
  const size = Math.max(1, Math.min(opts.size ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
  const fromPage = Math.max(1, opts.fromPage ?? 1);
  const ahead = Math.max(0, opts.ahead ?? PAGES_AHEAD);
  // requests still in flight when the stream ends early (an abort, a failed page) are cancelled
  const stop = new AbortController();
  const http: HttpOptions = { ...opts.http, signal: opts.http?.signal ? AbortSignal.any([opts.http.signal, stop.signal]) : stop.signal };
  const urlOf = (page: number) => {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    url.searchParams.set('page', String(page));
    url.searchParams.set('size', String(size));
    return url;
  };
  // pages requested and not yet handled, in page order
  const requested: Array<Promise<Answer>> = [];
  let highest = fromPage - 1;
  const request = () => {
    const url = urlOf(++highest);
    // the page's address is its identity: the same bytes there next time are a page already applied
    const answer = fetchPage<{ total?: unknown; rows?: unknown }>(url.toString(), 'rows', `${url.pathname}${url.search}`, http);
    // a page fetched ahead that fails is this stream's error when its turn comes, not before
    answer.catch(() => undefined);
    requested.push(answer);
  };
  // rows before this page: counted, not computed from page × size, in case the registry clamps size
  let before = (fromPage - 1) * size;
  try {
    for (let page = fromPage; ; page++) {
      if (!requested.length) request();
      const url = urlOf(page);
      const { body } = await requested.shift()!;
      if (!body || typeof body !== 'object' || !Array.isArray(body.rows)) {
        throw new Error(`${url.pathname}: the response has no "rows" array (page ${page})`);
      }
      const total = Number(body.total);
      if (!Number.isInteger(total) || total < 0) throw new Error(`${url.pathname}: the response has no whole "total" (page ${page})`);
      before += body.rows.length;
      const last = body.rows.length === 0 || before >= total;
      if (!last) {
        // the pages `total` still promises at this page's size: none is asked for past the last of them
        const lastPage = page + Math.ceil((total - before) / body.rows.length);
        while (highest < Math.min(page + ahead, lastPage)) request();
      }
      yield { records: body.rows, bookmark: { page, last } };
      if (last) return;
    }
  } finally {
    if (requested.length) stop.abort(new Error('the pages ahead are not needed'));
  }
}
