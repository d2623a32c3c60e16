/**
 * A loopback front for a registry: passes every request on to it, after a delay (a slow
 * department, so that a sync lasts long enough to be interrupted), and can leave a share of the
 * requests hanging until their connection is dropped (a registry behind a stuck gateway).
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryFrontOptions {
  /** milliseconds before each request is passed on; default 0 */
  delayMs?: number;
  /** share of requests left hanging; default 0 */
  hangRate?: number;
  /** how long a hanging request is held before its connection is dropped; default 5 s */
  hangMs?: number;
  seed?: number;
}

export interface RegistryFront {
  url: string;
  /** requests received so far */
  requests(): number;
  /** requests left hanging */
  hung(): number;
  /** HTTP 500 answers of the registry passed on */
  passedOn500s(): number;
  close(): Promise<void>;
}

/** mulberry32, as the registries use, so that a run can be repeated */
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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startRegistryFront(target: string, opts: RegistryFrontOptions = {}): Promise<RegistryFront> {
  const upstream = new URL(target);
  const random = seeded(opts.seed ?? 1);
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;
  let hung = 0;
  let http500 = 0;
  const later = (ms: number, run: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      run();
    }, ms);
    timers.add(t);
  };

  const server = createServer(async (req, res) => {
    requests++;
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    if ((opts.hangRate ?? 0) > 0 && random() < opts.hangRate!) {
      hung++;
      later(opts.hangMs ?? 5000, () => req.socket.destroy());
      return;
    }
    later(opts.delayMs ?? 0, () => {
      // the client may have given up (a time-out, a stopped sync) while the request waited
      if (req.socket.destroyed) return;
      const forwarded = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          if (answer.statusCode === 500) http500++;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on('error', () => req.socket.destroy());
      forwarded.end(body);
    });
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
    requests: () => requests,
    hung: () => hung,
    passedOn500s: () => http500,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
