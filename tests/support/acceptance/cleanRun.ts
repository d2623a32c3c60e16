/**
 * The clean run every "same graph" comparison is made against: `weijiu sync --all` of the whole
 * sample set into an empty database, registries answering every request at once. It is made
 * once per Jest run and shared by the acceptance test files (they run in different workers)
 * through a file: the first worker to need it makes it, the others wait for it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { todayInShanghai } from '../../../src/identity';
import { createTestDatabase } from '../testDatabase';
import { dumpGraph, type GraphDump } from './graphDump';
import { createHubWorkspace } from './hubWorkspace';
import { startSampleRegistries } from './sampleRegistries';
import { syncRuns, type SyncRunRow } from './syncRuns';
import { runWeijiu, type CliOutcome } from './weijiuCli';

export interface CleanRun {
  outcome: CliOutcome;
  /** the sync runs it recorded */
  runs: Array<Pick<SyncRunRow, 'connector' | 'status' | 'error'>>;
  /** the graph right after the run */
  dump: GraphDump;
  /** the graph after a second `sync --all` on the same database */
  again: { outcome: CliOutcome; dump: GraphDump };
}

/**
 * One file per Jest run: the workers of a run share their parent process and PostgreSQL; the
 * day is part of it because the economic check draws its population as of today.
 */
function baselineFile(): string {
  const run = crypto
    .createHash('sha1')
    .update(`${process.ppid}|${process.env.WEIJIU_TEST_ADMIN_URL ?? ''}|${todayInShanghai()}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(os.tmpdir(), `weijiu-acceptance-clean-run-${run}.json`);
}

/** a file left by an earlier run with the same key is not trusted */
const FRESH_MS = 30 * 60_000;

async function makeCleanRun(): Promise<CleanRun> {
  const registries = await startSampleRegistries();
  const workspace = createHubWorkspace(registries.urls);
  const db = await createTestDatabase();
  try {
    const outcome = await runWeijiu(['sync', '--all'], workspace, db.url);
    // every comparison with it would fail for the wrong reason
    if (outcome.code !== 0) throw new Error(`the clean run of weijiu sync --all exited ${outcome.code}:\n${outcome.stdout}\n${outcome.stderr}`);
    const dump = await dumpGraph(db.url);
    const runs = (await syncRuns(db.url)).map(({ connector, status, error }) => ({ connector, status, error }));
    const second = await runWeijiu(['sync', '--all'], workspace, db.url);
    return { outcome, runs, dump, again: { outcome: second, dump: await dumpGraph(db.url) } };
  } finally {
    await db.drop();
    await registries.close();
    workspace.remove();
  }
}

/** Clean runs of earlier Jest runs: of no use any more. */
function forgetOldRuns(current: string): void {
  const dir = path.dirname(current);
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith('weijiu-acceptance-clean-run-') || path.join(dir, name).startsWith(current)) continue;
    try {
      if (Date.now() - fs.statSync(path.join(dir, name)).mtimeMs > FRESH_MS) fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // another run's file, gone meanwhile
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let mine: Promise<CleanRun> | null = null;

export function cleanRun(): Promise<CleanRun> {
  return (mine ??= shared());
}

async function shared(): Promise<CleanRun> {
  const file = baselineFile();
  const lock = `${file}.lock`;
  const read = (): CleanRun | null => {
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > FRESH_MS) return null;
      return JSON.parse(fs.readFileSync(file, 'utf8')) as CleanRun;
    } catch {
      return null;
    }
  };
  for (const until = Date.now() + 120_000; Date.now() < until; ) {
    const made = read();
    if (made) return made;
    let fd: number | null = null;
    try {
      fd = fs.openSync(lock, 'wx');
    } catch {
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(lock, 'utf8'));
      } catch {
        // released meanwhile
      }
      if (owner && !alive(owner)) fs.rmSync(lock, { force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      forgetOldRuns(file);
      const run = await makeCleanRun();
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(run));
      fs.renameSync(`${file}.tmp`, file);
      return run;
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`the clean run (${file}) was not made within 2 minutes`);
}
