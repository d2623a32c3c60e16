/**
 * `npm run bench:export`: the coverage export of the whole city (`GET /api/exports/coverage.xlsx`,
 * the city and its counties as of a day) and the findings export (every finding) over a
 * Weihai-scale database, through the hub's own export routes on a real HTTP server, streamed to
 * the client and counted. Measures seconds to the last byte and the process's peak RSS under the
 * hub's heap cap (run with --max-old-space-size=640); and the coverage of every region at once, as
 * `weijiu report month` freezes it. Targets (issue 15): under 10 s, under 1 GiB.
 *
 * The database: BENCH_DATABASE_URL, else the one named in /var/tmp/weihai/url (a city kept by
 * `BENCH_KEEP=1 npm run bench:ingest`). It is only read: the SQL functions of
 * Migration…15Reports it may lack are created inside one transaction on one connection, which
 * every query of the bench uses and which is rolled back at the end. Writes
 * bench/results/export-coverage.json.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import pg, { type Pool } from 'pg';
import { officeViewer } from '../src/auth/viewer';
import { functions as reportFunctions } from '../src/graph/migrations/Migration20261206000015Reports';
import { createLogger } from '../src/logging/logger';
import { exportRoutes } from '../src/server/exports/exportRoutes';
import { coverageFigures } from '../src/rules/reports/coverageFigures';

const CITY = '3710';
const AS_OF = process.env.BENCH_AS_OF ?? '2026-11-01';
const TARGET_SECONDS = 10;
const TARGET_RSS_MIB = 1024;

function databaseUrl(): string | null {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const file = '/var/tmp/weihai/url';
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
}

async function main(): Promise<number> {
  const url = databaseUrl();
  if (!url) {
    process.stderr.write('bench:export: no Weihai-scale database — set BENCH_DATABASE_URL, or keep one with `BENCH_KEEP=1 npm run bench:ingest`\n');
    return 2;
  }
  // calendar dates as strings, as the hub reads them (src/db/database.ts)
  pg.types.setTypeParser(1082, (v) => v);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  try {
    await client.query('begin');
    const present = await client.query(`select 1 from pg_proc where proname = 'weijiu_coverage'`);
    if (!present.rowCount) for (const sql of reportFunctions.filter((f) => !/trigger/.test(f))) await client.query(sql);
    const counts = await client.query<{ persons: string; findings: string }>(`select (select count(*) from person) as persons, (select count(*) from finding) as findings`);

    // one connection for every statement: the transaction's; statements queue on it
    const pool = { query: client.query.bind(client) } as unknown as Pool;
    const app = express();
    exportRoutes(app, {
      authenticate: async () => officeViewer(CITY, 'bench'),
      pool,
      city: CITY,
      today: () => AS_OF,
      audit: async () => undefined,
      log: createLogger({ level: 'silent' }),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const measure = async (what: string, urlPath: string) => {
      peakRss = process.memoryUsage().rss;
      const started = performance.now();
      const res = await fetch(`${base}${urlPath}`);
      if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      const seconds = (performance.now() - started) / 1000;
      const line = { what, path: urlPath, seconds: Number(seconds.toFixed(2)), bytes, peakRssMiB: Math.round(peakRss / 1024 / 1024) };
      process.stdout.write(`${what}: ${line.seconds} s, ${(bytes / 1024).toFixed(0)} KiB, peak RSS ${line.peakRssMiB} MiB\n`);
      return line;
    };
    const runs = [
      await measure('coverage of the city and its counties', `/api/exports/coverage.xlsx?regionCode=${CITY}&asOf=${AS_OF}`),
      await measure('coverage of a county and its towns', `/api/exports/coverage.xlsx?regionCode=371002&asOf=${AS_OF}`),
      await measure('every finding', `/api/exports/findings.xlsx`),
    ];
    await new Promise((resolve) => server.close(resolve));
    // what a monthly report freezes: every region of the city, all levels, in one call
    peakRss = process.memoryUsage().rss;
    const regions = await client.query<{ code: string }>(`select code from region where starts_with(code, $1)`, [CITY]);
    const started = performance.now();
    await coverageFigures(client, AS_OF, CITY, regions.rows.map((r) => r.code));
    const every = { what: `coverage of every region (${regions.rowCount}), as a monthly report freezes it`, seconds: Number(((performance.now() - started) / 1000).toFixed(2)), peakRssMiB: Math.round(peakRss / 1024 / 1024) };
    process.stdout.write(`${every.what}: ${every.seconds} s, peak RSS ${every.peakRssMiB} MiB\n`);
    const results = {
      at: new Date().toISOString(),
      asOf: AS_OF,
      persons: Number(counts.rows[0]!.persons),
      findings: Number(counts.rows[0]!.findings),
      heapLimitMiB: Math.round(require('node:v8').getHeapStatistics().heap_size_limit / 1024 / 1024),
      targets: { seconds: TARGET_SECONDS, rssMiB: TARGET_RSS_MIB },
      runs,
      reportCoverage: every,
      met: runs[0]!.seconds < TARGET_SECONDS && runs.every((r) => r.peakRssMiB < TARGET_RSS_MIB),
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', 'export-coverage.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${results.met ? 'met' : 'NOT met'}: the city's coverage export in ${runs[0]!.seconds} s (target ${TARGET_SECONDS} s), peak RSS ${Math.max(...runs.map((r) => r.peakRssMiB))} MiB (target ${TARGET_RSS_MIB} MiB)\n`);
    return results.met ? 0 : 1;
  } finally {
    clearInterval(sampler);
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench:export: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
