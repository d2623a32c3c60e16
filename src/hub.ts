import type { Request } from 'express';
import type { HubConfig } from './config/config';
import { connectors as catalogue } from '../connectors';
import { connectHubDatabase, type HubDatabase } from './db/connect';
import { openApiPool } from './db/database';
import { createContext, type ApiContext, type HubServices } from './api/context';
import { hubSchema } from './api/schema';
import { admission } from './auth/admission';
import { auditPlugin } from './auth/auditPlugin';
import { AuditWriter } from './auth/auditWriter';
import { authenticate, declaredPurpose } from './auth/authenticate';
import { registeredOperationStore } from './auth/operationAllowList';
import { operationGate } from './auth/operationGate';
import { aliasLimitRule, depthLimitRule, QUERY_LIMITS } from './auth/queryLimits';
import { TokenRegistry } from './auth/tokenRegistry';
import type { HubLogger, Logger } from './logging/logger';
import { startHubServer, type HubAppOptions, type HubServer, type GraphiqlOptions } from './server/app';
import { HubMetrics } from './server/metrics';
import { screeningUpload, screeningUploadAudit } from './server/screeningUpload';
import { exportRoutes } from './server/exports/exportRoutes';
import { officePage } from './server/officePage';
import type { Viewer } from './auth/viewer';
import { createScreening, MAX_UPLOAD_ROWS } from './rules/screening/screenings';
import { startScheduler, type Scheduler } from './scheduler/scheduler';
import { startWebhookDeliverer, type DelivererClock, type WebhookDeliverer } from './server/webhookDeliverer';
import { runDailyChanges } from './rules/dailyChanges';
import cron from 'node-cron';
import { reevaluateAfterSync } from './rules/engine/reevaluation';
import { ruleCatalogue } from './rules/catalogue';
import { todayInShanghai } from './identity';

/**
 * The running hub: its database (embedded or external), the GraphQL server and, later, the
 * schedules. Everything `serve` and the demo start, and stop again in reverse order.
 */
export interface Hub {
  server: HubServer;
  database: HubDatabase;
  services: HubServices;
  scheduler: Scheduler | null;
  /** the change log's webhook deliverer (null when started without) */
  webhooks: WebhookDeliverer | null;
  close(): Promise<void>;
}

export const EXAMPLE_QUERY = `# Weijiu Hub — try Ctrl-Enter
query Overview {
  regions(parentCode: "3710") { code name }
  households(first: 5, filter: { programme: ["DB"] }) {
    totalCount
    edges {
      node {
        id
        region { name }
        members { relationCode person { name idNumber birthDate } }
        benefits { programmeCode amount periodStart periodEnd }
      }
    }
  }
  connectors { name lastRun { status read inserted quarantined } }
}
`;

/**
 * Access control as the hub's HTTP server takes it: the context built from the bearer token, the
 * operation gate and audit plugins, the query limits, and the registered operations as the
 * persisted-query store (docs/roles-and-tokens.md).
 */
function hubAccess(
  services: HubServices,
  log: HubLogger,
  tokens: TokenRegistry,
  audit: AuditWriter,
): Pick<HubAppOptions<ApiContext>, 'context' | 'plugins' | 'validationRules' | 'parseOptions' | 'persistedQueries'> {
  return {
    context: async (req: Request) => createContext(services, await authenticate(tokens, req), { purpose: declaredPurpose(req) }),
    plugins: [operationGate<ApiContext>(services.pool), admission<ApiContext>(services.pool, services.config.admission), auditPlugin<ApiContext>(audit, log)],
    validationRules: [depthLimitRule(), aliasLimitRule()],
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    persistedQueries: { cache: registeredOperationStore(services.pool) },
  };
}

/** What the GraphiQL page of `weijiu serve` opens with: where the token goes. */
const GRAPHIQL_HEADERS_TEMPLATE: Record<string, string> = {
  Authorization: 'Bearer PASTE-A-TOKEN-FROM-weijiu-token-create',
  'X-Purpose': '',
};

