/**
 * `GET /metrics`, the operators' view in the Prometheus format (api.md, *Sources*): GraphQL
 * requests, errors and latency by operation name and role; sync runs and their records by
 * connector and outcome, and rule runs, read from the run tables when scraped (so they cover runs
 * of `weijiu sync` and `weijiu rules run` processes too); the database pools; the audit writer's
 * rows and commits. Each hub has a registry of its own (never prom-client's global one), so that
 * several hubs in one process count apart.
 *
 * A request is timed from its arrival to the moment its answer has left, audit commit included
 * (an Express middleware in front of the GraphQL route); the Apollo plugin only names it — its
 * operation and the viewer's role — since Apollo runs its plugins' last hooks side by side.
 * Requests refused before GraphQL runs (no token: 401; a malformed body) count under the role
 * NONE and the operation "(none)".
 *
 * Who may read it: an ADMIN token, or a client on this machine's loopback interface. A request
 * that came through a proxy (it carries Forwarded, X-Forwarded-For or X-Real-IP) is the proxy's
 * client's, not a loopback client, whatever address the proxy connects from.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { Request, RequestHandler } from 'express';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditWriterCounts } from '../auth/auditWriter';
import type { Viewer } from '../auth/viewer';
import { housekeeping } from '../db/statementCounter';
import type { HubLogger } from '../logging/logger';

export interface HubMetricsOptions {
  /** where the run tables are read when scraped */
  pool: Pool;
  /** the process's pools, by the name the metrics give them */
  pools: Record<string, Pool>;
  /** whether the request carries an ADMIN token */
  isAdmin(req: IncomingMessage): Promise<boolean>;
  auditCounts?: () => AuditWriterCounts;
  log?: HubLogger;
}

/** Request seconds: fine below 50 ms (a person lookup's p99 goal), coarse up to the statement timeout. */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Operation names are the client's choice: past this many distinct ones, new names count as "(other)". */
const MAX_OPERATIONS = 200;

/** The code of a request refused before GraphQL ran, from its HTTP status. */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'BAD_REQUEST',
  429: 'TOO_MANY_REQUESTS',
};

const SYNC_OUTCOMES = ['read', 'inserted', 'updated', 'unchanged', 'ended', 'quarantined'] as const;

/** Where a request's context carries its exchange. */
const EXCHANGE = Symbol('weijiu metrics exchange');

interface Exchange {
  started: bigint;
  operation: string;
  role: string;
  /** the answer as Apollo left it; read when it has left, after every plugin has had its say */
  response: GraphQLResponse | null;
}

interface RunFigures {
  sync: Array<{ connector: string; status: string; runs: number; lastSucceeded: number | null } & Record<(typeof SYNC_OUTCOMES)[number], number>>;
  rules: Array<{ status: string; runs: number; seconds: number }>;
  lastRuleSeconds: number | null;
}

export class HubMetrics {
  readonly registry = new Registry();
  private readonly exchangeOfRequest = new WeakMap<IncomingMessage, Exchange>();
  private readonly operations = new Set<string>();
  private readonly duration: Histogram<'operation' | 'role'>;
  private readonly requests: Counter<'operation' | 'role'>;
  private readonly errors: Counter<'operation' | 'role' | 'code'>;
  private readonly syncRuns: Gauge<'connector' | 'status'>;
  private readonly syncRecords: Gauge<'connector' | 'outcome'>;
  private readonly syncLastSuccess: Gauge<'connector'>;
  private readonly ruleRuns: Gauge<'status'>;
  private readonly ruleSeconds: Gauge<'status'>;
  private readonly ruleLastSeconds: Gauge;
  private readonly databaseUp: Gauge;

