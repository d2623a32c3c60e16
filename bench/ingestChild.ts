/**
 * Loads a generated city by running bench/ingest.ts in a child process that keeps its database,
 * for the benchmarks that measure something over a loaded graph (rules, the API), and what the
 * API's benchmarks share besides.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres';

/** The kept database's URL (null if the ingest did not keep one) and the child's exit code. */
export async function ingestKeepingTheDatabase(serverUrl: string, env: Record<string, string> = {}): Promise<{ url: string | null; code: number }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=640', '-r', '@swc-node/register', path.join(__dirname, 'ingest.ts')],
    { env: { ...process.env, ...env, BENCH_KEEP: '1', DATABASE_URL: serverUrl }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let url: string | null = null;
  for await (const line of createInterface({ input: child.stdout! })) {
    process.stdout.write(`  | ${line}\n`);
    const kept = /^kept the database: (\S+)/.exec(line);
    if (kept) url = kept[1]!;
  }
  const code: number = child.exitCode ?? (await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1))));
  return { url, code };
}

/**
 * The city a benchmark of the API measures: BENCH_DATABASE_URL (a kept database), else one of
 * `households` loaded by bench/ingest.ts into an embedded PostgreSQL started here (or the server
 * of DATABASE_URL), dropped by `close()`. `statementStatistics` preloads pg_stat_statements in the
 * embedded server (one restart before the load), so statements per request can be counted.
 */
export async function keptCity(
  households: number,
  opts: { label: string; statementStatistics?: boolean },
): Promise<{ url: string; close(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, close: async () => undefined };
  process.stdout.write(`no BENCH_DATABASE_URL: loading a city of ${households.toLocaleString()} households with bench/ingest.ts…\n`);
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  const home = fs.mkdtempSync(path.join(fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir(), `weijiu-bench-${opts.label}-`));
  fs.chmodSync(home, 0o755);
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ home, port: 0 });
    if (opts.statementStatistics) {
      const admin = new pg.Client({ connectionString: embedded.url });
      await admin.connect();
      await admin.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
      await admin.end();
      await embedded.stop();
      embedded = await startEmbeddedPostgres({ home, port: 0 });
    }
    serverUrl = embedded.url;
  }
  const ingestResults = path.join(__dirname, 'results', `ingest-weihai-${households}.json`);
  const hadResults = fs.existsSync(ingestResults);
  const { url, code } = await ingestKeepingTheDatabase(serverUrl, { BENCH_HOUSEHOLDS: String(households) });
  // the ingest's own figures for this city are not a result of the API's benchmark
  if (!hadResults) fs.rmSync(ingestResults, { force: true });
  const close = async () => {
    if (url) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`).catch(() => undefined);
      await admin.end();
    }
    await embedded?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  };
  if (code !== 0 || !url) {
    await close();
    throw new Error(`bench/ingest.ts ended with ${code} without keeping a database`);
  }
  return { url, close };
}

/** A free loopback port for a server the benchmark starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `weijiu serve` as an operator runs it (npm run serve's heap cap), for the benchmarks that measure it. */
export interface RunningHub {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  rssMiB(): number | null;
  peakRssMiB(): number | null;
  stop(): Promise<void>;
}

/** Starts `weijiu serve` over a database with this config (city and connectors filled in), and waits for it to listen. */
export async function startServe(databaseUrl: string, dir: string, config: Record<string, unknown> = {}, configName = 'weijiu.config.json'): Promise<RunningHub> {
  const configFile = path.join(dir, configName);
  fs.writeFileSync(configFile, JSON.stringify({ city: '3710', connectors: {}, ...config }));
  const port = await freePort();
  const child = spawn(process.execPath, ['--max-old-space-size=640', path.join(__dirname, '..', 'bin', 'weijiu'), 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, WEIJIU_CONFIG: configFile, PORT: String(port), WEIJIU_HOME: dir, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /serving GraphQL at (\S+)\/graphql/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`weijiu serve ended (${code}) before listening: ${stderr}`)));
  });
  const status = (field: string) => {
    try {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : null;
    } catch {
      return null;
    }
  };
  return {
    url,
    child,
    exited,
    rssMiB: () => status('VmRSS'),
    peakRssMiB: () => status('VmHWM'),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
