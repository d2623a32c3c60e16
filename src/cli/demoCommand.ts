import { connectors as catalogue } from '../../connectors';
import type { HubConfig } from '../config/config';
import { connectHubDatabase } from '../db/connect';
import { EXAMPLE_QUERY, startHub } from '../hub';
import type { Logger } from '../logging/logger';
import { startDemoRegistries } from '../simulator/demo';
import { syncConnectors } from './syncCommand';
import { untilSignal } from './main';
import { runRules } from '../rules/engine/runRules';
import { ruleCatalogue } from '../rules/catalogue';
import { todayInShanghai } from '../identity';
import { startDemoAccess } from '../auth/hubAccess';

/**
 * `npm start`: the simulated department registries on loopback, the hub pointed at them, a first
 * sync, then GraphQL — so a newcomer sees real-looking data in GraphiQL on a fresh clone.
 */
export async function runDemo(config: HubConfig, log: Logger): Promise<number> {
  const out = process.stdout;
  out.write('Starting the demo registries (a synthetic Weihai population)…\n');
  const registries = await startDemoRegistries({ seed: 1 });
  const demoConfig: HubConfig = {
    ...config,
    connectors: { 'civil-affairs': { source: registries.civilAffairs.url, schedule: '*/15 * * * *' } },
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
    await syncConnectors(database.db, demoConfig, catalogue, Object.keys(demoConfig.connectors), out, log);
    const rules = await runRules(database.db.pool, ruleCatalogue, { asOf: todayInShanghai(), city: demoConfig.city });
    out.write(`rules: ${rules.outcomes.reduce((n, o) => n + o.opened + o.stillOpen, 0)} findings open in ${rules.seconds.toFixed(1)} s\n`);
    const access = await startDemoAccess(database.db.pool, demoConfig.city);
    const hub = await startHub(demoConfig, log, { database, graphiql: { defaultQuery: EXAMPLE_QUERY, headers: access.headers } });
    out.write(
      `\nWeijiu Hub is running.\n  GraphiQL: ${hub.server.url}/graphiql (the demo token is already in its headers)\n  GraphQL:  POST ${hub.server.url}/graphql\n` +
        `  Demo OFFICE token (valid until the demo stops): ${access.token}\n\n` +
        `An example query (already in GraphiQL):\n\n${EXAMPLE_QUERY}\nCtrl-C stops the hub, its PostgreSQL and the demo registries.\n`,
    );
    await untilSignal();
    out.write('stopping…\n');
    await hub.close();
    await access.revoke();
  } finally {
    await database.close();
    await registries.close();
  }
  return 0;
}
