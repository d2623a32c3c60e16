/**
 * The HTTP side shared by the test stand-ins of the department registries: a loopback server that
 * logs every request, and, for resilience tests, fails a share of them — answered HTTP 500 or left
 * hanging past the client's time-out — chosen by a seeded generator so a run can be repeated.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultOptions {
  /** share of requests answered 500 or left hanging (half each); default 0 */
  faultRate?: number;
  /** seeds which requests fail; default 1 */
  seed?: number;
  /** how long a hanging request is held before its connection is dropped; default 5 s */
  hangMs?: number;
}

export interface LoggedRequest {
  /** arrival, epoch milliseconds */
  at: number;
  method: string;
  url: string;
  /** the status answered, or 'hung' */
  status: number | 'hung';
  body?: unknown;
}

export interface RegistryReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RegistryRequest {
  method: string;
  url: URL;
  body: unknown;
  at: number;
}

export interface RunningRegistry {
  url: string;
  port: number;
  /** every request received, in order of arrival */
  readonly log: readonly LoggedRequest[];
  close(): Promise<void>;
}

export class BadRequest extends Error {}

/** mulberry32: a small seeded generator, enough to pick which requests fail */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: RegistryReply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  response.end(text);
}

/**
 * @param admit runs first for every request (a rate limit): a reply here is sent as it is
 * @param handle answers a request that passed admission and was not picked to fail
 */
export async function startJsonRegistry(
  handle: (request: RegistryRequest) => RegistryReply,
  opts: FaultOptions & { admit?: (request: RegistryRequest) => RegistryReply | null } = {},
): Promise<RunningRegistry> {
  const log: LoggedRequest[] = [];
  const faultRate = opts.faultRate ?? 0;
  const random = seeded(opts.seed ?? 1);
  const hangMs = opts.hangMs ?? 5000;
  const hanging = new Set<NodeJS.Timeout>();

  const server = createServer(async (request, response) => {
    const at = Date.now();
    const entry: LoggedRequest = { at, method: request.method ?? 'GET', url: request.url ?? '/', status: 0 };
    log.push(entry);
    let text = '';
    try {
      text = await readBody(request);
    } catch {
      return;
    }
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        entry.status = 400;
        return send(response, { status: 400, body: { error: 'the body is not JSON' } });
      }
    }
    entry.body = body;
    const req: RegistryRequest = { method: entry.method, url: new URL(entry.url, 'http://registry.invalid'), body, at };
    const admitted = opts.admit?.(req);
    if (admitted) {
      entry.status = admitted.status;
      return send(response, admitted);
    }
    if (faultRate > 0 && random() < faultRate) {
      if (random() < 0.5) {
        entry.status = 500;
        return send(response, { status: 500, body: '<html><body>500 Internal Server Error</body></html>' });
      }
      entry.status = 'hung';
      const t = setTimeout(() => {
        hanging.delete(t);
        request.socket.destroy();
      }, hangMs);
      hanging.add(t);
      return;
    }
    let reply: RegistryReply;
    try {
      reply = handle(req);
    } catch (e) {
      reply = e instanceof BadRequest ? { status: 400, body: { error: e.message } } : { status: 500, body: { error: 'internal error' } };
    }
    entry.status = reply.status;
    send(response, reply);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of hanging) clearTimeout(t);
        hanging.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // keep-alive and hanging connections would hold close() open
        server.closeAllConnections();
      }),
  };
}

/** A whole number query parameter: `fallback` when absent, BadRequest when not a whole number ≥ `min`. */
export function wholeParam(url: URL, name: string, fallback: number, min = 1): number {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new BadRequest(`${name} must be a whole number ≥ ${min}`);
  return Number(v);
}
