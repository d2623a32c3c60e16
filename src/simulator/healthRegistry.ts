/**
 * A stand-in for the health registry (卫健委 / 医保局, feeds.md §3): hospital settlements by year
 * and medical death certificates since a date, with page/size pagination (`size` clamped to
 * 1000) and the total. A death registered late is served only once the registry's clock has
 * reached its registration day, if a clock is set.
 */
import { join } from 'node:path';
import { dayFromIsoDate, isoDate, yearOf } from './calendar';
import { OrderedFeed } from './orderedFeed';
import { RecordStore } from './recordStore';
import { BadRequest, errorReply, json, type RegistryReply, type RunningRegistry, type ServerOptions, startRegistryServer, wholeParam } from './registryServer';

const DEFAULT_SIZE = 100;
const MAX_SIZE = 1000;

export interface DatedEntry {
  record: object;
  /** the day the record is filtered and ordered by (a settlement's or a death's clean date) */
  day: number;
}

export interface DeathEntryLike extends DatedEntry {
  /** the day the certificate reached the registry; absent: the day of death */
  registeredOn?: number;
}

/** The health registry's records, taken one by one while a population is generated, then sorted once. */
export class HealthData {
  private readonly settlementFeeds = new Map<number, OrderedFeed>();
  readonly deaths: OrderedFeed;
  private readonly registeredOn: number[] = [];
  private readonly stores: RecordStore[] = [];

  /** @param spoolDir a folder to keep the records in; null keeps them in memory */
  constructor(private readonly spoolDir: string | null = null) {
    this.deaths = new OrderedFeed(this.store('deaths'));
  }

  private store(name: string): RecordStore {
    const store = new RecordStore(this.spoolDir === null ? null : join(this.spoolDir, `health-${name}.jsonl`));
    this.stores.push(store);
    return store;
  }

  addSettlement(entry: DatedEntry): void {
    const year = yearOf(entry.day);
    let feed = this.settlementFeeds.get(year);
    if (!feed) this.settlementFeeds.set(year, (feed = new OrderedFeed(this.store(`settlements-${year}`))));
    feed.add(entry.day, JSON.stringify(entry.record));
  }

  addDeath(entry: DeathEntryLike): void {
    this.deaths.add(entry.day, JSON.stringify(entry.record));
    this.registeredOn.push(entry.registeredOn ?? entry.day);
  }

  seal(): void {
    for (const feed of this.settlementFeeds.values()) feed.seal();
    this.deaths.seal();
  }

  /** Settlements that arrive after the feeds were sorted (the registry's next day); a new year gets a feed of its own. */
  addSettlementsLater(entries: readonly DatedEntry[]): void {
    const byYear = new Map<number, DatedEntry[]>();
    for (const entry of entries) {
      const year = yearOf(entry.day);
      const list = byYear.get(year);
      if (list) list.push(entry);
      else byYear.set(year, [entry]);
    }
    for (const [year, list] of byYear) {
      const feed = this.settlementFeeds.get(year);
      if (feed) {
        feed.insert(list.map((entry) => ({ key: entry.day, json: JSON.stringify(entry.record) })));
        continue;
      }
      const fresh = new OrderedFeed(this.store(`settlements-${year}`));
      for (const entry of list) fresh.add(entry.day, JSON.stringify(entry.record));
      fresh.seal();
      this.settlementFeeds.set(year, fresh);
    }
  }

  /** Death certificates that arrive after the feeds were sorted. */
  addDeathsLater(entries: readonly DeathEntryLike[]): void {
    const orders = this.deaths.insert(entries.map((entry) => ({ key: entry.day, json: JSON.stringify(entry.record) })));
    orders.forEach((order, i) => (this.registeredOn[order] = entries[i].registeredOn ?? entries[i].day));
  }

  /** The years that have settlements, ascending. */
  settlementYears(): number[] {
    return [...this.settlementFeeds.keys()].sort((a, b) => a - b);
  }

  settlements(year: number): OrderedFeed | undefined {
    return this.settlementFeeds.get(year);
  }

  registrationOf(order: number): number {
    return this.registeredOn[order];
  }

  dispose(): void {
    for (const store of this.stores) store.dispose();
  }
}

export interface HealthRegistryOptions extends ServerOptions {
  /** the records, already gathered and sealed */
  data?: HealthData;
  /** or the records as lists (each sealed at start) */
  settlements?: Iterable<DatedEntry>;
  deaths?: Iterable<DeathEntryLike>;
  /** serve only deaths registered on or before this day (`YYYY-MM-DD`); default: every death */
  clock?: string | null;
}

export interface RunningHealthRegistry extends RunningRegistry {
  /** Moves the registry's clock: deaths registered after it are not served yet (null: all). */
  setClock(day: string | null): void;
}

function page(total: number, pageNumber: number, rows: string[]): RegistryReply {
  return json(200, `{"total":${total},"page":${pageNumber},"rows":[${rows.join(',')}]}`);
}

export async function startHealthRegistry(opts: HealthRegistryOptions): Promise<RunningHealthRegistry> {
  let data = opts.data;
  if (!data) {
    data = new HealthData();
    for (const entry of opts.settlements ?? []) data.addSettlement(entry);
    for (const entry of opts.deaths ?? []) data.addDeath(entry);
    data.seal();
  }
  const health = data;
  let clock = opts.clock ? dayFromIsoDate(opts.clock) : null;

  const registry = await startRegistryServer(({ method, url }) => {
    if (method !== 'GET' && method !== 'HEAD') return errorReply(405, 'only GET is supported');
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== '/v2/medical/settlements' && path !== '/v2/deaths') return errorReply(404, `no such endpoint: ${url.pathname}`);
    const pageNumber = wholeParam(url, 'page', 1);
    const size = Math.min(wholeParam(url, 'size', DEFAULT_SIZE), MAX_SIZE);
    const from = (pageNumber - 1) * size;

    if (path === '/v2/medical/settlements') {
      const year = url.searchParams.get('year') ?? '';
      if (!/^\d{4}$/.test(year)) throw new BadRequest('year must be YYYY');
      const feed = health.settlements(Number(year));
      if (!feed) return page(0, pageNumber, []);
      return page(feed.size, pageNumber, feed.slice(from, from + size));
    }

    const sinceText = url.searchParams.get('since');
    let since = 0;
    if (sinceText !== null && sinceText !== '') {
      // A real calendar day: 2025-02-30 would otherwise roll into March.
      if (!/^\d{4}-\d{2}-\d{2}$/.test(sinceText) || isoDate(dayFromIsoDate(sinceText)) !== sinceText) throw new BadRequest('since must be a YYYY-MM-DD date');
      since = dayFromIsoDate(sinceText);
    }
    const deaths = health.deaths;
    const first = sinceText ? deaths.firstFrom(since) : 0;
    if (clock === null) return page(deaths.size - first, pageNumber, deaths.slice(first + from, first + from + size));
    const visible: number[] = [];
    for (let p = first; p < deaths.size; p++) if (health.registrationOf(deaths.orderAt(p)) <= clock) visible.push(p);
    return page(visible.length, pageNumber, visible.slice(from, from + size).map((p) => deaths.json(p)));
  }, opts);

  return Object.assign(registry, {
    setClock(day: string | null) {
      clock = day ? dayFromIsoDate(day) : null;
    },
  });
}
