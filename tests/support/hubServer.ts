import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectors } from '../../connectors';
import { loadConfig } from '../../src/config/config';
import { createLogger, type Logger } from '../../src/logging/logger';
import { startHub, type Hub } from '../../src/hub';
import type { Database } from '../../src/db/database';
import { issueToken, type TokenRequest } from '../../src/auth/tokenStore';

export interface TestHub extends Hub {
  /** the hub's own address: requests reach it exactly as sent */
  directUrl: string;
  /** an OFFICE token labelled "local" */
  officeToken: string;
  /** POST /graphql as the office */
  graphql(query: string, variables?: object): Promise<any>;
  /** POST /graphql with this token (null: none) and these extra headers */
  graphqlAs(token: string | null, query: string, variables?: object, headers?: Record<string, string>): Promise<any>;
  /** a token of the hub's database for another role */
  tokenFor(request: TokenRequest): Promise<string>;
}

/**
 * The hub's real HTTP server on 127.0.0.1 over a test database, with an OFFICE token. Tests
 * written before tokens existed post to `hub.server.url` with no Authorization header: that
 * address is a loopback relay that adds the office token to requests carrying none. Tests of
 * access control use `directUrl`.
 */
export async function startTestHub(db: Database, opts: { log?: Logger; planRequests?: boolean } = {}): Promise<TestHub> {
  const config = loadConfig({ env: {}, overrides: { port: 0, databaseUrl: db.url } });
  if (opts.planRequests !== undefined) config.database = { ...config.database, planRequests: opts.planRequests };
  const log = opts.log ?? createLogger({ level: 'silent' });
  const hub = await startHub(config, log, { database: { db, embedded: null, close: async () => undefined } });
  const departments = Object.keys(connectors);
  const tokenFor = async (request: TokenRequest) => (await issueToken(db.pool, config.city, departments, request)).token;
  const officeToken = await tokenFor({ role: 'OFFICE', label: 'local' });
  const relay = await startRelay(hub.server.url, officeToken);
  const directUrl = hub.server.url;

  const graphqlAs = async (token: string | null, query: string, variables?: object, headers: Record<string, string> = {}) => {
    const res = await fetch(`${directUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  };
  const closeHub = hub.close.bind(hub);
  return Object.assign(hub, {
    server: { ...hub.server, url: relay.url },
    directUrl,
    officeToken,
    tokenFor,
    graphqlAs,
    graphql: (query: string, variables?: object) => graphqlAs(officeToken, query, variables),
    async close() {
      await relay.close();
      await closeHub();
    },
  });
}

function startRelay(target: string, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: to.host };
    if (!headers.authorization) headers.authorization = `Bearer ${token}`;
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
