import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The hub's one configuration file (`weijiu.config.json`), declared once: this schema is the
 * validation, the documentation and the defaults. Environment variables override it.
 */
/** Records per transaction unless a connector's config says otherwise: large enough that statements are not the cost, small enough to keep memory flat. */
export const DEFAULT_BATCH_SIZE = 5000;
export const DEFAULT_PARALLEL_BATCHES = 2;
export const DEFAULT_REPORT_SCHEDULE = '0 6 1 * *';

const connectorSchema = z
  .object({
    /** `http://…` for API feeds; a file or folder for file drops (relative to the config file). */
    source: z.string().min(1),
    /** node-cron expression, evaluated in the hub's timezone. */
    schedule: z.string().min(1).optional(),
    /** health: the settlement years read whole at each sync. */
    years: z.array(z.number().int().min(2000).max(2100)).optional(),
    /** HTTP page size (the registry clamps it to its own maximum), or rows per chunk of a delivery file. */
    pageSize: z.number().int().min(1).max(1000).optional(),
    /** records applied in one transaction: pages or file chunks are gathered up to this many (a failed sync resumes after the last one). */
    batchSize: z.number().int().min(1).max(50_000).default(DEFAULT_BATCH_SIZE),
    /** batches applied at once (each its own transaction): 2 keeps both cores of PostgreSQL busy; 1 = strictly one after another. */
    parallelBatches: z.number().int().min(1).max(8).default(DEFAULT_PARALLEL_BATCHES),
    /** the source is stale once its last successful sync is older than this (api.md "Sources"); default twice the schedule's interval */
    maxAgeDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

/** The hub's PostgreSQL connections for API requests (syncs and rule runs have their own, without the timeout). */
const databaseSchema = z
  .object({
    /** connections that serve API requests at once; a request waits for a free one */
    poolSize: z.number().int().min(1).max(100).default(10),
    /** longest a statement of an API request may run (PostgreSQL statement_timeout); the request then answers "ask for less" */
    statementTimeoutMs: z.number().int().min(1).max(600_000).default(15_000),
    /**
     * each request's reads planned ahead into one statement (src/api/requestPlan.ts); false reads
     * a level at a time — the same answers, more statements: for comparing the two
     */
    planRequests: z.boolean().default(true),
  })
  .strict();

/** How many expensive operations run at once (src/auth/admission.ts); light ones are never held back. */
const admissionSchema = z
  .object({
    /** an operation costing at least this much (src/auth/queryLimits.ts) is expensive */
    expensiveCost: z.number().int().min(1).default(5_000),
    /** expensive operations executing at once in this process */
    maxExpensive: z.number().int().min(1).max(64).default(1),
    /** expensive operations waiting for a turn, first come first served; one more is refused at once */
    maxQueued: z.number().int().min(0).max(1000).default(20),
    /** longest an expensive operation waits for its turn before it is refused */
    queueTimeoutMs: z.number().int().min(0).max(600_000).default(10_000),
    /** expensive operations are refused while the JS heap holds more than this share of its limit */
    heapFraction: z.number().gt(0).max(1).default(0.7),
  })
  .strict();

export const configSchema = z
  .object({
    city: z.string().regex(/^\d{4}$/, 'a 4-digit city code such as 3710').default('3710'),
    timezone: z.string().default('Asia/Shanghai'),
    databaseUrl: z.string().optional(),
    port: z.number().int().min(0).max(65535).default(4000),
    home: z.string().optional(),
    connectors: z.record(z.string(), connectorSchema).default({}),
    /** node-cron expression of the monthly report (office.md): the previous month's figures frozen, by default on the 1st at 06:00 */
    report: z.string().min(1).default(DEFAULT_REPORT_SCHEDULE),
    database: databaseSchema.prefault({}),
    admission: admissionSchema.prefault({}),
    /** hosts (name, or name:port) webhook subscriptions may post to (exchange.md); nothing is posted anywhere else */
    webhookHosts: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type AdmissionConfig = z.infer<typeof admissionSchema>;
export const DEFAULT_ADMISSION: AdmissionConfig = admissionSchema.parse({});

/** As written or defaulted: a config built in code (tests, the demo) may leave out what has defaults. */
export type ConnectorConfig = z.input<typeof connectorSchema>;
export type HubConfig = Omit<z.infer<typeof configSchema>, 'connectors' | 'report' | 'webhookHosts'> & {
  /** hosts webhooks may post to; none when left out */
  webhookHosts?: string[];
  /** the monthly report's schedule; DEFAULT_REPORT_SCHEDULE when left out */
  report?: string;
  connectors: Record<string, ConnectorConfig>;
  /** the folder relative paths are resolved against */
  baseDir: string;
  /** where the embedded PostgreSQL keeps its data when no database URL is given */
  home: string;
  configFile?: string;
};

export class ConfigError extends Error {}

/** The repository root: where `bin/`, `src/` and `package.json` live. */
export const repositoryRoot = path.resolve(__dirname, '..', '..');

export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<HubConfig> } = {}): HubConfig {
  const env = opts.env ?? process.env;
  const requested = opts.file ?? env.WEIJIU_CONFIG;
  const candidate = requested ? path.resolve(requested) : path.resolve('weijiu.config.json');
  let raw: unknown = {};
  let configFile: string | undefined;
  if (fs.existsSync(candidate)) {
    configFile = candidate;
    try {
      raw = JSON.parse(fs.readFileSync(candidate, 'utf8'));
    } catch (e) {
      throw new ConfigError(`${candidate}: not valid JSON (${(e as Error).message})`);
    }
  } else if (requested) {
    throw new ConfigError(`config file not found: ${candidate}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join('.') || '(root)';
    throw new ConfigError(`${configFile ?? 'config'}: bad key "${key}": ${issue.message}`);
  }
  const baseDir = configFile ? path.dirname(configFile) : repositoryRoot;
  const c = parsed.data;
  const home = path.resolve(baseDir, env.WEIJIU_HOME ?? c.home ?? '.weijiu');
  const port = env.PORT !== undefined && env.PORT !== '' ? Number(env.PORT) : c.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT: not a port number: ${env.PORT}`);
  const connectors: Record<string, ConnectorConfig> = {};
  for (const [name, cc] of Object.entries(c.connectors)) {
    connectors[name] = { ...cc, source: resolveSource(cc.source, baseDir) };
  }
  return {
    ...c,
    connectors,
    databaseUrl: env.DATABASE_URL || c.databaseUrl,
    port,
    home,
    baseDir,
    configFile,
    ...opts.overrides,
  };
}

/** A URL stays a URL; a path is resolved against the config file's folder, not the working directory. */
function resolveSource(source: string, baseDir: string): string {
  return /^https?:\/\//.test(source) ? source.replace(/\/+$/, '') : path.resolve(baseDir, source);
}
