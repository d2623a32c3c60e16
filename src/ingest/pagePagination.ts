import { fetchPage, type HttpOptions } from './httpClient';

/**
 * Page/size pagination (health): `?…&page={1..}&size={≤1000}` → `{ total, page, rows }`. Pages
 * are numbered from 1; the last one is the one that reaches `total` (or comes back empty). The bookmark names the page just read, so a stream can resume after it.
 */
export const MAX_PAGE_SIZE = 1000;

export interface PageBookmark {
  /** the page just read (1-based) */
  page: number;
  /** no page follows it */
  last: boolean;
}

export async function* numberedPages(
  base: string,
  path: string,
  query: Record<string, string>,
  opts: { size?: number; fromPage?: number; http?: HttpOptions },
): AsyncGenerator<{ records: unknown[]; bookmark: PageBookmark }> {
  const size = Math.max(1, Math.min(opts.size ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
  const fromPage = Math.max(1, opts.fromPage ?? 1);
  // rows before this page: counted, not computed from page × size, in case the registry clamps size
  let before = (fromPage - 1) * size;
  for (let page = fromPage; ; page++) {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    url.searchParams.set('page', String(page));
    url.searchParams.set('size', String(size));
    // the page's address is its identity: the same bytes there next time are a page already applied
    const { body } = await fetchPage<{ total?: unknown; rows?: unknown }>(url.toString(), 'rows', `${url.pathname}${url.search}`, opts.http);
    if (!body || typeof body !== 'object' || !Array.isArray(body.rows)) {
      throw new Error(`${url.pathname}: the response has no "rows" array (page ${page})`);
    }
    const total = Number(body.total);
    if (!Number.isInteger(total) || total < 0) throw new Error(`${url.pathname}: the response has no whole "total" (page ${page})`);
    before += body.rows.length;
    const last = body.rows.length === 0 || before >= total;
    yield { records: body.rows, bookmark: { page, last } };
    if (last) return;
  }
}
