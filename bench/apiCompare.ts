/**
 * `npm run bench:api`: the hub against PostGraphile v5 serving the same tables, on one database in
 * one run (issue 13). Three shapes: (1) 50 households → current members → person → benefits
 * active on a date; (2) one person by ID number → household, members, benefits, disability;
 * (3) 50 OPEN person findings → person, evidence. For each shape both servers' rows are first
 * checked to be the same (normalised to sets); a shape whose rows differ is printed and not timed.
 * Then autocannon, 10 connections, 3 s warm-up + 10 s, two rounds alternating hub / PostGraphile.
 * Prints req/s, p50, p99, SQL statements per request (pg_stat_statements) and the ratio hub/PG;
 * writes bench/results/api-compare-<BENCH_HOUSEHOLDS>.json.
 *
 * PostGraphile lives in bench/postgraphile, a package with its own lockfile installed here on
 * first use, so `npm ci` and CI never carry it. It serves every table it sees (token tables
 * included): it listens on 127.0.0.1 only and is stopped at the end.
 *
 * The hub runs with the product's admission limits (one expensive operation at a time);
 * BENCH_MAX_EXPENSIVE=n tries another (then the file's name says so).
 * BENCH_CHECK_ONLY=1 checks the rows and times nothing (but the analysts' single requests).
 * BENCH_SHAPES=text[,text…] runs only the shapes whose name contains one of them ("analysts":
 * the analysts' questions alone, PostGraphile not started).
 *
 * The city: BENCH_DATABASE_URL (a kept database; SQL per request only if pg_stat_statements is
 * loaded there), else one of BENCH_HOUSEHOLDS (default 20,000) loaded by bench/ingest.ts into an
 * embedded PostgreSQL started here with pg_stat_statements preloaded, dropped afterwards.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { connectors } from '../connectors';
import { hubSchema } from '../src/api/schema';
import { costFiguresOf, queryCost } from '../src/auth/queryLimits';
import { issueToken } from '../src/auth/tokenStore';
import { DEFAULT_ADMISSION } from '../src/config/config';
import { openDatabase } from '../src/db/database';
import { ruleCatalogue } from '../src/rules/catalogue';
import { runRules } from '../src/rules/engine/runRules';
import { getOperationAST, parse } from 'graphql';
import { freePort, keptCity } from './ingestChild';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? 20_000);
const CITY = '3710';
const CONNECTIONS = 10;
const WARMUP_S = 3;
const MEASURE_S = 10;
const ROUNDS = 2;
const PG_DIR = path.join(__dirname, 'postgraphile');
/** the hub's admission limit on expensive operations at a time (default: the product's) */
const maxExpensive = Number(process.env.BENCH_MAX_EXPENSIVE ?? DEFAULT_ADMISSION.maxExpensive);

interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a server and waits for the line that says where it listens. */
async function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, listening: RegExp): Promise<Server> {
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = listening.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`${name} ended (${code}) before listening: ${stderr}`)));
  });
  let stopping = false;
  // a server that ends during the run says why (its last log lines, warnings and errors only)
  void exited.then((code) => {
    if (!stopping) process.stdout.write(`\n${name} ENDED (${code}) during the run:\n${stderr.split('\n').filter((l) => !l.includes('"level":30')).slice(-20).join('\n')}\n`);
  });
  return {
    url,
    child,
    async stop() {
      stopping = true;
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function startHub(databaseUrl: string, dir: string): Promise<Server> {
  const configFile = path.join(dir, 'weijiu.config.json');
  fs.writeFileSync(configFile, JSON.stringify({ city: CITY, connectors: {}, admission: { ...DEFAULT_ADMISSION, maxExpensive } }));
  const port = await freePort();
  return startProcess(
    'weijiu serve',
    ['--max-old-space-size=640', path.join(__dirname, '..', 'bin', 'weijiu'), 'serve'],
    { ...process.env, DATABASE_URL: databaseUrl, WEIJIU_CONFIG: configFile, PORT: String(port), WEIJIU_HOME: dir, NODE_ENV: 'production' },
    path.join(__dirname, '..'),
    /serving GraphQL at (\S+)\/graphql/,
  );
}

function installPostGraphile(): void {
  if (fs.existsSync(path.join(PG_DIR, 'node_modules', 'postgraphile'))) return;
  process.stdout.write('installing bench/postgraphile (first use)…\n');
  // its packages declare Node >= 22; on 20 they run with the polyfill (see server.mjs)
  execFileSync('npm', ['ci', '--prefix', PG_DIR, '--no-audit', '--no-fund', '--engine-strict=false'], { stdio: 'inherit' });
}

async function startPostGraphile(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  return startProcess(
    'postgraphile',
    ['--import', './polyfill.mjs', 'server.mjs'],
    { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
    PG_DIR,
    /postgraphile listening at (\S+)\/graphql/,
  );
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** CPU time a process has used (user + system), from /proc: what a request costs the server, whatever else runs. */
function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return 0;
  }
}

/** One request; a hub still busy with an earlier shape's expensive requests (503 TOO_BUSY) is asked again, for two minutes at most. */
async function post(url: string, headers: Record<string, string>, query: string): Promise<Json> {
  for (const started = Date.now(); ; ) {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as Json;
    if (res.status === 503 && Date.now() - started < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    if (res.status !== 200 || body.errors) throw new Error(`${url}: ${res.status} ${JSON.stringify(body.errors ?? body).slice(0, 800)}`);
    return body.data;
  }
}

interface Shape {
  name: string;
  hub: string;
  /** null: a query of the office's page, which PostGraphile has no equivalent of (coverage, names): the hub alone, timed */
  pg: string | null;
  /**
   * An analyst's question: one person asking once, not a load — timed as single requests, the
   * first and then warm ones, as OFFICE and as ANALYST (who gets the same question's tables, or a
   * list's totalCount without its rows).
   */
  single?: true;
  /** the question as ANALYST may ask it (a list's totalCount without its rows); default: hub */
  analyst?: string;
  /** each server's answer as a set of comparable rows */
  hubRows(data: Json): string[];
  pgRows(data: Json): string[];
}

/** Benefits active on d, as weijiu_active says, in connection-filter terms. */
const activeOn = (d: string) =>
  `{ retiredAt: { isNull: true }, and: [{ or: [{ validFrom: { isNull: true } }, { validFrom: { lessThanOrEqualTo: "${d}" } }] },
    { or: [{ validTo: { isNull: true } }, { validTo: { greaterThanOrEqualTo: "${d}" } }] }] }`;
/** The people a household's newest records list (weijiu_household_member). */
const currentMembers = '{ retiredAt: { isNull: true }, validTo: { isNull: true } }';

function shapes(asOf: string, idNumber: string, personRules: string[]): Shape[] {
  const rules = JSON.stringify(personRules);
  return [
    {
      name: '50 households → members → person → benefits',
      hub: `{ households(first: 50) { edges { node { id members(asOf: "${asOf}") { person { id benefits(activeOn: "${asOf}") { id programmeCode amount } } } } } } }`,
      pg: `{ allHouseholds(first: 50, orderBy: ROW_ID_ASC) { nodes { rowId
          membershipsByHouseholdId(filter: ${currentMembers}) { nodes { personByPersonId { rowId
            benefitsByPersonId(filter: ${activeOn(asOf)}) { nodes { rowId programmeCode amount } } } } } } } }`,
      hubRows: (d) =>
        d.households.edges.flatMap((e: Json) =>
          e.node.members.flatMap((m: Json) => [`${e.node.id}|${m.person.id}`, ...m.person.benefits.map((b: Json) => `${e.node.id}|${m.person.id}|${b.id}|${b.programmeCode}|${Number(b.amount)}`)]),
        ),
      pgRows: (d) =>
        d.allHouseholds.nodes.flatMap((h: Json) =>
          h.membershipsByHouseholdId.nodes.flatMap((m: Json) => {
            const p = m.personByPersonId;
            return [`${h.rowId}|${p.rowId}`, ...p.benefitsByPersonId.nodes.map((b: Json) => `${h.rowId}|${p.rowId}|${b.rowId}|${b.programmeCode}|${Number(b.amount)}`)];
          }),
        ),
    },
    {
      name: 'one person by ID number → household, members, benefits, disability',
      hub: `{ person(idNumber: "${idNumber}") { id name household(asOf: "${asOf}") { id members(asOf: "${asOf}") { person { id } } }
          benefits(activeOn: "${asOf}") { id programmeCode } disability { certificateNo grade category } } }`,
      pg: `{ personByIdNumber(idNumber: "${idNumber}") { rowId name
          membershipsByPersonId(filter: ${currentMembers}) { nodes { householdByHouseholdId { rowId
            membershipsByHouseholdId(filter: ${currentMembers}) { nodes { personId } } } } }
          benefitsByPersonId(filter: ${activeOn(asOf)}) { nodes { rowId programmeCode } }
          disabilityCertificatesByPersonId(filter: { retiredAt: { isNull: true } }) { nodes { certificateNo grade category } } } }`,
      hubRows: ({ person: p }) => [
        `person|${p.id}|${p.name}`,
        ...(p.household ? [`household|${p.household.id}`, ...p.household.members.map((m: Json) => `member|${m.person.id}`)] : []),
        ...p.benefits.map((b: Json) => `benefit|${b.id}|${b.programmeCode}`),
        ...p.disability.map((c: Json) => `disability|${c.certificateNo}|${c.grade}|${c.category}`),
      ],
      pgRows: ({ personByIdNumber: p }) => [
        `person|${p.rowId}|${p.name}`,
        ...p.membershipsByPersonId.nodes.flatMap((m: Json) => [
          `household|${m.householdByHouseholdId.rowId}`,
          ...m.householdByHouseholdId.membershipsByHouseholdId.nodes.map((x: Json) => `member|${x.personId}`),
        ]),
        ...p.benefitsByPersonId.nodes.map((b: Json) => `benefit|${b.rowId}|${b.programmeCode}`),
        ...p.disabilityCertificatesByPersonId.nodes.map((c: Json) => `disability|${c.certificateNo}|${c.grade}|${c.category}`),
      ],
    },
    {
      name: '50 OPEN person findings → person, evidence',
      hub: `{ findings(first: 50, filter: { status: [OPEN], rule: ${rules} }) { edges { node { id rule person { id idNumber } evidence { feed stream recordKey } } } } }`,
      pg: `{ allFindings(first: 50, orderBy: ROW_ID_DESC, filter: { status: { equalTo: "OPEN" }, rule: { in: ${rules} }, subjectType: { equalTo: "person" } }) {
          nodes { rowId rule personByPersonId { rowId idNumber } evidence } } }`,
      hubRows: (d) =>
        d.findings.edges.flatMap((e: Json) => [
          `finding|${e.node.id}|${e.node.rule}|${e.node.person?.id}|${e.node.person?.idNumber}`,
          ...e.node.evidence.map((x: Json) => `evidence|${e.node.id}|${x.feed}|${x.stream}|${x.recordKey}`),
        ]),
      pgRows: (d) =>
        d.allFindings.nodes.flatMap((f: Json) => [
          `finding|${f.rowId}|${f.rule}|${f.personByPersonId?.rowId}|${f.personByPersonId?.idNumber}`,
          ...(f.evidence as Json[]).map((x: Json) => `evidence|${f.rowId}|${x.feed}|${x.stream}|${x.recordKey ?? x.record_key}`),
        ]),
    },
    // the office's page (src/server/office/office.js): its overview and its findings list
    {
      name: "office page: the city's coverage with its counties (OfficeOverview)",
      hub: `{ region(code: "3710") { code name children { code name } }
        coverage(regionCode: "3710", asOf: "${asOf}") { regionCode name asOf persons residents byCategory { category persons } openFindings { rule count }
          previous { persons byCategory { category persons } }
          children { regionCode name persons residents byCategory { category persons } openFindings { rule count } } } }`,
      pg: null,
      hubRows: (d) => [String(d.coverage.persons), ...d.coverage.children.map((c: Json) => `${c.regionCode}|${c.persons}`)],
      pgRows: () => [],
    },
    {
      name: "office page: a page of findings (OfficeFindings)",
      hub: `{ findings(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { node { id rule kind status identity periodStart periodEnd clauses
          region { code name } person { name idNumber } household { id } } } } }`,
      pg: null,
      hubRows: (d) => d.findings.edges.map((e: Json) => e.node.id),
      pgRows: () => [],
    },
    // analysts' questions (issue 17): the hub alone, PostGraphile has no aggregates of these concepts
    {
      name: 'analysts: grade 1–2 disabled in 文登区 on DIBAO, by town and sex (personsAggregate)',
      hub: `{ personsAggregate(asOf: "${asOf}", groupBy: [REGION_TOWN, SEX],
          where: { regionCode: { _prefix: "371003" }, disability: { grade: { _lte: 2 } }, category: { _eq: DIBAO } }) { keys { key value name } count suppressed } }`,
      pg: null,
      single: true,
      hubRows: (d) => d.personsAggregate.map((g: Json) => `${g.keys.map((k: Json) => k.value).join('|')}|${g.count}`),
      pgRows: () => [],
    },
    {
      name: 'analysts: what TK cost per county per month this year (benefitsAggregate)',
      hub: `{ benefitsAggregate(from: "${asOf.slice(0, 4)}-01-01", to: "${asOf}", groupBy: [REGION_COUNTY, MONTH],
          where: { programme: { _eq: "TK" } }) { keys { key value name } count suppressed persons sum avg } }`,
      pg: null,
      single: true,
      hubRows: (d) => d.benefitsAggregate.map((g: Json) => `${g.keys.map((k: Json) => k.value).join('|')}|${g.count}|${g.sum}`),
      pgRows: () => [],
    },
    {
      name: 'analysts: a filtered page — DIBAO people of 文登区, oldest first (persons where, orderBy)',
      hub: `{ persons(first: 50, where: { category: { _eq: DIBAO }, regionCode: { _prefix: "371003" } }, orderBy: { field: AGE, direction: DESC }) {
          totalCount edges { node { id sex birthYear } } } }`,
      analyst: `{ persons(where: { category: { _eq: DIBAO }, regionCode: { _prefix: "371003" } }, orderBy: { field: AGE, direction: DESC }) { totalCount } }`,
      pg: null,
      single: true,
      hubRows: (d) => [String(d.persons.totalCount), ...(d.persons.edges ?? []).map((e: Json) => e.node.id)],
      pgRows: () => [],
    },
    {
      name: 'analysts: a filtered page — households of 文登区 on DIBAO, largest first (households where, orderBy SIZE)',
      hub: `{ households(first: 50, where: { regionCode: { _prefix: "371003" }, programme: { _eq: "DB" } }, orderBy: { field: SIZE, direction: DESC }) {
          totalCount edges { node { id registrationType } } } }`,
      analyst: `{ households(where: { regionCode: { _prefix: "371003" }, programme: { _eq: "DB" } }, orderBy: { field: SIZE, direction: DESC }) { totalCount } }`,
      pg: null,
      single: true,
      hubRows: (d) => [String(d.households.totalCount), ...(d.households.edges ?? []).map((e: Json) => e.node.id)],
      pgRows: () => [],
    },
  ];
}

/** Warm requests after the first, per role. */
const WARM_REQUESTS = 5;

/**
 * An analyst's question asked by one person: the first request (what they wait for after the hub
 * started, caches cold for that statement) and WARM_REQUESTS more, one after another, per role.
 */
async function singleRequests(url: string, roles: Record<'OFFICE' | 'ANALYST', Record<string, string>>, shape: Shape) {
  const out: Record<string, { firstMs: number; warmMs: number[]; warmP50Ms: number; warmMaxMs: number; rows: number }> = {};
  for (const [role, headers] of Object.entries(roles)) {
    const timed = async () => {
      const at = performance.now();
      const data = await post(url, headers, role === 'ANALYST' ? (shape.analyst ?? shape.hub) : shape.hub);
      return { ms: Math.round(performance.now() - at), rows: shape.hubRows(data).length };
    };
    const first = await timed();
    const warm: number[] = [];
    for (let i = 0; i < WARM_REQUESTS; i++) warm.push((await timed()).ms);
    const sorted = [...warm].sort((a, b) => a - b);
    out[role] = { firstMs: first.ms, warmMs: warm, warmP50Ms: sorted[Math.floor(sorted.length / 2)]!, warmMaxMs: sorted[sorted.length - 1]!, rows: first.rows };
    process.stdout.write(`  ${role.padEnd(7)}: first ${first.ms} ms, warm ${warm.join(' / ')} ms (${first.rows} rows)\n`);
  }
  return out;
}

/** Rows of one answer but not the other, both ways. */
function difference(a: string[], b: string[]): { onlyHub: string[]; onlyPg: string[] } {
  const [sa, sb] = [new Set(a), new Set(b)];
  return { onlyHub: [...sa].filter((x) => !sb.has(x)), onlyPg: [...sb].filter((x) => !sa.has(x)) };
}

interface Timing {
  server: 'hub' | 'pg';
  round: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  sqlPerRequest: number | null;
  /** the server process's CPU (user + system) per request; clock ticks of 10 ms, so a mean over thousands */
  serverCpuMsPerRequest: number | null;
  /** where the database's time went: the three statements of most total time */
  topStatements: Array<{ query: string; calls: number; meanMs: number; totalMs: number }> | null;
}

async function main() {
  const city = await keptCity(households, { label: 'api-compare', statementStatistics: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-bench-api-compare-hub-'));
  const db = await openDatabase(city.url, { poolSize: 2 });
  const servers: Server[] = [];
  try {
    const graph = (await db.pool.query(`select (select count(*) from person)::int as persons, (select count(*) from household)::int as households,
        (select count(*) from finding)::int as findings`)).rows[0];
    const asOf = (await db.pool.query<{ d: string | null }>(`select bookmark->>'asOf' as d from connector_bookmark where connector = 'economic-check' and stream = 'facts'`)).rows[0]?.d ?? '2026-10-31';
    if (graph.findings === 0) {
      process.stdout.write(`rules as of ${asOf}…\n`);
      await runRules(db.pool, ruleCatalogue, { asOf, city: CITY });
      graph.findings = (await db.pool.query(`select count(*)::int as n from finding`)).rows[0].n;
    }
    process.stdout.write(`city: ${JSON.stringify(graph)}; dates as of ${asOf}\n`);
    // SQL per request: pg_stat_statements where it is loaded (the embedded server here preloads it)
    const statements = await db.pool
      .query(`create extension if not exists pg_stat_statements`)
      .then(() => db.pool.query(`select count(*) from pg_stat_statements`))
      .then(() => true)
      .catch((e: Error) => (process.stdout.write(`no pg_stat_statements (${e.message}): SQL per request not measured\n`), false));
    const statementCount = async (): Promise<number> =>
      Number((await db.pool.query(`select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`)).rows[0].n);

    // a person the two servers' notions of "their household" agree on: exactly one current
    // membership, with benefits active on the date and a disability certificate
    const someone = (await db.pool.query<{ idNumber: string }>(
      `select p.id_number as "idNumber" from person p
        where (select count(*) from membership m where m.person_id = p.id and m.retired_at is null and m.valid_to is null) = 1
          and exists (select 1 from benefit b where b.person_id = p.id and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, $1::date))
          and exists (select 1 from disability_certificate c where c.person_id = p.id and c.retired_at is null)
        order by p.id limit 1`,
      [asOf],
    )).rows[0];
    if (!someone) throw new Error('no person with one household, a benefit and a disability certificate in this city');
    // "person findings": the rules whose open findings are all about a person (the hub's filter
    // has no subject type; D1, for one, also judges households)
    const personRules = (await db.pool.query<{ rule: string }>(
      `select rule from finding where status = 'OPEN' group by rule having bool_and(subject_type = 'person') order by rule`,
    )).rows.map((r) => r.rule);

    const token = (await issueToken(db.pool, CITY, Object.keys(connectors), { role: 'OFFICE', label: 'bench:api', days: 1 })).token;
    const analystToken = (await issueToken(db.pool, CITY, Object.keys(connectors), { role: 'ANALYST', label: 'bench:api analyst', days: 1 })).token;
    const only = process.env.BENCH_SHAPES;
    const chosen = shapes(asOf, someone.idNumber, personRules).filter((x) => !only || only.split(',').some((part) => x.name.includes(part)));
    const hub = await startHub(city.url, dir);
    servers.push(hub);
    let pgl: Server | null = null;
    if (chosen.some((x) => x.pg !== null)) {
      installPostGraphile();
      pgl = await startPostGraphile(city.url);
      servers.push(pgl);
    }
    process.stdout.write(`hub at ${hub.url}${pgl ? `, PostGraphile at ${pgl.url}` : ''} (loopback)\n`);
    const target = { hub: { url: hub.url, headers: { authorization: `Bearer ${token}` } }, pg: { url: pgl?.url ?? '', headers: {} as Record<string, string> } };
    const roleHeaders = { OFFICE: target.hub.headers, ANALYST: { authorization: `Bearer ${analystToken}` } };

    const requireFromBench = createRequire(path.join(PG_DIR, 'package.json'));
    const autocannon = requireFromBench('autocannon') as (opts: Json) => Promise<Json>;
    // the office page's shapes are one person's clicks, whole-city aggregates among them: one connection
    const cannon = (server: 'hub' | 'pg', query: string, seconds: number, connections = CONNECTIONS) =>
      autocannon({
        url: `${target[server].url}/graphql`,
        connections,
        timeout: 60,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target[server].headers },
        body: JSON.stringify({ query }),
      });

    const results: Json[] = [];
    const schema = await hubSchema();
    const figures = await costFiguresOf(db.pool);
    process.stdout.write(`hub admission: ${maxExpensive} expensive operation(s) at a time (cost from ${DEFAULT_ADMISSION.expensiveCost})\n`);
    for (const shape of chosen) {
      const doc = parse(shape.hub);
      const hubCost = queryCost(schema, doc, getOperationAST(doc)!, {}, { figures, scope: CITY });
      process.stdout.write(`\n${shape.name} (hub cost ${JSON.stringify(hubCost)})\n`);
      if (shape.single) {
        results.push({ shape: shape.name, hubCost, single: await singleRequests(hub.url, roleHeaders, shape) });
        continue;
      }
      const firstAt = performance.now();
      const hubRows = shape.hubRows(await post(hub.url, target.hub.headers, shape.hub));
      const firstMs = Math.round(performance.now() - firstAt);
      const pgRows = shape.pg === null ? hubRows : shape.pgRows(await post(pgl!.url, target.pg.headers, shape.pg));
      if (shape.pg === null) process.stdout.write(`  the hub alone (${hubRows.length} rows, first answer in ${firstMs} ms)\n`);
      const diff = difference(hubRows, pgRows);
      const same = diff.onlyHub.length === 0 && diff.onlyPg.length === 0;
      if (shape.pg !== null) process.stdout.write(`  rows: hub ${new Set(hubRows).size}, PostGraphile ${new Set(pgRows).size} — ${same ? 'the same' : 'DIFFERENT, not timed'}\n`);
      if (!same) {
        process.stdout.write(`  only the hub: ${JSON.stringify(diff.onlyHub.slice(0, 10))}${diff.onlyHub.length > 10 ? ` … (${diff.onlyHub.length})` : ''}\n`);
        process.stdout.write(`  only PostGraphile: ${JSON.stringify(diff.onlyPg.slice(0, 10))}${diff.onlyPg.length > 10 ? ` … (${diff.onlyPg.length})` : ''}\n`);
        results.push({ shape: shape.name, hubCost, rows: { hub: hubRows.length, pg: pgRows.length }, same, difference: diff });
        continue;
      }
      if (process.env.BENCH_CHECK_ONLY === '1') {
        results.push({ shape: shape.name, hubCost, rows: { hub: hubRows.length, pg: pgRows.length }, same, checkOnly: true });
        continue;
      }
      const timings: Timing[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        for (const server of shape.pg === null ? (['hub'] as const) : (['hub', 'pg'] as const)) {
          const query = server === 'hub' ? shape.hub : shape.pg!;
          const connections = shape.pg === null ? 1 : CONNECTIONS;
          await cannon(server, query, WARMUP_S, connections);
          if (statements) await db.pool.query(`select pg_stat_statements_reset()`);
          const before = statements ? await statementCount() : 0;
          const serverProcess = server === 'hub' ? hub.child : pgl!.child;
          const cpuBefore = cpuMsOf(serverProcess.pid);
          const r = await cannon(server, query, MEASURE_S, connections);
          const cpuMs = cpuMsOf(serverProcess.pid) - cpuBefore;
          // the reset and this count are the benchmark's own two statements
          const sql = statements ? (await statementCount()) - before - 2 : null;
          const top = statements
            ? (await db.pool.query(
                `select left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query, calls::int, round(mean_exec_time::numeric, 2)::float as "meanMs",
                        round(total_exec_time::numeric)::float as "totalMs"
                   from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                    and query not like '%pg_stat_statements%'
                  order by total_exec_time desc limit 3`,
              )).rows
            : null;
          const t: Timing = {
            server,
            round,
            reqPerSec: Number(r.requests.average.toFixed(1)),
            p50: r.latency.p50,
            p99: r.latency.p99,
            requests: r.requests.total,
            non2xx: r.non2xx,
            errors: r.errors,
            sqlPerRequest: sql === null || !r.requests.total ? null : Number((sql / r.requests.total).toFixed(2)),
            serverCpuMsPerRequest: r.requests.total ? Number((cpuMs / r.requests.total).toFixed(2)) : null,
            topStatements: top,
          };
          timings.push(t);
          process.stdout.write(`  round ${round} ${server === 'hub' ? 'hub         ' : 'PostGraphile'}: ${t.reqPerSec} req/s, p50 ${t.p50} ms, p99 ${t.p99} ms, ${t.sqlPerRequest ?? '–'} SQL/request, ${t.serverCpuMsPerRequest ?? '–'} ms server CPU/request${t.non2xx || t.errors ? ` (${t.non2xx} non-2xx, ${t.errors} errors)` : ''}\n`);
        }
      }
      const mean = (server: 'hub' | 'pg', k: 'reqPerSec' | 'p50' | 'p99' | 'sqlPerRequest' | 'serverCpuMsPerRequest') => {
        const xs = timings.filter((t) => t.server === server).map((t) => t[k]);
        return !xs.length || xs.some((x) => x === null) ? null : Number(((xs as number[]).reduce((a, b) => a + b, 0) / xs.length).toFixed(1));
      };
      const summary = Object.fromEntries((['hub', 'pg'] as const).map((s) => [s, { reqPerSec: mean(s, 'reqPerSec'), p50: mean(s, 'p50'), p99: mean(s, 'p99'), sqlPerRequest: mean(s, 'sqlPerRequest'), serverCpuMsPerRequest: mean(s, 'serverCpuMsPerRequest') }]));
      const ratio = summary.pg.reqPerSec === null ? null : Number((summary.hub.reqPerSec! / summary.pg.reqPerSec).toFixed(2));
      results.push({ shape: shape.name, hubCost, rows: { hub: hubRows.length, pg: pgRows.length }, same, timings, summary, ratioHubToPgReqPerSec: ratio });
    }

    process.stdout.write(`\n| shape | hub req/s | PG req/s | hub/PG | hub p50 / p99 ms | PG p50 / p99 ms | SQL/request hub / PG | server CPU ms/request hub / PG |\n|---|---|---|---|---|---|---|---|\n`);
    for (const r of results) {
      if (r.single) continue;
      if (!r.same || r.checkOnly) {
        process.stdout.write(`| ${r.shape} | ${r.same ? 'same rows (BENCH_CHECK_ONLY: not timed)' : 'rows differ: not timed'} ||||||\n`);
        continue;
      }
      const { hub: h, pg: p } = r.summary;
      process.stdout.write(`| ${r.shape} | ${h.reqPerSec} | ${p.reqPerSec ?? '–'} | ${r.ratioHubToPgReqPerSec ?? '–'} | ${h.p50} / ${h.p99} | ${p.p50 ?? '–'} / ${p.p99 ?? '–'} | ${h.sqlPerRequest ?? '–'} / ${p.sqlPerRequest ?? '–'} | ${h.serverCpuMsPerRequest ?? '–'} / ${p.serverCpuMsPerRequest ?? '–'} |\n`);
    }
    const out = {
      households,
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg(),
      graph,
      asOf,
      hubAdmission: { ...DEFAULT_ADMISSION, maxExpensive },
      method: { connections: CONNECTIONS, warmupSeconds: WARMUP_S, seconds: MEASURE_S, rounds: ROUNDS, sqlPerRequest: statements ? 'pg_stat_statements calls / requests' : null },
      results,
    };
    const singles = results.filter((r) => r.single);
    if (singles.length) {
      process.stdout.write(`\n| question (single requests) | OFFICE first / warm p50 / warm max ms | ANALYST first / warm p50 / warm max ms | rows OFFICE / ANALYST |\n|---|---|---|---|\n`);
      for (const r of singles) {
        const [o, a] = [r.single.OFFICE, r.single.ANALYST];
        process.stdout.write(`| ${r.shape} | ${o.firstMs} / ${o.warmP50Ms} / ${o.warmMaxMs} | ${a.firstMs} / ${a.warmP50Ms} / ${a.warmMaxMs} | ${o.rows} / ${a.rows} |\n`);
      }
    }
    process.stdout.write(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
    if (process.env.BENCH_CHECK_ONLY === '1') return;
    const file = path.join(
      __dirname,
      'results',
      `api-compare-${households}${process.env.BENCH_MAX_EXPENSIVE ? `-maxExpensive${maxExpensive}` : ''}${only ? `-${only.replace(/[^a-z0-9]+/gi, '_')}` : ''}.json`,
    );
    fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    for (const s of servers.reverse()) await s.stop();
    await db.close();
    await city.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
