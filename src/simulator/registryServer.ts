/**
 * The HTTP side every registry simulator shares: a loopback server that answers JSON, counts
 * the requests it received and, for resilience tests, fails a share of them with HTTP 500,
 * answers a share slowly, or leaves a share hanging — each chosen by its own seeded stream, so
 * a run can be repeated request for request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Random, streamSeed } from './random';

export class BadRequest extends Error {}

export interface FaultOptions {
  /** share of requests answered with HTTP 500; default 0 */
  failureRate?: number;
  /** share of requests answered only after `slowMs`; default 0 */
  slowRate?: number;
  /** how long a slow request waits; default 2000 ms */
  slowMs?: number;
  /** share of requests never answered (the connection is dropped after `hangMs`, or at close); default 0 */
  hangRate?: number;
  /** how long a hanging request is held before its connection is dropped; default 120,000 ms */
  hangMs?: number;
  /** seeds which requests fail, slow down or hang; default 0 */
  seed?: number;
}

/** One request as a test sees it: when it came, what it asked, how it was answered. */
export interface LoggedRequest {
  /** arrival, epoch milliseconds */
  at: number;
  method: string;
  /** path and query string */
  url: string;
  /** the status answered, 'hung' for a request left hanging, 0 while unanswered */
  status: number | 'hung';
  /** the body, parsed when it is JSON */
  body?: unknown;
}

export interface ServerOptions extends FaultOptions {
  /** 0 (default) lets the system pick a free port */
  port?: number;
  host?: '127.0.0.1';
  /** keep every request in `log` (tests); off by default, so that a long simulation holds no history */
  logRequests?: boolean;
}

export interface RegistryRequest {
  method: string;
  url: URL;
  /** the request body (POST), else null */
  body: Buffer | null;
  /** arrival, epoch milliseconds */
  at: number;
}

export interface RegistryReply {
  status: number;
  /** JSON text */
  body: string;
  headers?: Record<string, string>;
}

export type Handler = (request: RegistryRequest) => RegistryReply;

export interface RunningRegistry {
  url: string;
  port: number;
  close(): Promise<void>;
  /** requests received so far (failed ones included) */
  readonly requests: number;
  /** every request received, in order of arrival, when started with `logRequests` (else empty) */
  readonly log: readonly LoggedRequest[];
}

const MAX_BODY_BYTES = 1 << 20;

export function json(status: number, body: string, headers?: Record<string, string>): RegistryReply {
  return { status, body, headers };
}

export function errorReply(status: number, message: string, headers?: Record<string, string>): RegistryReply {
  return { status, body: JSON.stringify({ error: message }), headers };
}

function send(response: ServerResponse, reply: RegistryReply): void {
  if (response.destroyed) return;
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(reply.body),
    ...reply.headers,
  });
  response.end(reply.body);
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(length > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Starts a registry on 127.0.0.1. `admit` sees every request first (a rate limit counts arrivals,
 * refused ones too) and may answer it itself; then a request may fail, hang or be slowed; then
 * `handle` answers it. A handler's BadRequest is HTTP 400.
 */
export async function startRegistryServer(handle: Handler, opts: ServerOptions & { admit?: (request: RegistryRequest) => RegistryReply | null }): Promise<RunningRegistry> {
  const seed = opts.seed ?? 0;
  const failureRate = opts.failureRate ?? 0;
  const slowRate = opts.slowRate ?? 0;
  const hangRate = opts.hangRate ?? 0;
  const failures = new Random(streamSeed(seed, 0x500));
  const slowness = new Random(streamSeed(seed, 0x510));
  const hangs = new Random(streamSeed(seed, 0x520));
  const timers = new Set<NodeJS.Timeout>();
  const log: LoggedRequest[] = [];
  let requests = 0;

  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const answer = (request: RegistryRequest, response: ServerResponse, entry: LoggedRequest | null): void => {
    let reply: RegistryReply;
    try {
      reply = handle(request);
    } catch (error) {
      reply = error instanceof BadRequest ? errorReply(400, error.message) : errorReply(500, 'internal error');
    }
    if (entry) entry.status = reply.status;
    send(response, reply);
  };

  const server = createServer((incoming, response) => {
    requests += 1;
    const at = Date.now();
    // Each stream is drawn only when its rate is set, so adding one kind of fault leaves the others' choices as they were.
    const fail = failureRate > 0 && failures.next() < failureRate;
    const hang = !fail && hangRate > 0 && hangs.next() < hangRate;
    const slow = !fail && !hang && slowRate > 0 && slowness.next() < slowRate;
    const entry: LoggedRequest | null = opts.logRequests ? { at, method: incoming.method ?? 'GET', url: incoming.url ?? '/', status: 0 } : null;
    if (entry) log.push(entry);
    const reply = (r: RegistryReply): void => {
      if (entry) entry.status = r.status;
      send(response, r);
    };
    readBody(incoming).then(
      (body) => {
        const request: RegistryRequest = { method: incoming.method ?? 'GET', url: new URL(incoming.url ?? '/', 'http://registry.invalid'), body, at };
        if (entry && body && body.length) entry.body = parsedOrText(body);
        const refused = opts.admit?.(request);
        if (refused) return reply(refused);
        if (fail) return reply(errorReply(500, 'simulated failure'));
        if (hang) {
          if (entry) entry.status = 'hung';
          return later(opts.hangMs ?? 120_000, () => incoming.socket.destroy());
        }
        if (body === null) return reply(errorReply(413, 'request body too large'));
        if (slow) return later(opts.slowMs ?? 2000, () => answer(request, response, entry));
        answer(request, response, entry);
      },
      () => response.destroy(),
    );
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    get requests() {
      return requests;
    },
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive and hanging connections would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

function parsedOrText(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A whole number query parameter, or the default when absent; BadRequest when malformed or below `min`. */
export function wholeParam(url: URL, name: string, fallback: number, min = 1): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new BadRequest(`${name} must be a whole number of at least ${min}`);
  return Number(text);
}
