/**
 * A stand-in for the disabled-persons register (残联, feeds.md §6): certificate versions ordered
 * by `modifiedAt`, `modifiedAfter` exclusive, opaque page tokens naming the last item served,
 * `pageSize` clamped to 200. Records are served exactly as generated.
 */
import { join } from 'node:path';
import { parseInstant } from './civilAffairsRegistry';
import { OrderedFeed } from './orderedFeed';
import { RecordStore } from './recordStore';
import { BadRequest, errorReply, json, type RunningRegistry, type ServerOptions, startRegistryServer, wholeParam } from './registryServer';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 200;

export interface TimedEntry {
  record: object;
  /** epoch milliseconds of the record's modifiedAt */
  at: number;
}

/** The register's certificate versions, taken while a population is generated, then sorted once. */
export class DisabilityData {
  readonly persons: OrderedFeed;
  private readonly store: RecordStore;

  constructor(spoolDir: string | null = null) {
    this.store = new RecordStore(spoolDir === null ? null : join(spoolDir, 'disability-persons.jsonl'));
    this.persons = new OrderedFeed(this.store);
  }

  add(entry: TimedEntry): void {
    this.persons.add(entry.at, JSON.stringify(entry.record));
  }

  seal(): void {
    this.persons.seal();
  }

  /** Certificate versions that arrive after the register was sorted (the register's next day). */
  addLater(entries: readonly TimedEntry[]): void {
    this.persons.insert(entries.map((entry) => ({ key: entry.at, json: JSON.stringify(entry.record) })));
  }

  dispose(): void {
    this.store.dispose();
  }
}

export interface DisabilityRegistryOptions extends ServerOptions {
  data?: DisabilityData;
  persons?: Iterable<TimedEntry>;
}

/** A token names the last item served, by its instant and generation order, not by an offset. */
function tokenFor(feed: OrderedFeed, position: number): string {
  return Buffer.from(JSON.stringify([1, 'persons', feed.keyAt(position), feed.orderAt(position)]), 'utf8').toString('base64url');
}

function positionAfter(feed: OrderedFeed, token: string): number {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequest('malformed pageToken');
  }
  if (!Array.isArray(decoded) || decoded.length !== 4 || decoded[0] !== 1 || decoded[1] !== 'persons' || typeof decoded[2] !== 'number' || !Number.isInteger(decoded[3])) {
    throw new BadRequest('unknown pageToken');
  }
  const position = feed.positionOf(decoded[2], decoded[3]);
  if (position < 0) throw new BadRequest('unknown pageToken');
  return position + 1;
}

export async function startDisabilityRegistry(opts: DisabilityRegistryOptions): Promise<RunningRegistry> {
  let data = opts.data;
  if (!data) {
    data = new DisabilityData();
    for (const entry of opts.persons ?? []) data.add(entry);
    data.seal();
  }
  const feed = data.persons;
  return startRegistryServer(({ method, url }) => {
    if (method !== 'GET' && method !== 'HEAD') return errorReply(405, 'only GET is supported');
    if (url.pathname.replace(/\/+$/, '') !== '/openapi/v1/persons') return errorReply(404, `no such endpoint: ${url.pathname}`);
    const pageSize = Math.min(wholeParam(url, 'pageSize', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    const afterText = url.searchParams.get('modifiedAfter');
    let start = 0;
    if (afterText !== null && afterText !== '') {
      const after = parseInstant(afterText);
      if (Number.isNaN(after)) throw new BadRequest('modifiedAfter must be an ISO-8601 instant');
      start = feed.firstFrom(after, true);
    }
    const token = url.searchParams.get('pageToken');
    if (token !== null && token !== '') start = Math.max(start, positionAfter(feed, token));
    const end = Math.min(start + pageSize, feed.size);
    const items = feed.slice(start, end);
    const next = end < feed.size && end > start ? JSON.stringify(tokenFor(feed, end - 1)) : 'null';
    return json(200, `{"items":[${items.join(',')}],"nextPageToken":${next}}`);
  }, opts);
}
