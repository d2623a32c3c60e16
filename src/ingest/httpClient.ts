import { deliveredPage, type DeliveredPageOf } from './deliveredContent';

/**
 * Fetching from department APIs the way real government endpoints need it: a time-out per
 * request, retries with exponential back-off and full jitter on 5xx and network errors, and
 * HTTP 429 honoured with its Retry-After. A 4xx other than 429 is the caller's mistake: no retry.
 */
export interface HttpOptions {
  timeoutMs?: number;
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** told about each retry, for progress lines and logs */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly url: string,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * What an unexpected answer was, for a sync run's error and the log, without quoting it: a
 * registry's body can hold people's names and ID numbers in any spelling, and a run's error is
 * read by operators who may see neither. A registry's own `error`/`message` field is quoted, short.
 */
function describeBody(text: string, contentType: string | null): string {
  const shape = `${contentType?.split(';')[0]?.trim() || 'no content type'}, ${Buffer.byteLength(text)} bytes`;
  let said: unknown;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    said = body && typeof body === 'object' ? (body.error ?? body.message ?? body.msg) : undefined;
  } catch {
    return shape;
  }
  return typeof said === 'string' && said.trim() ? `${shape}: "${said.trim().slice(0, 120)}"` : shape;
}

export function fetchJson<T>(url: string, init: { method?: string; body?: unknown } = {}, opts: HttpOptions = {}): Promise<T> {
  return fetchParsed(url, init, opts, (bytes) => JSON.parse(bytes.toString('utf8')) as T);
}

/**
 * A page of records as delivered: its body parsed, the page's bytes kept and each element of its
 * `key` array marked with its bytes in the page (./deliveredContent.ts). `address` names a page
 * whose request is its identity (page/size pagination), null otherwise.
 */
export function fetchPage<T>(url: string, key: string, address: string | null, opts: HttpOptions = {}): Promise<{ body: T; page: DeliveredPageOf }> {
  const u = new URL(url);
  return fetchParsed(url, {}, opts, (bytes) => deliveredPage<T>(bytes, key, `${u.pathname}${u.search}`, address));
}

async function fetchParsed<T>(url: string, init: { method?: string; body?: unknown }, opts: HttpOptions, parse: (bytes: Buffer) => T): Promise<T> {
  const retries = opts.retries ?? 5;
  const base = opts.baseDelayMs ?? 200;
  const max = opts.maxDelayMs ?? 10_000;
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let delay: number | null = null;
    try {
      const res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.any([AbortSignal.timeout(opts.timeoutMs ?? 30_000), ...(opts.signal ? [opts.signal] : [])]),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      // decoded again only to say what a refused answer was (a page is decoded once where it is parsed)
      const text = () => bytes.toString('utf8');
      if (res.ok) {
        try {
          return parse(bytes);
        } catch {
          // An HTML error page with status 200 is a broken response, not data: do not retry it blindly forever.
          reason = `not JSON (${describeBody(text(), res.headers.get('content-type'))})`;
          if (attempt >= Math.min(retries, 2)) throw new HttpError(`${url}: the response is ${reason}`, res.status, url);
        }
      } else if (res.status === 429) {
        reason = 'HTTP 429 rate limited';
        delay = retryAfterMs(res.headers.get('retry-after'));
      } else if (res.status >= 500) {
        reason = `HTTP ${res.status}`;
      } else {
        throw new HttpError(`${url}: HTTP ${res.status} (${describeBody(text(), res.headers.get('content-type'))})`, res.status, url);
      }
    } catch (e) {
      if (e instanceof HttpError) throw e;
      if (opts.signal?.aborted) throw opts.signal.reason ?? e;
      reason = (e as Error).name === 'TimeoutError' ? 'timed out' : `network error: ${(e as Error).message}`;
    }
    if (attempt >= retries) throw new HttpError(`${url}: gave up after ${attempt + 1} attempts (${reason})`, null, url);
    const backoff = Math.min(max, base * 2 ** attempt);
    const wait = delay ?? Math.round(Math.random() * backoff);
    opts.onRetry?.({ url, attempt: attempt + 1, delayMs: wait, reason });
    await sleep(wait, opts.signal);
  }
}
