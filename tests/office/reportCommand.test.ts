import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startScheduler } from '../../src/scheduler/scheduler';
import { previousMonth } from '../../src/rules/reports/monthlyReport';
import { todayInShanghai } from '../../src/identity';
import { openTestDatabase } from '../support/hubDatabase';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', 'bin', 'weijiu');

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
}, 60_000);
afterAll(() => db?.drop());

async function weijiu(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: os.tmpdir(), env: { ...process.env, DATABASE_URL: db.url, WEIJIU_CONFIG: '' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('weijiu report month freezes a month once; again only with --replace; a wrong month is named', async () => {
  const made = await weijiu('report', 'month', '2026-10');
  expect(made.stdout).toContain('report 2026-10 made: figures as of 2026-10-31');
  expect(made.code).toBe(0);
  const first = await db.pool.query(`select made_at from monthly_report where month = '2026-10'`);
  const again = await weijiu('report', 'month', '2026-10');
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('never changes');
  const same = await db.pool.query(`select made_at from monthly_report where month = '2026-10'`);
  expect(same.rows[0].made_at).toEqual(first.rows[0].made_at);
  const replaced = await weijiu('report', 'month', '2026-10', '--replace');
  expect(replaced.stdout).toContain('made again');
  const regions = await db.pool.query(`select count(*)::int as n from monthly_report_region where month = '2026-10'`);
  expect(regions.rows[0].n).toBeGreaterThan(2000); // every region of Weihai, each once
  const wrong = await weijiu('report', 'month', '2026-13');
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain('not a month');
}, 120_000);

test('the schedule `report` makes the month just ended, and leaves a made one as it is', async () => {
  const month = previousMonth(todayInShanghai().slice(0, 7));
  const config = { ...loadConfig({ env: {}, overrides: { databaseUrl: db.url } }), report: '* * * * * *' };
  const scheduler = startScheduler(db, config, {}, createLogger({ level: 'silent' }));
  try {
    let found = 0;
    for (let i = 0; i < 100 && !found; i++) {
      await new Promise((r) => setTimeout(r, 100));
      found = (await db.pool.query(`select 1 from monthly_report where month = $1`, [month])).rowCount ?? 0;
    }
    expect(found).toBe(1);
    const first = await db.pool.query(`select made_at from monthly_report where month = $1`, [month]);
    await new Promise((r) => setTimeout(r, 1500));
    const later = await db.pool.query(`select made_at from monthly_report where month = $1`, [month]);
    expect(later.rows[0].made_at).toEqual(first.rows[0].made_at);
  } finally {
    await scheduler.stop();
  }
}, 60_000);
