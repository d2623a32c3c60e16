/**
 * `npm run bench:api-load`: can heavy requests starve light ones? A hub (`weijiu serve`, in a
 * process of its own with the hub's 640 MB heap cap) over a generated city; ten clients send
 * expensive operations back to back while one client sends light ones, for BENCH_SECONDS (default
 * 20) per mode — the default admission limits, then with no limit to speak of (for comparison).
 * (BENCH_MAX_EXPENSIVE sets another limit.) Prints the light queries' latency (p50/p99/max), the expensive ones answered and refused, and
 * the hub's peak RSS; writes bench/results/api-load-<BENCH_HOUSEHOLDS>.json. Goal: light p99
 * under 200 ms. Loopback only; bounded in time and count.
 *
 * The city: BENCH_DATABASE_URL (a database kept by `BENCH_KEEP=1 npm run bench:ingest`); without
 * it, bench/ingest.ts loads one of BENCH_HOUSEHOLDS (default 20,000) into an embedded PostgreSQL
 * started here (or the server at DATABASE_URL), dropped afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectors } from '../connectors';
import { hubSchema } from '../src/api/schema';
import { costFiguresOf, queryCost } from '../src/auth/queryLimits';
import { issueToken } from '../src/auth/tokenStore';
import { DEFAULT_ADMISSION, type AdmissionConfig } from '../src/config/config';
import { openDatabase } from '../src/db/database';
import { ruleCatalogue } from '../src/rules/catalogue';
import { runRules } from '../src/rules/engine/runRules';
import { getOperationAST, parse } from 'graphql';
import { keptCity, startServe, type RunningHub } from './ingestChild';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? 20_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const CITY = '3710';
const EXPENSIVE_CLIENTS = 10;
/** pause between two light queries of the one light client */
const LIGHT_PAUSE_MS = 20;
/** no request is sent after this many per mode, whatever the time */
const MAX_REQUESTS = 200_000;
const GOAL_P99_MS = 200;

/** The expensive operations the ten clients take turns with: all within the cost limit, each above the expensive threshold. */
const EXPENSIVE: Record<string, string> = {
  'coverage, three levels': `{ coverage(regionCode: "${CITY}") { regionCode persons byCategory { category persons } openFindings { rule count }
    children { regionCode persons byCategory { category persons } openFindings { rule count }
      children { regionCode persons byCategory { category persons } openFindings { rule count } } } } }`,
  'households, 100 with members and benefits': `{ households(first: 100) { totalCount edges { node { id region { name }
    members { relationCode person { name idNumber birthDate findings { rule status } } } benefits { programmeCode amount periodStart periodEnd } } } } }`,
};
const LIGHT: Record<string, string> = {
  'viewer': '{ viewer { role } }',
  'regions of the city': `{ regions(parentCode: "${CITY}") { code name } }`,
};

