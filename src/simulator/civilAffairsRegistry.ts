/**
 * A stand-in for the civil-affairs bureau's social assistance system (民政局, feeds.md §1): three
 * JSON endpoints with `updated_since`, opaque cursors and a clamped `limit`. Records are served
 * exactly as given, mess and all.
 */
import { readFile } from 'node:fs/promises';
import { errorReply, type FaultOptions, json, type RunningRegistry, startRegistryServer } from './registryServer';
import { BadRequest, RAW_JSON, SortedFeed } from './sortedFeed';

export type { RunningRegistry } from './registryServer';

export interface CivilAffairsRegistryOptions extends FaultOptions {
  /** 0 (default) lets the system pick a free port */
  port?: number;
  host?: '127.0.0.1';
  /** the records, already sorted (and able to take later versions) */
  data?: CivilAffairsData;
  /** or household records (every version); an iterable is consumed once, at start */
  households?: Iterable<object> | object[];
  grants?: Iterable<object> | object[];
  registrations?: Iterable<object> | object[];
}

/** The three endpoints' records, each sorted once; later versions can be added while serving. */
export class CivilAffairsData {
  readonly households: SortedFeed;
  readonly grants: SortedFeed;
  readonly registrations: SortedFeed;

  constructor(records: { households?: Iterable<object>; grants?: Iterable<object>; registrations?: Iterable<object> }) {
    this.households = new SortedFeed('households', records.households ?? [], 'hh_id');
    this.grants = new SortedFeed('grants', records.grants ?? [], 'grant_id');
    this.registrations = new SortedFeed('persons', records.registrations ?? [], 'reg_id');
  }
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/**
 * Reads an ISO-8601 instant. A time without an offset is the registry's local time (+08:00); a
 * `+` that arrived unencoded in a query string (and so reads as a space) is taken as `+`.
 */
export function parseInstant(text: string): number {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+\- ]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!match) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = '+08:00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return NaN;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const millis = Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

function parseLimit(value: string | null): number {
  if (value === null || value === '') return DEFAULT_LIMIT;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new BadRequest('limit must be a positive integer');
  return Math.min(Number(value), MAX_LIMIT);
}

export async function startCivilAffairsRegistry(opts: CivilAffairsRegistryOptions): Promise<RunningRegistry> {
  const data = opts.data ?? new CivilAffairsData(opts);
  const feeds = new Map<string, SortedFeed>([
    ['/api/assistance/households', data.households],
    ['/api/assistance/grants', data.grants],
    ['/api/registries/persons', data.registrations],
  ]);
  return startRegistryServer(({ method, url }) => {
    const feed = feeds.get(url.pathname.replace(/\/+$/, ''));
    if (!feed) return errorReply(404, `no such endpoint: ${url.pathname}`);
    if (method !== 'GET' && method !== 'HEAD') return errorReply(405, 'only GET is supported');
    const limit = parseLimit(url.searchParams.get('limit'));
    const sinceText = url.searchParams.get('updated_since');
    let since: number | null = null;
    if (sinceText !== null && sinceText !== '') {
      since = parseInstant(sinceText);
      if (Number.isNaN(since)) throw new BadRequest('updated_since must be an ISO-8601 instant');
    }
    const cursor = url.searchParams.get('cursor');
    const page = feed.page(since, cursor === null || cursor === '' ? null : cursor, limit);
    return json(200, `{"data":[${page.bodies.join(',')}],"next_cursor":${JSON.stringify(page.nextCursor)}}`);
  }, opts);
}

/** The records of a JSON Lines file, each remembering its line so it is served byte for byte. */
export async function loadJsonl(path: string): Promise<object[]> {
  const text = await readFile(path, 'utf8');
  const records: object[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as object;
    Object.defineProperty(record, RAW_JSON, { value: line.trim(), enumerable: false });
    records.push(record);
  }
  return records;
}
