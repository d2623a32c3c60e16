import { fetchPage, type HttpOptions } from './httpClient';

/**
 * Page-token pagination (disability): `?modifiedAfter={ISO}&pageToken={t}&pageSize={≤200}` →
 * `{ items, nextPageToken }`, ordered by `modifiedAt`, `modifiedAfter` exclusive (>).
 *
 * Because the filter is exclusive, the bookmark may only name a time whose records have all been
 * committed: records sharing the last time of a page may continue on the next page, so until the
 * final page the bookmark is the newest time strictly older than the page's last one. A page
 * token is never kept: it may not outlive the run.
 */
export const MAX_TOKEN_PAGE_SIZE = 200;

export interface TokenBookmark {
  modifiedAfter?: string;
}

export async function* tokenPages(
  base: string,
  path: string,
  bookmark: TokenBookmark | undefined,
  opts: { pageSize?: number; timeField?: string; http?: HttpOptions },
): AsyncGenerator<{ records: unknown[]; bookmark: TokenBookmark }> {
  const pageSize = Math.max(1, Math.min(opts.pageSize ?? MAX_TOKEN_PAGE_SIZE, MAX_TOKEN_PAGE_SIZE));
  const timeField = opts.timeField ?? 'modifiedAt';
  let committed = bookmark?.modifiedAfter;
  let token: string | null = null;
  do {
    const url = new URL(path, base);
    if (bookmark?.modifiedAfter) url.searchParams.set('modifiedAfter', bookmark.modifiedAfter);
    if (token) url.searchParams.set('pageToken', token);
    url.searchParams.set('pageSize', String(pageSize));
    const { body } = await fetchPage<{ items?: unknown; nextPageToken?: unknown }>(url.toString(), 'items', null, opts.http);
    if (!body || typeof body !== 'object' || !Array.isArray(body.items)) throw new Error(`${url.pathname}: the response has no "items" array`);
    token = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : null;
    const times = body.items
      .map((r) => (r as Record<string, unknown> | null)?.[timeField])
      .filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
    const lastTime = times.length ? Math.max(...times.map((t) => Date.parse(t))) : null;
    for (const t of times) {
      const at = Date.parse(t);
      // on the final page everything is committed; before it, the last time may be incomplete
      const complete = token === null || (lastTime !== null && at < lastTime);
      if (complete && (!committed || at > Date.parse(committed))) committed = t;
    }
    yield { records: body.items, bookmark: committed ? { modifiedAfter: committed } : {} };
  } while (token);
}