  constructor(private readonly opts: HubMetricsOptions) {
    const registers = [this.registry];
    this.duration = new Histogram({
      name: 'weijiu_graphql_request_duration_seconds',
      help: 'GraphQL requests from arrival until the answer left (audit commit included), by operation name and role',
      labelNames: ['operation', 'role'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.requests = new Counter({ name: 'weijiu_graphql_requests_total', help: 'GraphQL requests answered, by operation name and role', labelNames: ['operation', 'role'], registers });
    this.errors = new Counter({
      name: 'weijiu_graphql_errors_total',
      help: 'GraphQL requests answered with errors, by operation name, role and error code (once per code a request carried)',
      labelNames: ['operation', 'role', 'code'],
      registers,
    });
    this.syncRuns = new Gauge({ name: 'weijiu_sync_runs', help: 'Sync runs recorded (sync_run), by connector and status', labelNames: ['connector', 'status'], registers });
    this.syncRecords = new Gauge({
      name: 'weijiu_sync_records',
      help: 'Records of all recorded sync runs, by connector and outcome (read, inserted, updated, unchanged, ended, quarantined)',
      labelNames: ['connector', 'outcome'],
      registers,
    });
    this.syncLastSuccess = new Gauge({
      name: 'weijiu_sync_last_success_timestamp_seconds',
      help: 'When the last successful sync run of a connector finished (Unix time)',
      labelNames: ['connector'],
      registers,
    });
    this.ruleRuns = new Gauge({ name: 'weijiu_rule_runs', help: 'Rule runs recorded (rule_run), by status', labelNames: ['status'], registers });
    this.ruleSeconds = new Gauge({ name: 'weijiu_rule_run_seconds', help: 'Seconds all finished rule runs took together, by status', labelNames: ['status'], registers });
    this.ruleLastSeconds = new Gauge({ name: 'weijiu_rule_run_last_seconds', help: 'Seconds the last finished rule run took', registers });
    this.databaseUp = new Gauge({ name: 'weijiu_metrics_database_up', help: '1 when this scrape could read the run tables, else 0 (their figures are then absent)', registers });

    const pools = Object.entries(opts.pools);
    new Gauge({
      name: 'weijiu_db_pool_connections',
      help: 'Connections of each database pool, by state (idle, busy)',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const [pool, p] of pools) {
          this.set({ pool, state: 'idle' }, p.idleCount);
          this.set({ pool, state: 'busy' }, p.totalCount - p.idleCount);
        }
      },
    });
    new Gauge({
      name: 'weijiu_db_pool_waiting',
      help: 'Queries waiting for a connection of each database pool',
      labelNames: ['pool'],
      registers,
      collect() {
        for (const [pool, p] of pools) this.set({ pool }, p.waitingCount);
      },
    });
    const audit = opts.auditCounts;
    if (audit) {
      const counter = (name: string, help: string, read: (c: AuditWriterCounts) => number) =>
        new Counter({
          name,
          help,
          registers,
          collect() {
            this.reset();
            this.inc(read(audit()));
          },
        });
      counter('weijiu_audit_rows_total', 'Audit rows committed', (c) => c.rows);
      counter('weijiu_audit_commits_total', 'Commits of audit rows (a commit holds the rows of every request that waited for it)', (c) => c.commits);
      counter('weijiu_audit_failed_batches_total', 'Audit batches that could not be written (their answers were withheld)', (c) => c.failedBatches);
    }
  }

  /** In front of the GraphQL route: times each request until its answer has left. */
  readonly timeGraphqlRequest: RequestHandler = (req, res, next) => {
    const exchange: Exchange = { started: process.hrtime.bigint(), operation: '(none)', role: 'NONE', response: null };
    this.exchangeOfRequest.set(req, exchange);
    res.once('close', () => this.answered(exchange, res));
    next();
  };

  /** Ties a request's GraphQL context to its exchange, for the plugin; returns the context. */
  contextFor<C extends object>(context: C, req: Request): C {
    const exchange = this.exchangeOfRequest.get(req);
    // a property, not a WeakMap entry: Apollo runs each operation on a shallow copy of the context
    if (exchange) Object.assign(context, { [EXCHANGE]: exchange });
    return context;
  }

  /** Names each request by its operation and its viewer's role. */
  plugin<C extends object>(): ApolloServerPlugin<C> {
    const operationLabel = (name: string | null | undefined, resolved: boolean) => this.operationLabel(name, resolved);
    return {
      async requestDidStart() {
        return {
          async willSendResponse(rc) {
            const exchange = (rc.contextValue as { [EXCHANGE]?: Exchange })[EXCHANGE];
            if (!exchange) return;
            exchange.operation = operationLabel(rc.operationName, rc.operation !== undefined);
            // the hub's contexts carry their viewer (src/api/context.ts)
            exchange.role = (rc.contextValue as { viewer?: Viewer | null }).viewer?.role ?? 'NONE';
            exchange.response = rc.response;
          },
        };
      },
    };
  }

  /** Whether the request carries an ADMIN token. */
  isAdmin(req: IncomingMessage): Promise<boolean> {
    return this.opts.isAdmin(req);
  }

  /** The text a scrape gets. */
  async scrape(): Promise<string> {
    await this.readRunTables();
    return this.registry.metrics();
  }

  private operationLabel(name: string | null | undefined, resolved: boolean): string {
    if (!resolved) return '(none)';
    if (!name) return '(anonymous)';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATIONS || name.length > 100) return '(other)';
    this.operations.add(name);
    return name;
  }

