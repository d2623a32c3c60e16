/**
 * The hub's HTTP layer: GraphQL through Apollo Server on Express, the GraphiQL page, a health
 * check, the operators' metrics (src/server/metrics.ts), security headers, and JSON answers for
 * every failure (never an HTML stack page).
 * The schema and the per-request context come from the caller.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import { formatError } from './formatError';
import { INTERNAL_ERROR_MESSAGE, type HubLogger } from '../logging/logger';
import { graphiqlPage, GRAPHQL_PATH, type GraphiqlOptions, type GraphiqlPage } from './graphiqlPage';
import { maskIdNumbersIn } from '../identity/idNumber';
import { metricsRoute, type HubMetrics } from './metrics';

export type { GraphiqlOptions } from './graphiqlPage';

export interface HubAppOptions<C extends object> {
  schema: GraphQLSchema;
  /** Builds the per-request context (viewer, loaders). A GraphQLError thrown here (UNAUTHENTICATED…) reaches the client as one. */
  context: (req: Request) => Promise<C>;
  plugins?: ApolloServerPlugin<C>[];
  /** Validation rules beyond the standard ones (query depth, aliases). */
  validationRules?: ValidationRule[];
  /** Parser limits, such as `maxTokens`. */
  parseOptions?: ParseOptions;
  /** Where persisted queries are looked up by sha256. Default: none (a hash-only request is refused). */
  persistedQueries?: ApolloServerOptions<C>['persistedQueries'];
  /** Original messages and stack traces of internal errors in responses: tests and development only. */
  exposeErrorDetails?: boolean;
  /** Largest JSON body accepted, in Express's notation. Default '1mb'. */
  bodyLimit?: string;
  log?: HubLogger;
  /** What the GraphiQL page opens with, e.g. an example query and a demo token header. */
  graphiql?: GraphiqlOptions;
  /** GET /metrics, and the GraphQL requests timed for it. Default: no such route. */
  metrics?: HubMetrics;
  /** More routes, added before the 404 answer: `POST /api/screenings` (src/server/screeningUpload.ts). */
  routes?: (app: Express) => void;
}

export interface HubServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Allows the inline GraphiQL page: its scripts and styles are inline, its editor workers are
 * blob: URLs, its icons and fonts data: URLs, and it only talks to this origin. It needs no eval.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** HTTP status for an error a context builder throws, so a missing token is not a 500. */
const CONTEXT_ERROR_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
};

const silentLogger: HubLogger = { info: () => {}, error: () => {} };

export async function createHubApp<C extends object>(
  opts: HubAppOptions<C>,
  /** Given by startHubServer so that stop() drains its connections. */
  server?: { httpServer: http.Server },
): Promise<{ app: Express; apollo: ApolloServer<C>; stop(): Promise<void> }> {
  const log = opts.log ?? defaultLogger();
  const exposeDetails = opts.exposeErrorDetails ?? false;
  // Rendering takes about 0.1 s and 9 MB: done on the first visit, not by every hub a test starts.
  let page: GraphiqlPage | undefined;
  const graphiql = () => (page ??= graphiqlPage(opts.graphiql));

  const apollo = new ApolloServer<C>({
    schema: opts.schema,
    // The hub's GraphiQL page needs introspection whatever NODE_ENV says.
    introspection: true,
    // The hub stops on a signal itself: the schedules, the server, then PostgreSQL. Apollo's own
    // handler (on unless NODE_ENV=test) stops only Apollo and raises the signal again, which ended
    // the process before PostgreSQL was stopped.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: exposeDetails,
    validationRules: opts.validationRules ?? [],
    parseOptions: opts.parseOptions ?? {},
    // Apollo's default keeps any document a client sends in memory; only a store the hub chose is used.
    persistedQueries: opts.persistedQueries ?? false,
    formatError: formatError(exposeDetails, log),
    logger: apolloLogger(log),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // The hub sets no cache hints (answers are per token); its per-field hook would cost every field.
      ApolloServerPluginCacheControlDisabled(),
      ...(server ? [ApolloServerPluginDrainHttpServer({ httpServer: server.httpServer, stopGracePeriodMillis: 5_000 })] : []),
      ...(opts.metrics ? [opts.metrics.plugin<C>()] : []),
      ...(opts.plugins ?? []),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);

  app.get('/', (_req, res) => res.redirect(302, '/graphiql'));
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  if (opts.metrics) app.get('/metrics', metricsRoute(opts.metrics));
  app.get('/graphiql', (req, res, next) => {
    const page = graphiql();
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ETag: page.etag, Vary: 'Accept-Encoding' });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    // No Accept-Encoding at all (curl, scripts) gets the plain page.
    if (req.get('accept-encoding') && req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      page.gzipped().then((body) => res.set('Content-Encoding', 'gzip').send(body), next);
      return;
    }
    res.send(page.html);
  });

  // A person who types /graphql into a browser wants the query editor, not a CSRF refusal.
  app.get(GRAPHQL_PATH, (req, res, next) => {
    const wantsPage = !req.originalUrl.includes('?') && req.accepts(['application/json', 'text/html']) === 'text/html';
    if (wantsPage) res.redirect(302, '/graphiql');
    else next();
  });
  const metrics = opts.metrics;
  app.all(
    GRAPHQL_PATH,
    ...(metrics ? [metrics.timeGraphqlRequest] : []),
    express.json({ limit: opts.bodyLimit ?? '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => (metrics ? metrics.contextFor(await buildContext(opts.context, req), req) : buildContext(opts.context, req)),
    }),
  );

  opts.routes?.(app);

  app.use((_req, res) => {
    res.status(404).json(errorBody('Not found', 'NOT_FOUND'));
  });
  app.use(jsonErrors(log));

  return { app, apollo, stop: () => apollo.stop() };
}

