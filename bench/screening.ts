/**
 * `npm run bench:screening`: a 100,000-row proposed list uploaded to a hub (`weijiu serve`, 640 MB
 * heap) over a generated city, as a department would send it (`POST /api/screenings`, a UTF-8 CSV
 * with a BOM): people of the graph in random order, a few with a wrong check digit, a few nobody
 * knows, some twice. Measures the upload's seconds (read, stored, every reason judged), a
 * `rescreen` of the same list through GraphQL, and the hub's peak RSS. Targets: under 30 s, hub
 * memory under 1 GiB (office.md, issue 14).
 *
 * The city: BENCH_DATABASE_URL (a database kept by `BENCH_KEEP=1 npm run bench:ingest`), else
 * bench/ingest.ts is run for BENCH_HOUSEHOLDS households (default: Weihai, 1,190,000). Writes
 * bench/results/screening-<BENCH_HOUSEHOLDS>.json. Its lists stay in the database given.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectors } from '../connectors';
import { issueToken } from '../src/auth/tokenStore';
import { openDatabase } from '../src/db/database';
import { checkDigit } from '../src/identity';
import { WEIHAI_HOUSEHOLDS } from '../src/simulator/weihai';
import { keptCity, startServe } from './ingestChild';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? WEIHAI_HOUSEHOLDS);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const CITY = '3710';
const TARGET_SECONDS = 30;
const TARGET_RSS_MIB = 1024;

/** The list: people of the graph, shuffled by the database; 1% wrong check digits, 1% unknown, 1% repeated. */
async function listCsv(db: Awaited<ReturnType<typeof openDatabase>>): Promise<{ csv: Buffer; distinctPeople: number }> {
  const { rows } = await db.pool.query<{ id: string; name: string }>(
    `select id_number as id, name from person order by md5(id_number) limit $1`,
    [ROWS],
  );
  const lines = ['2026年临时救助拟救助人员名单（基准）', '序号,身份证号,姓名,拟救助金额,备注'];
  for (let i = 0; i < ROWS; i++) {
    const p = rows[i % rows.length]!;
    let id = p.id;
    if (i % 100 === 7) id = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    if (i % 100 === 13) {
      // valid numbers nobody holds (born 1 January 1901)
      const first17 = `37100219010101${String(Math.floor(i / 100) % 1000).padStart(3, '0')}`;
      id = first17 + checkDigit(first17);
    }
    if (i % 100 === 29 && i > 0) id = rows[(i - 1) % rows.length]!.id;
    lines.push(`${i + 1},${id},${p.name},1000.00,`);
  }
  lines.push(`合计,,,${(ROWS * 1000).toFixed(2)},`);
  return { csv: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n')]), distinctPeople: rows.length };
}

async function main() {
  const city = await keptCity(households, { label: 'screening' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-bench-screening-'));
  const db = await openDatabase(city.url, { poolSize: 2 });
  let hub: Awaited<ReturnType<typeof startServe>> | null = null;
  try {
    const graph = (await db.pool.query(`select (select count(*) from person)::int as persons, (select count(*) from household)::int as households,
        (select count(*) from benefit where retired_at is null)::int as benefits`)).rows[0];
    process.stdout.write(`city: ${JSON.stringify(graph)}\n`);
    const { csv, distinctPeople } = await listCsv(db);
    process.stdout.write(`list: ${ROWS.toLocaleString()} rows (${distinctPeople.toLocaleString()} people of the graph), ${(csv.length / 1024 / 1024).toFixed(1)} MB\n`);
    const token = (await issueToken(db.pool, CITY, Object.keys(connectors), { role: 'OFFICE', label: 'bench:screening', days: 1 })).token;
    hub = await startServe(city.url, dir, { city: CITY });
    const running = hub;
    let peakSampled = 0;
    const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, running.rssMiB() ?? 0)), 100);

    const form = new FormData();
    for (const [k, v] of Object.entries({ programme: 'LS', year: '2026', regionCode: CITY, title: 'bench', asOf: '2026-10-31' })) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(csv)]), 'bench.csv');
    const started = Date.now();
    const res = await fetch(`${hub.url}/api/screenings`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const uploadSeconds = (Date.now() - started) / 1000;
    const body = (await res.json()) as { id?: string; rows?: number; rejected?: number; error?: unknown };
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
    process.stdout.write(`upload: ${uploadSeconds.toFixed(1)} s — ${JSON.stringify(body)}\n`);

    const again = Date.now();
    const rescreened = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `mutation($id: ID!) { rescreen(id: $id, asOf: "2026-10-31") { counts { verdict rows } } }`, variables: { id: body.id } }),
    });
    const rescreenSeconds = (Date.now() - again) / 1000;
    const counts = (await rescreened.json()) as any;
    if (counts.errors) throw new Error(`rescreen: ${JSON.stringify(counts.errors)}`);
    process.stdout.write(`rescreen: ${rescreenSeconds.toFixed(1)} s — ${JSON.stringify(counts.data.rescreen.counts)}\n`);
    clearInterval(sampler);
    const reasons = (await db.pool.query(
      `select code, count(*)::int as rows from screening_reason where judgement_id = (select max(id) from screening_judgement where screening_id = $1) group by code order by code`,
      [body.id],
    )).rows;
    const peakRssMiB = Math.max(peakSampled, hub.peakRssMiB() ?? 0);
    const results = {
      households, rows: ROWS, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), graph,
      uploadSeconds, rescreenSeconds, peakRssMiB, answer: body, counts: counts.data.rescreen.counts, reasons,
      targets: { seconds: TARGET_SECONDS, rssMiB: TARGET_RSS_MIB },
    };
    process.stdout.write(`reasons: ${JSON.stringify(reasons)}\nhub peak RSS ${peakRssMiB} MiB\n`);
    process.stdout.write(`\n${ROWS.toLocaleString()} rows screened in ${uploadSeconds.toFixed(1)} s (target < ${TARGET_SECONDS} s: ${uploadSeconds < TARGET_SECONDS ? 'met' : 'MISSED'}); hub peak ${peakRssMiB} MiB (target < ${TARGET_RSS_MIB}: ${peakRssMiB < TARGET_RSS_MIB ? 'met' : 'MISSED'})\n`);
    const file = path.join(__dirname, 'results', `screening-${households}.json`);
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await hub?.stop();
    await db.close();
    await city.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
