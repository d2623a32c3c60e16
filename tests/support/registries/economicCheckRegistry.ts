/**
 * A stand-in for the economic-check oracle (家庭经济状况核对, feeds.md §7): `POST /hedui/v1/query`
 * with at most 200 ID numbers answers every fact it knows of them and lists the others as
 * `missing`; more than 5 calls within a second are refused with HTTP 429, `Retry-After: 1`.
 */
import { BadRequest, startJsonRegistry, type FaultOptions, type RunningRegistry } from './jsonRegistry';

export interface EconomicCheckRegistryOptions extends FaultOptions {
  facts: object[];
}

const MAX_IDS = 200;
const MAX_CALLS_PER_SECOND = 5;

export function startEconomicCheckRegistry(opts: EconomicCheckRegistryOptions): Promise<RunningRegistry> {
  const byId = new Map<string, object[]>();
  for (const f of opts.facts) {
    const id = String((f as { sfzh?: unknown }).sfzh ?? '').trim().toUpperCase();
    const list = byId.get(id);
    if (list) list.push(f);
    else byId.set(id, [f]);
  }
  let arrivals: number[] = [];
  return startJsonRegistry(
    ({ url, body }) => {
      if (url.pathname !== '/hedui/v1/query') return { status: 404, body: { error: `no such endpoint: ${url.pathname}` } };
      const ids = (body as { sfzh?: unknown } | undefined)?.sfzh;
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new BadRequest('sfzh must be a list of ID numbers');
      if (ids.length > MAX_IDS) throw new BadRequest(`at most ${MAX_IDS} ID numbers per call`);
      const results: object[] = [];
      const missing: string[] = [];
      for (const id of ids as string[]) {
        const known = byId.get(id.trim().toUpperCase());
        if (known) results.push(...known);
        else missing.push(id);
      }
      return { status: 200, body: { results, missing } };
    },
    {
      ...opts,
      // every call counts, refused ones too: a client that ignores Retry-After stays refused
      admit: ({ method, at }) => {
        if (method !== 'POST') return { status: 405, body: { error: 'only POST is supported' } };
        arrivals = arrivals.filter((t) => t > at - 1000);
        arrivals.push(at);
        return arrivals.length > MAX_CALLS_PER_SECOND
          ? { status: 429, body: { error: 'too many requests' }, headers: { 'retry-after': '1' } }
          : null;
      },
    },
  );
}