/** `weijiu serve` with these admission limits. */
function startHubWith(databaseUrl: string, admission: AdmissionConfig, dir: string): Promise<RunningHub> {
  return startServe(databaseUrl, dir, { city: CITY, admission }, `weijiu.config.${admission.maxExpensive}.json`);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Outcome {
  status: number;
  code: string | null;
  ms: number;
}

async function send(url: string, token: string, query: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    return { status: res.status, code: body.errors?.[0]?.extensions?.code ?? null, ms: performance.now() - started };
  } catch {
    return { status: 0, code: 'CONNECTION_FAILED', ms: performance.now() - started };
  }
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === 200 && !o.code ? 'answered' : `${o.status} ${o.code ?? ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function runMode(label: string, databaseUrl: string, admission: AdmissionConfig, token: string, dir: string) {
  process.stdout.write(`\n${label}: admission ${JSON.stringify(admission)}\n`);
  const hub = await startHubWith(databaseUrl, admission, dir);
  let peakSampled = 0;
  const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, hub.rssMiB() ?? 0)), 250);
  const until = performance.now() + seconds * 1000;
  let sent = 0;
  const more = () => performance.now() < until && sent++ < MAX_REQUESTS && hub.child.exitCode === null;
  const expensive: Array<Outcome & { name: string }> = [];
  const light: Array<Outcome & { name: string }> = [];
  const expensiveNames = Object.keys(EXPENSIVE);
  const lightNames = Object.keys(LIGHT);
  try {
    // warm: the first request loads the cost figures and plans
    await send(hub.url, token, LIGHT.viewer);
    const clients = Array.from({ length: EXPENSIVE_CLIENTS }, async (_, i) => {
      for (let n = 0; more(); n++) {
        const name = expensiveNames[(i + n) % expensiveNames.length];
        const o = await send(hub.url, token, EXPENSIVE[name]);
        expensive.push({ ...o, name });
        // a refused client waits a little, as Retry-After asks (shortened to keep pressure on)
        if (o.status === 503) await new Promise((r) => setTimeout(r, 250));
      }
    });
    const lightClient = (async () => {
      // let the expensive ones fill the hub first
      await new Promise((r) => setTimeout(r, 1000));
      for (let n = 0; more(); n++) {
        const name = lightNames[n % lightNames.length];
        light.push({ ...(await send(hub.url, token, LIGHT[name])), name });
        await new Promise((r) => setTimeout(r, LIGHT_PAUSE_MS));
      }
    })();
    await Promise.all([...clients, lightClient]);
  } finally {
    clearInterval(sampler);
  }
  const crashed = hub.child.exitCode !== null;
  const peakRssMiB = hub.peakRssMiB() ?? peakSampled;
  await hub.stop();
  const latency = (name: string) => {
    const ms = light.filter((o) => o.name === name && o.status === 200 && !o.code).map((o) => o.ms).sort((a, b) => a - b);
    return { n: ms.length, p50: Number(percentile(ms, 50).toFixed(1)), p99: Number(percentile(ms, 99).toFixed(1)), max: Number((ms[ms.length - 1] ?? NaN).toFixed(1)) };
  };
  const result = {
    label,
    admission,
    seconds,
    crashed,
    peakRssMiB,
    light: Object.fromEntries(lightNames.map((n) => [n, { ...latency(n), outcomes: tally(light.filter((o) => o.name === n)) }])),
    expensive: Object.fromEntries(
      expensiveNames.map((n) => {
        const mine = expensive.filter((o) => o.name === n);
        const answered = mine.filter((o) => o.status === 200 && !o.code).map((o) => o.ms).sort((a, b) => a - b);
        return [n, { outcomes: tally(mine), answeredP50Ms: Number(percentile(answered, 50).toFixed(0)), answeredMaxMs: Number((answered[answered.length - 1] ?? NaN).toFixed(0)) }];
      }),
    ),
  };
  for (const n of lightNames) {
    const l = result.light[n];
    process.stdout.write(`  light "${n}": ${l.n} answered — p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms ${JSON.stringify(l.outcomes)}\n`);
  }
  for (const n of expensiveNames) {
    const e = result.expensive[n];
    process.stdout.write(`  expensive "${n}": ${JSON.stringify(e.outcomes)}, answered in p50 ${e.answeredP50Ms} ms, max ${e.answeredMaxMs} ms\n`);
  }
  process.stdout.write(`  hub peak RSS ${peakRssMiB} MiB${crashed ? ' — THE HUB DIED' : ''}\n`);
  return result;
}

async function main() {
  const city = await keptCity(households, { label: 'api' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-bench-api-hub-'));
  const db = await openDatabase(city.url, { poolSize: 2 });
  try {
    const graph = (await db.pool.query(`select (select count(*) from person)::int as persons, (select count(*) from household)::int as households,
        (select count(*) from finding)::int as findings`)).rows[0];
    if (graph.findings === 0) {
      const asOf = (await db.pool.query<{ d: string | null }>(`select bookmark->>'asOf' as d from connector_bookmark where connector = 'economic-check' and stream = 'facts'`)).rows[0]?.d ?? '2026-10-31';
      process.stdout.write(`rules as of ${asOf}…\n`);
      await runRules(db.pool, ruleCatalogue, { asOf, city: CITY });
      graph.findings = (await db.pool.query(`select count(*)::int as n from finding`)).rows[0].n;
    }
    process.stdout.write(`city: ${JSON.stringify(graph)}\n`);
    // what the hub's cost model says of each operation, for the record
    const schema = await hubSchema();
    const figures = await costFiguresOf(db.pool);
    const costs = Object.fromEntries(
      Object.entries({ ...EXPENSIVE, ...LIGHT }).map(([name, q]) => {
        const doc = parse(q);
        return [name, queryCost(schema, doc, getOperationAST(doc)!, {}, { figures, scope: CITY })];
      }),
    );
    process.stdout.write(`costs: ${JSON.stringify(costs)} (expensive from ${DEFAULT_ADMISSION.expensiveCost})\n`);
    const token = (await issueToken(db.pool, CITY, Object.keys(connectors), { role: 'OFFICE', label: 'bench:api-load', days: 1 })).token;

    // BENCH_MAX_EXPENSIVE tries another limit than the default
    const limits = { ...DEFAULT_ADMISSION, maxExpensive: Number(process.env.BENCH_MAX_EXPENSIVE ?? DEFAULT_ADMISSION.maxExpensive) };
    const limited = await runMode(process.env.BENCH_MAX_EXPENSIVE ? 'admission limits (BENCH_MAX_EXPENSIVE)' : 'default admission limits', city.url, limits, token, dir);
    const unlimited = await runMode('no limit to speak of (for comparison)', city.url, { ...DEFAULT_ADMISSION, maxExpensive: 64, maxQueued: 1000 }, token, dir);
    const results = { households, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), graph, costs, goalP99Ms: GOAL_P99_MS, limited, unlimited };
    const p99 = limited.light.viewer.p99;
    process.stdout.write(`\nlight query p99 with ten expensive clients: ${p99} ms (goal < ${GOAL_P99_MS} ms: ${p99 < GOAL_P99_MS ? 'met' : 'MISSED'}); without the limit ${unlimited.light.viewer.p99} ms\n`);
    const file = path.join(__dirname, 'results', `api-load-${households}.json`);
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await db.close();
    await city.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
