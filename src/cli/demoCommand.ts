import type { Pool } from 'pg';
import { connectors as catalogue } from '../../connectors';
import { DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL_BATCHES, type HubConfig } from '../config/config';
import { connectHubDatabase } from '../db/connect';
import { EXAMPLE_QUERY, startHub } from '../hub';
import type { Logger } from '../logging/logger';
import { startDemoRegistries } from '../simulator/demo';
import { syncConnectors } from './syncCommand';
import { untilSignal } from './untilSignal';
import { runRules } from '../rules/engine/runRules';
import { loadDemoScreenings } from '../rules/screening/demoLists';
import { ruleCatalogue } from '../rules/catalogue';
import { issueToken, revokeToken } from '../auth/tokenStore';

/** The demo's connectors apply records as a configured hub does: the defaults of the config file. */
function withIngestDefaults(connectors: HubConfig['connectors']): HubConfig['connectors'] {
  return Object.fromEntries(
    Object.entries(connectors).map(([name, c]) => [name, { batchSize: DEFAULT_BATCH_SIZE, parallelBatches: DEFAULT_PARALLEL_BATCHES, ...c }]),
  );
}

/**
 * The `npm start` demo's OFFICE token: valid one day and revoked when the demo stops, since the
 * demo's database is also the one `weijiu serve` uses when nothing else is configured.
 */
async function startDemoAccess(pool: Pool, city: string): Promise<{ token: string; headers: Record<string, string>; revoke(): Promise<void> }> {
  const issued = await issueToken(pool, city, [], { role: 'OFFICE', label: 'demo (npm start)', days: 1 });
  return {
    token: issued.token,
    headers: { Authorization: `Bearer ${issued.token}`, 'X-Purpose': 'demo' },
    async revoke() {
      await revokeToken(pool, issued.id);
    },
  };
}

/**
 * `npm start`: the simulated department registries on loopback, the hub pointed at them, a first
 * sync, then GraphQL — so a newcomer sees real-looking data in GraphiQL on a fresh clone.
 */
export async function runDemo(config: HubConfig, log: Logger): Promise<number> {
  const out = process.stdout;
  out.write('Starting the demo registries (a synthetic Weihai population)…\n');
  // A larger assisted share than the city's 2.7 % so that every department and rule shows up.
  const registries = await startDemoRegistries({ seed: 1, households: 2000, assistedShare: 0.3 });
  // Every department registry, each on a schedule; the economic check last (it reads the others' rolls).
  const demoConfig: HubConfig = {
    ...config,
    // the demo's own webhook receiver listens on the loopback (exchange.md: nothing is posted elsewhere)
    webhookHosts: [...(config.webhookHosts ?? []), '127.0.0.1:*'],
    connectors: withIngestDefaults({
      'civil-affairs': { source: registries.civilAffairs.url, schedule: '*/15 * * * *' },
      education: { source: registries.drops.education, schedule: '0 2 * * *' },
      health: { source: registries.health.url, schedule: '30 2 * * *', years: registries.years },
      housing: { source: registries.drops.housing, schedule: '0 3 * * *' },
      'poverty-relief': { source: registries.drops.poverty, schedule: '0 3 * * 1' },
      disability: { source: registries.disability.url, schedule: '0 * * * *' },
      'region-stats': { source: registries.drops.regionStats, schedule: '0 5 1 * *' },
      'economic-check': { source: registries.economicCheck.url, schedule: '0 4 * * *' },
    }),
  };
  let database;
  try {
    out.write('Starting PostgreSQL and migrating…\n');
    database = await connectHubDatabase(demoConfig, log);
  } catch (e) {
    await registries.close();
    throw e;
  }
  try {
    // The simulated registries describe the city as of their own date; the first sync and the rules use it.
    await syncConnectors(database.db, demoConfig, catalogue, Object.keys(demoConfig.connectors), out, log, undefined, registries.asOf);
    // The rules run while GraphiQL is already up: findings appear as soon as they are evaluated.
    const rules = runRules(database.db.pool, ruleCatalogue, { asOf: registries.asOf, city: demoConfig.city }).then(
      (run) => out.write(`rules as of ${registries.asOf}: ${run.outcomes.reduce((n, o) => n + o.opened + o.stillOpen, 0)} findings open (${run.seconds.toFixed(1)} s)\n`),
      (e) => log.error({ err: e }, 'rules failed'),
    );
    // two proposed lists, judged on arrival, so that `screenings` shows them at once (office.md "Screening")
    const lists = await loadDemoScreenings(database.db.pool, demoConfig.city, registries.asOf);
    out.write(`screenings loaded: ${lists.join(', ')} (query { screenings { edges { node { id title counts { verdict rows } } } } })\n`);
    const access = await startDemoAccess(database.db.pool, demoConfig.city);
    const hub = await startHub(demoConfig, log, { database, graphiql: { defaultQuery: EXAMPLE_QUERY, headers: access.headers } });
    out.write(
      `\nWeijiu Hub is running.\n  GraphiQL: ${hub.server.url}/graphiql (the demo token is already in its headers)\n  GraphQL:  POST ${hub.server.url}/graphql\n  Office page: ${hub.server.url}/office (sign in with the demo token)\n` +
        `  Demo OFFICE token (valid until the demo stops): ${access.token}\n\n` +
        `An example query (already in GraphiQL):\n\n${EXAMPLE_QUERY}\nCtrl-C stops the hub, its PostgreSQL and the demo registries.\n`,
    );
    // listening for Ctrl-C from here on: a stop during the day's sync below still stops PostgreSQL
    const stopped = untilSignal();
    // change notices: a receiver of the demo's own prints what the hub posts after the registries move on a day
    const receiver = await startDemoReceiver(out);
    await graphqlAs(hub.server.url, access.token, `mutation ($u: String!) { createSubscription(input: { url: $u }) { id } }`, { u: receiver.url });
    out.write(`Change notices: a webhook receiver of the demo's own listens at ${receiver.url} (subscribed with the demo token).\n`);
    await rules;
    const moved = await registries.advance();
    out.write(`\nThe simulated registries moved on to ${moved.asOf}; syncing again, and the receiver prints what the hub posts…\n`);
    const stopDay = new AbortController();
    void stopped.then(() => stopDay.abort());
    await syncConnectors(database.db, demoConfig, catalogue, Object.keys(demoConfig.connectors), out, log, stopDay.signal, registries.asOf).catch((e) =>
      log.error({ err: e }, 'the next day’s sync failed'),
    );
    await stopped;
    await receiver.close();
    out.write('stopping…\n');
    await rules;
    await hub.close();
    await access.revoke();
  } finally {
    await database.close();
    await registries.close();
  }
  return 0;
}

/** A loopback HTTP server printing the change notices the hub posts to it. */
async function startDemoReceiver(out: NodeJS.WritableStream): Promise<{ url: string; close(): Promise<void> }> {
  const http = await import('node:http');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const { events } = JSON.parse(body) as { events: Array<{ kind: string; effectiveOn: string | null; category: string | null; programme: string | null; regionCode: string | null }> };
        const byKind = new Map<string, number>();
        for (const e of events) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
        out.write(`webhook received ${events.length} events: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
      } catch {
        out.write('webhook received a body that is not JSON\n');
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/weijiu-events`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function graphqlAs(base: string, token: string, query: string, variables: object): Promise<void> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await res.json()) as { errors?: Array<{ message: string }> };
  if (answer.errors?.length) throw new Error(`demo subscription: ${answer.errors[0].message}`);
}
