/**
 * `npm run bench:ingest`: a first sync of a generated civil-affairs feed (BENCH_HOUSEHOLDS,
 * default 100,000 households) into an empty database, then a second sync of the unchanged feed.
 * Prints records per second and the hub's peak memory, and writes them under bench/results/.
 * Uses DATABASE_URL when set, else a fresh embedded PostgreSQL in a temporary folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { civilAffairs } from '../connectors/civil-affairs';
import { prepareDatabase } from '../src/db/connect';
import { openDatabase } from '../src/db/database';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres';
import { runConnector } from '../src/ingest/syncRunner';
import pg from 'pg';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);

async function main() {
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  let adminUrl = process.env.DATABASE_URL;
  const home = fs.mkdtempSync(path.join(fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir(), 'weijiu-bench-'));
  fs.chmodSync(home, 0o755);
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ home, port: 0 });
    adminUrl = embedded.url;
  }
  const dbName = `weijiu_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;

  process.stdout.write(`generating and serving ${households.toLocaleString()} households in a separate process…\n`);
  const registry = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'civilAffairsRegistryProcess.ts')], {
    env: { ...process.env, BENCH_HOUSEHOLDS: String(households) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const registryUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    registry.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out).url);
    });
    registry.once('exit', (code) => reject(new Error(`registry exited ${code}`)));
  });

  const db = await openDatabase(url.toString());
  const results: Record<string, unknown> = { households, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length };
  try {
    await prepareDatabase(db, '3710');
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const first = await runConnector(db, civilAffairs, { source: registryUrl, pageSize: 500 }, {
      onProgress: (p) => process.stdout.isTTY && process.stdout.write(`\r  first sync: ${p.counts.read.toLocaleString()} records…`),
    });
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
    const second = await runConnector(db, civilAffairs, { source: registryUrl, pageSize: 500 });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const sizes = (
      await db.pool.query(`select (select count(*) from person)::int as persons, (select count(*) from household)::int as households,
                                  (select count(*) from membership)::int as memberships, (select count(*) from benefit)::int as benefits`)
    ).rows[0];
    Object.assign(results, {
      first: { status: first.status, records: first.read, seconds: first.seconds, recordsPerSecond: Math.round(first.read / first.seconds), quarantined: first.quarantined },
      second: { status: second.status, records: second.read, seconds: second.seconds, inserted: second.inserted, updated: second.updated },
      peakRssMiB: Math.round(peak / 2 ** 20),
      rssBeforeMiB: Math.round(rssBefore / 2 ** 20),
      graph: sizes,
    });
    process.stdout.write(
      `civil-affairs first sync: ${first.read.toLocaleString()} records in ${first.seconds.toFixed(1)} s = ${Math.round(first.read / first.seconds).toLocaleString()} records/s (${first.status}, ${first.quarantined} quarantined)\n` +
        `second sync (no changes, bookmark): ${second.read.toLocaleString()} records in ${second.seconds.toFixed(2)} s, ${second.inserted} inserted, ${second.updated} updated\n` +
        `graph: ${JSON.stringify(sizes)}\n` +
        `hub peak RSS: ${Math.round(peak / 2 ** 20)} MiB (before sync ${Math.round(rssBefore / 2 ** 20)} MiB)\n`,
    );
    const file = path.join(__dirname, 'results', `ingest-civil-affairs-${households}.json`);
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    registry.kill();
    await db.close();
    await admin.query(`drop database ${dbName} with (force)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