export async function startHubServer<C extends object>(
  opts: HubAppOptions<C> & { port: number; host?: string },
): Promise<HubServer> {
  const host = opts.host ?? '127.0.0.1';
  const httpServer = http.createServer();
  const { app, stop } = await createHubApp(opts, { httpServer });
  httpServer.on('request', app);
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.port, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  (opts.log ?? silentLogger).info({ url: `http://${hostInUrl}:${port}` }, 'hub listening');

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    // Apollo's drain plugin closes the listener and the idle keep-alive connections.
    close: () => (closing ??= stop()),
  };
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set(SECURITY_HEADERS);
  next();
};

async function buildContext<C>(context: (req: Request) => Promise<C>, req: Request): Promise<C> {
  try {
    return await context(req);
  } catch (error) {
    // Apollo answers a context failure with the error's extensions.http status, else 500.
    if (error instanceof GraphQLError && error.extensions.http === undefined) {
      const status = CONTEXT_ERROR_STATUS[String(error.extensions.code)];
      if (status) {
        throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status } }, originalError: error });
      }
    }
    throw error;
  }
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Body-parser and other Express failures as GraphQL-shaped JSON. */
function jsonErrors(log: HubLogger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 500;
    switch (error?.type) {
      case 'entity.too.large':
        res.status(413).json(errorBody(`Request body is larger than the limit of ${error.limit} bytes`, 'PAYLOAD_TOO_LARGE'));
        return;
      case 'entity.parse.failed':
        res.status(400).json(errorBody('Malformed JSON body', 'BAD_REQUEST'));
        return;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        res.status(415).json(errorBody('Unsupported body encoding or charset', 'BAD_REQUEST'));
        return;
    }
    if (status >= 400 && status < 500) {
      res.status(status).json(errorBody(http.STATUS_CODES[status] ?? 'Bad request', 'BAD_REQUEST'));
      return;
    }
    log.error({ err: { type: error?.constructor?.name, message: maskIdNumbersIn(String(error?.message ?? error)), stack: maskIdNumbersIn(String(error?.stack ?? '')) } }, 'HTTP request failed');
    res.status(500).json(errorBody(INTERNAL_ERROR_MESSAGE, 'INTERNAL_SERVER_ERROR'));
  };
}

function apolloLogger(log: HubLogger) {
  return {
    debug: () => {},
    info: (...args: unknown[]) => log.info(maskIdNumbersIn(args.join(' '))),
    warn: (...args: unknown[]) => log.info({ level: 'warn' }, maskIdNumbersIn(args.join(' '))),
    error: (...args: unknown[]) => log.error(maskIdNumbersIn(args.join(' '))),
  };
}

function defaultLogger(): HubLogger {
  return {
    info: () => {},
    error: (o, msg) => console.error(msg ?? '', o),
  };
}
