/**
 * A stand-in for the health registry (卫健委 / 医保局, feeds.md §3): settlements by year and
 * death certificates since a date, page/size pagination with `total`. Records are served exactly
 * as given, mess and all.
 */
import { BadRequest, startJsonRegistry, wholeParam, type FaultOptions, type RunningRegistry } from './jsonRegistry';

export interface HealthRegistryOptions extends FaultOptions {
  settlements: object[];
  deaths: object[];
}

const DEFAULT_SIZE = 100;
const MAX_SIZE = 1000;

/** A sortable `YYYY-MM-DD` of a date in any of the feed's forms (`2025/3/1`, `20250301`, `2025年3月1日`), or '' when none. */
function dateKey(value: unknown): string {
  const m = /^\s*(\d{4})\D?(\d{1,2})\D?(\d{1,2})/.exec(typeof value === 'string' ? value : '');
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : '';
}

/** Records with their date key, ordered by date, then key, then delivery order. */
function sorted(records: object[], dateField: string, keyField: string) {
  return records
    .map((r, order) => ({ r, order, date: dateKey((r as Record<string, unknown>)[dateField]), key: String((r as Record<string, unknown>)[keyField] ?? '') }))
    .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.order - b.order));
}

function page(rows: object[], url: URL) {
  const p = wholeParam(url, 'page', 1);
  const size = Math.min(wholeParam(url, 'size', DEFAULT_SIZE), MAX_SIZE);
  return { status: 200, body: { total: rows.length, page: p, rows: rows.slice((p - 1) * size, p * size) } };
}

export function startHealthRegistry(opts: HealthRegistryOptions): Promise<RunningRegistry> {
  const settlements = sorted(opts.settlements, 'jsrq', 'jsid');
  const deaths = sorted(opts.deaths, 'swrq', 'swzmbh');
  return startJsonRegistry(({ method, url }) => {
    if (method !== 'GET') return { status: 405, body: { error: 'only GET is supported' } };
    switch (url.pathname) {
      case '/v2/medical/settlements': {
        const year = url.searchParams.get('year') ?? '';
        if (!/^\d{4}$/.test(year)) throw new BadRequest('year must be YYYY');
        return page(settlements.filter((s) => s.date.slice(0, 4) === year).map((s) => s.r), url);
      }
      case '/v2/deaths': {
        const since = url.searchParams.get('since') ?? '';
        if (dateKey(since) !== since) throw new BadRequest('since must be YYYY-MM-DD');
        return page(deaths.filter((d) => d.date !== '' && d.date >= since).map((d) => d.r), url);
      }
      default:
        return { status: 404, body: { error: `no such endpoint: ${url.pathname}` } };
    }
  }, opts);
}
