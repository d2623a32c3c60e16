/**
 * A stand-in for the economic-check oracle (家庭经济状况核对, feeds.md §7): `POST /hedui/v1/query`
 * with at most 200 ID numbers answers every fact it knows of each, in the order asked, and lists
 * the people it does not know as `missing`. More than 5 calls arriving within a second are
 * refused with HTTP 429 and `Retry-After` (refused calls count too: a client that does not wait
 * stays refused).
 */
import { join } from 'node:path';
import { FactIndex } from './factIndex';
import { RecordStore } from './recordStore';
import { BadRequest, errorReply, json, type RegistryRequest, type RunningRegistry, type ServerOptions, startRegistryServer } from './registryServer';

export const MAX_IDS_PER_CALL = 200;
export const MAX_CALLS_PER_SECOND = 5;

export interface KnownPersonLike {
  id: string;
  facts: object[];
}

/** The oracle's facts, taken person by person while a population is generated, then indexed once. */
export class EconomicData {
  readonly index: FactIndex;
  private readonly store: RecordStore;

  constructor(spoolDir: string | null = null) {
    this.store = new RecordStore(spoolDir === null ? null : join(spoolDir, 'economic-facts.jsonl'));
    this.index = new FactIndex(this.store);
  }

  add(person: KnownPersonLike): void {
    // The facts as a list, without its brackets: an answer joins several people's lists.
    this.index.add(person.id, JSON.stringify(person.facts).slice(1, -1));
  }

  seal(): void {
    this.index.seal();
  }

  dispose(): void {
    this.store.dispose();
  }
}

export interface EconomicCheckRegistryOptions extends ServerOptions {
  data?: EconomicData;
  people?: Iterable<KnownPersonLike>;
  /** calls a second before HTTP 429; default 5 */
  callsPerSecond?: number;
}

function idsOf(request: RegistryRequest): string[] {
  let body: unknown;
  try {
    body = JSON.parse((request.body ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    throw new BadRequest('the body must be JSON: { "sfzh": [...] }');
  }
  const ids = (body as { sfzh?: unknown } | null)?.sfzh;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new BadRequest('sfzh must be a list of ID numbers');
  if (ids.length > MAX_IDS_PER_CALL) throw new BadRequest(`at most ${MAX_IDS_PER_CALL} ID numbers per call, not ${ids.length}`);
  return ids as string[];
}

export async function startEconomicCheckRegistry(opts: EconomicCheckRegistryOptions): Promise<RunningRegistry> {
  let data = opts.data;
  if (!data) {
    data = new EconomicData();
    for (const person of opts.people ?? []) data.add(person);
    data.seal();
  }
  const index = data.index;
  const limit = opts.callsPerSecond ?? MAX_CALLS_PER_SECOND;
  let arrivals: number[] = [];
  return startRegistryServer(
    (request) => {
      if (request.url.pathname.replace(/\/+$/, '') !== '/hedui/v1/query') return errorReply(404, `no such endpoint: ${request.url.pathname}`);
      if (request.method !== 'POST') return errorReply(405, 'only POST is supported');
      const found: string[] = [];
      const missing: string[] = [];
      for (const id of idsOf(request)) {
        const facts = index.find(id.trim().toUpperCase());
        if (facts === null) missing.push(id);
        else if (facts !== '') found.push(facts);
      }
      return json(200, `{"results":[${found.join(',')}],"missing":${JSON.stringify(missing)}}`);
    },
    {
      ...opts,
      admit: ({ at }) => {
        arrivals = arrivals.filter((t) => t > at - 1000);
        arrivals.push(at);
        return arrivals.length > limit ? errorReply(429, 'too many requests: at most 5 calls a second', { 'retry-after': '1' }) : null;
      },
    },
  );
}
