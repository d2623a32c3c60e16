import { fetchPage, type HttpOptions } from './httpClient';

/**
 * Cursor pagination (civil-affairs): `?updated_since=…&cursor=…&limit=…` →
 * `{ data, next_cursor }`, ordered by `updated_at`, `updated_since` inclusive. The bookmark is
 * the newest `updated_at` committed: resuming from it re-reads a few records, which is harmless
 * because loading is idempotent by record key.
 */
export interface CursorBookmark {
  updatedSince?: string;
}

export async function* cursorPages(
  base: string,
  path: string,
  bookmark: CursorBookmark | undefined,
  opts: { limit?: number; http?: HttpOptions },
): AsyncGenerator<{ records: unknown[]; bookmark: CursorBookmark }> {
  let cursor: string | null = null;
  let newest = bookmark?.updatedSince;
  do {
    const url = new URL(path, base);
    if (bookmark?.updatedSince) url.searchParams.set('updated_since', bookmark.updatedSince);
    if (cursor) url.searchParams.set('cursor', cursor);
    url.searchParams.set('limit', String(opts.limit ?? 500));
    const { body: page } = await fetchPage<{ data?: unknown; next_cursor?: unknown }>(url.toString(), 'data', null, opts.http);
    if (!Array.isArray(page.data)) throw new Error(`${url.pathname}: the response has no "data" array`);
    for (const r of page.data) {
      const at = (r as { updated_at?: unknown })?.updated_at;
      if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && (!newest || Date.parse(at) > Date.parse(newest))) newest = at;
    }
    cursor = typeof page.next_cursor === 'string' && page.next_cursor ? page.next_cursor : null;
    yield { records: page.data, bookmark: newest ? { updatedSince: newest } : {} };
  } while (cursor);
}