  private answered(exchange: Exchange, res: ServerResponse): void {
    const labels = { operation: exchange.operation, role: exchange.role };
    this.duration.observe(labels, Number(process.hrtime.bigint() - exchange.started) / 1e9);
    this.requests.inc(labels);
    const body = exchange.response?.body;
    const codes = new Set<string>();
    if (body?.kind === 'single') {
      for (const e of body.singleResult.errors ?? []) codes.add(String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR').slice(0, 40));
    } else if (!exchange.response && res.statusCode >= 400) {
      codes.add(CODE_OF_STATUS[res.statusCode] ?? (res.statusCode >= 500 ? 'INTERNAL_SERVER_ERROR' : `HTTP_${res.statusCode}`));
    }
    for (const code of codes) this.errors.inc({ ...labels, code });
  }

  private async readRunTables(): Promise<void> {
    let figures: RunFigures;
    try {
      const client = await this.opts.pool.connect();
      try {
        // the operators' schedule, not a request's: counted apart from the API's statements
        const { rows } = await housekeeping(client).query<RunFigures>(`
            select
              (select coalesce(json_agg(s), '[]') from (
                 select connector, status, count(*)::int as runs,
                        coalesce(sum(read), 0)::float8 as read, coalesce(sum(inserted), 0)::float8 as inserted,
                        coalesce(sum(updated), 0)::float8 as updated, coalesce(sum(unchanged), 0)::float8 as unchanged,
                        coalesce(sum(ended), 0)::float8 as ended, coalesce(sum(quarantined), 0)::float8 as quarantined,
                        extract(epoch from max(finished_at))::float8 as "lastSucceeded"
                   from sync_run group by connector, status) s) as sync,
              (select coalesce(json_agg(r), '[]') from (
                 select status, count(*)::int as runs, coalesce(sum(extract(epoch from finished_at - started_at)), 0)::float8 as seconds
                   from rule_run group by status) r) as rules,
              (select extract(epoch from finished_at - started_at)::float8 from rule_run
                where finished_at is not null order by finished_at desc limit 1) as "lastRuleSeconds"`);
        figures = rows[0]!;
      } finally {
        client.release();
      }
    } catch (e) {
      this.opts.log?.error({ err: { type: (e as Error)?.constructor?.name, message: String((e as Error)?.message ?? e) } }, 'metrics: the run tables could not be read');
      for (const g of [this.syncRuns, this.syncRecords, this.syncLastSuccess, this.ruleRuns, this.ruleSeconds, this.ruleLastSeconds]) g.reset();
      this.databaseUp.set(0);
      return;
    }
    this.databaseUp.set(1);
    this.syncRuns.reset();
    this.syncRecords.reset();
    this.syncLastSuccess.reset();
    for (const s of figures.sync) {
      this.syncRuns.set({ connector: s.connector, status: s.status }, s.runs);
      for (const outcome of SYNC_OUTCOMES) this.syncRecords.inc({ connector: s.connector, outcome }, s[outcome]);
      if (s.status === 'SUCCEEDED' && s.lastSucceeded !== null) this.syncLastSuccess.set({ connector: s.connector }, s.lastSucceeded);
    }
    this.ruleRuns.reset();
    this.ruleSeconds.reset();
    for (const r of figures.rules) {
      this.ruleRuns.set({ status: r.status }, r.runs);
      this.ruleSeconds.set({ status: r.status }, r.seconds);
    }
    this.ruleLastSeconds.reset();
    if (figures.lastRuleSeconds !== null) this.ruleLastSeconds.set(figures.lastRuleSeconds);
  }
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** A client on this machine talking to the hub itself, not through a proxy. */
export function isLoopbackClient(req: IncomingMessage): boolean {
  return LOOPBACK.test(req.socket.remoteAddress ?? '') && !FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
}

/** GET /metrics: the scrape for an ADMIN token or a loopback client; anyone else gets 403. */
export function metricsRoute(metrics: HubMetrics): RequestHandler {
  return (req, res, next) => {
    (async () => {
      res.set('Cache-Control', 'no-store');
      if (!isLoopbackClient(req) && !(await metrics.isAdmin(req))) {
        res.status(403).json({
          errors: [{ message: 'The metrics are for operators: send an ADMIN token ("Authorization: Bearer <token>") or ask from the hub’s own machine', extensions: { code: 'FORBIDDEN' } }],
        });
        return;
      }
      const text = await metrics.scrape();
      res.set('Content-Type', metrics.registry.contentType).send(text);
    })().catch(next);
  };
}
