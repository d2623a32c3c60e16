/**
 * A stand-in for the disabled-persons register (残联, feeds.md §6): items ordered by `modifiedAt`,
 * `modifiedAfter` exclusive, opaque page tokens, `pageSize` clamped to 200. Records are served
 * exactly as given.
 */
import { BadRequest, startJsonRegistry, wholeParam, type FaultOptions, type RunningRegistry } from './jsonRegistry';

export interface DisabilityRegistryOptions extends FaultOptions {
  persons: object[];
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

interface Entry {
  time: number;
  key: string;
  order: number;
  record: object;
}

function compare(a: Entry, b: Entry): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.order - b.order;
}

/** A token names the last item served: (time, key, delivery order), not an offset. */
function tokenFor(e: Entry): string {
  return Buffer.from(JSON.stringify(['persons', e.time, e.key, e.order])).toString('base64url');
}

function afterToken(entries: Entry[], token: string): number {
  let d: unknown;
  try {
    d = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequest('bad pageToken');
  }
  if (!Array.isArray(d) || d.length !== 4 || d[0] !== 'persons') throw new BadRequest('bad pageToken');
  const at = entries.findIndex((e) => e.time === d[1] && e.key === d[2] && e.order === d[3]);
  if (at < 0) throw new BadRequest('bad pageToken');
  return at + 1;
}

export function startDisabilityRegistry(opts: DisabilityRegistryOptions): Promise<RunningRegistry> {
  const entries: Entry[] = opts.persons
    .map((record, order) => {
      const r = record as Record<string, unknown>;
      const time = typeof r.modifiedAt === 'string' ? Date.parse(r.modifiedAt) : NaN;
      return { time: Number.isNaN(time) ? -Infinity : time, key: String(r.certNo ?? ''), order, record };
    })
    .sort(compare);
  return startJsonRegistry(({ method, url }) => {
    if (method !== 'GET') return { status: 405, body: { error: 'only GET is supported' } };
    if (url.pathname !== '/openapi/v1/persons') return { status: 404, body: { error: `no such endpoint: ${url.pathname}` } };
    const pageSize = Math.min(wholeParam(url, 'pageSize', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    const afterText = url.searchParams.get('modifiedAfter');
    const after = afterText ? Date.parse(afterText) : -Infinity;
    if (Number.isNaN(after)) throw new BadRequest('modifiedAfter must be an ISO-8601 instant');
    const token = url.searchParams.get('pageToken');
    let start = entries.findIndex((e) => e.time > after);
    if (start < 0) start = entries.length;
    if (token) start = Math.max(start, afterToken(entries, token));
    const items = entries.slice(start, start + pageSize);
    const more = start + items.length < entries.length && items.length > 0;
    return { status: 200, body: { items: items.map((e) => e.record), nextPageToken: more ? tokenFor(items[items.length - 1]) : null } };
  }, opts);
}
