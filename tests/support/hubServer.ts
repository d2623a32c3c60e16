import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startHub, type Hub } from '../../src/hub';
import type { Database } from '../../src/db/database';

/** The hub's real HTTP server on 127.0.0.1 over a test database. */
export async function startTestHub(db: Database): Promise<Hub & { graphql(query: string, variables?: object): Promise<any> }> {
  const config = loadConfig({ env: {}, overrides: { port: 0, databaseUrl: db.url } });
  const log = createLogger({ level: 'silent' });
  const hub = await startHub(config, log, { database: { db, embedded: null, close: async () => undefined } });
  return Object.assign(hub, {
    async graphql(query: string, variables?: object) {
      const res = await fetch(`${hub.server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    },
  });
}
