import { fetchJson, type HttpOptions } from '../../src/ingest/httpClient';
import { CallPacer } from './callPacer';
import { answerContract, MAX_CALLS_PER_SECOND, MAX_IDS_PER_CALL, type OracleAnswer } from './contract';

/**
 * Asking the oracle about many people: batches of at most 200 ID numbers, every call (retries
 * included) paced to the registry's 5 a second, a few calls in flight so that the time of one
 * answer overlaps the next — answers come back in the order asked.
 */

/** One pacer per registry for the whole process: the nightly run and a one-click check share the registry's rate. */
const pacers = new Map<string, CallPacer>();

export function pacerFor(base: string): CallPacer {
  const origin = new URL(base).origin;
  let pacer = pacers.get(origin);
  if (!pacer) pacers.set(origin, (pacer = new CallPacer(MAX_CALLS_PER_SECOND)));
  return pacer;
}

/** Splits ID numbers into the oracle's batches. */
export function batchesOf<T>(items: readonly T[], size = MAX_IDS_PER_CALL): T[][] {
  const n = Math.max(1, Math.min(size, MAX_IDS_PER_CALL));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

export async function askOracle(base: string, ids: readonly string[], http: HttpOptions = {}): Promise<OracleAnswer> {
  if (ids.length > MAX_IDS_PER_CALL) throw new Error(`economic-check: at most ${MAX_IDS_PER_CALL} ID numbers per call, not ${ids.length}`);
  const pacer = pacerFor(base);
  const call = await pacer.take(http.signal);
  const url = new URL('/hedui/v1/query', base).toString();
  let body: unknown;
  try {
    body = await fetchJson<unknown>(url, { method: 'POST', body: { sfzh: ids } }, {
      ...http,
      onRetry: (info) => {
        if (info.reason.includes('429')) pacer.pause(Date.now() + info.delayMs);
        call.retried();
        http.onRetry?.(info);
      },
    });
  } finally {
    call.done();
  }
  const parsed = answerContract.safeParse(body);
  if (!parsed.success) throw new Error(`${new URL(url).pathname}: the response is not { results: [...], missing: [...] }`);
  return parsed.data;
}

/** The answers to each batch, in order, with up to `inFlight` calls under way at once. */
export async function* askInBatches(
  base: string,
  batches: readonly (readonly string[])[],
  opts: { http?: HttpOptions; inFlight?: number } = {},
): AsyncGenerator<OracleAnswer> {
  const inFlight = Math.max(1, opts.inFlight ?? 3);
  const pending: Promise<OracleAnswer>[] = [];
  let next = 0;
  const launch = () => {
    const p = askOracle(base, batches[next++], opts.http);
    // awaited below in order; this only keeps an early failure from counting as unhandled
    p.catch(() => undefined);
    pending.push(p);
  };
  while (next < batches.length && pending.length < inFlight) launch();
  while (pending.length) {
    const answer = await pending.shift()!;
    if (next < batches.length) launch();
    yield answer;
  }
}