export async function startHub(
  config: HubConfig,
  log: Logger,
  opts: { graphiql?: GraphiqlOptions; database?: HubDatabase; schedules?: boolean; webhooks?: false | { clock?: DelivererClock; pollMs?: number } } = {},
): Promise<Hub> {
  const database = opts.database ?? (await connectHubDatabase(config, log));
  const catalogueInfo = Object.fromEntries(Object.values(catalogue).map((c) => [c.name, { department: c.department }]));
  // After each sync the rules are evaluated again as of today, so findings follow the data: for
  // what the syncs touched when that is little, else all of them. One run at a time — two would
  // wait on each other's findings — and syncs finishing meanwhile share the next run.
  let reevaluating: Promise<void> = Promise.resolve();
  let pending: Promise<void> | null = null;
  const reevaluate = (): Promise<void> => {
    pending ??= reevaluating.then(async () => {
      pending = null;
      const run = await reevaluateAfterSync(database.db.pool, ruleCatalogue, { asOf: todayInShanghai(), city: config.city });
      log.info(
        {
          run: run.runId,
          seconds: run.seconds,
          opened: run.outcomes.reduce((n, o) => n + o.opened, 0),
          cleared: run.outcomes.reduce((n, o) => n + o.cleared, 0),
          resolved: run.outcomes.reduce((n, o) => n + o.resolved, 0),
          scope: run.scope ? { households: run.scope.households.length, persons: run.scope.persons.length } : 'all',
        },
        'rules re-evaluated',
      );
      // a parameter row that does not conform was skipped (the next applicable row answered): say which
      for (const w of run.outcomes.flatMap((o) => o.warnings)) log.warn(w, 'rules: parameter row skipped, it does not conform to its definition');
    });
    reevaluating = pending.catch(() => undefined);
    return pending;
  };
  const scheduler = opts.schedules === false ? null : startScheduler(database.db, config, catalogue, log, reevaluate);
  // Two pools per process: the database's (SQL and the ORM alike; syncs, rule runs, writes) and
  // this small one API requests read through, every statement under a timeout (openApiPool).
  const apiPool = openApiPool(database.db, config.database);
  const services: HubServices = {
    config,
    pool: apiPool,
    orm: database.db.orm,
    catalogue: catalogueInfo,
    nextRunOf: (name) => scheduler?.nextRunOf(name) ?? null,
  };
  // the audit rows of concurrent requests, committed together (group commit)
  const audit = new AuditWriter(database.db.pool);
  let server: HubServer;
  let tokens: TokenRegistry | undefined;
  try {
    // the token table and signing keys, kept in memory and fresh (LISTEN/NOTIFY)
    tokens = await TokenRegistry.start(database.db.pool, log);
    const registry = tokens;
    const metrics = new HubMetrics({
      pool: database.db.pool,
      pools: { main: database.db.pool, api: apiPool },
      isAdmin: async (req) => (await authenticate(registry, req).catch(() => null))?.role === 'ADMIN',
      auditCounts: () => audit.counts(),
      log,
    });
    server = await startHubServer({
      schema: await hubSchema(),
      // Bearer tokens, roles, query limits and the audit trail (docs/roles-and-tokens.md).
      ...hubAccess(services, log, tokens, audit),
      metrics,
      // POST /api/screenings: a proposed list uploaded as a file (office.md "Screening")
      routes: (app) => {
        app.post('/api/screenings', screeningUpload({
          authenticate: (req) => authenticate(registry, req),
          create: (actor, list) => createScreening(database.db.pool, actor, list, { today: todayInShanghai(), city: config.city, maxRows: MAX_UPLOAD_ROWS }),
          audit: (actor, created) => audit.write(screeningUploadAudit(actor as Viewer, created)),
          log,
        }));
        // GET /api/exports/*.xlsx: the office's tables for meetings (office.md "Exports", issue 15)
        exportRoutes(app, {
          authenticate: (req) => authenticate(registry, req),
          pool: apiPool,
          city: config.city,
          today: todayInShanghai,
          audit: (entry) => audit.write(entry),
          log,
        });
        // /office: the office's page, its sign-in and assets (office.md "The office's page")
        officePage(app, { tokens: registry, city: config.city });
      },
      // Stack traces never leave the server unless a developer asks for them explicitly.
      exposeErrorDetails: process.env.WEIJIU_EXPOSE_ERRORS === '1',
      log,
      port: config.port,
      host: process.env.WEIJIU_HOST ?? '127.0.0.1',
      graphiql: opts.graphiql ?? { defaultQuery: EXAMPLE_QUERY, headers: GRAPHIQL_HEADERS_TEMPLATE },
    });
  } catch (e) {
    await scheduler?.stop();
    await audit.close();
    await tokens?.stop();
    await apiPool.end();
    if (!opts.database) await database.close();
    throw e;
  }
  // the change log's webhooks (exchange.md), posted from this process while it runs
  const webhooks = opts.webhooks === false ? null : startWebhookDeliverer(database.db.pool, config.city, log, opts.webhooks ?? {});
  // categories change with no sync at all (a child turning 18, a window running out), sources go stale: daily
  const dailyCategories =
    opts.schedules === false
      ? null
      : cron.schedule(
          '10 0 * * *',
          () =>
            runDailyChanges(database.db.pool, config.city, config.connectors, catalogueInfo, todayInShanghai()).then(
              (n) => log.info(n, 'change log: categories compared, sources judged'),
              (e) => log.error({ err: e }, 'change log: daily step failed'),
            ),
          { timezone: config.timezone, noOverlap: true, name: 'changes:categories' },
        );
  return {
    server,
    database,
    services,
    scheduler,
    webhooks,
    async close() {
      // schedules first: a running batch commits or rolls back before the database goes
      await scheduler?.stop();
      await dailyCategories?.destroy();
      await webhooks?.stop();
      await server.close();
      // after the server: it waited for the requests in flight, each for its audit row
      await audit.close();
      await tokens!.stop();
      await apiPool.end();
      if (!opts.database) await database.close();
    },
  };
}
