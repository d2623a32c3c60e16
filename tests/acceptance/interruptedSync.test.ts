/**
 * Issue "(2 of 5) Every department connector": a sync stopped part-way — SIGTERM, SIGKILL — and
 * two hub processes syncing one database at once, through the real command line. The
 * civil-affairs registry answers each page after 300 ms (pages of 10, ~18 pages) so that a sync
 * is still loading when the test stops it; the stop comes once batches have committed.
 */
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { cleanRun, type CleanRun } from '../support/acceptance/cleanRun';
import { dumpDifferences, dumpGraph, type GraphDump } from '../support/acceptance/graphDump';
import { CONNECTORS, createHubWorkspace, type HubWorkspace } from '../support/acceptance/hubWorkspace';
import { syncAllInProcess } from '../support/acceptance/inProcessSync';
import { startSampleRegistries, type SampleRegistries } from '../support/acceptance/sampleRegistries';
import { committedBatches, syncRuns, type SyncRunRow } from '../support/acceptance/syncRuns';
import { killLeftovers, runWeijiu, startWeijiu, summaryOf, type CliOutcome } from '../support/acceptance/weijiuCli';

// each step runs whole hub processes: minutes on a busy machine, seconds on an idle one
jest.setTimeout(180_000);

const PAGE_DELAY_MS = 300;

let clean: CleanRun;
let registries: SampleRegistries;

beforeAll(async () => {
  registries = await startSampleRegistries({ slow: { 'civil-affairs': PAGE_DELAY_MS } });
  clean = await cleanRun();
});

afterAll(async () => {
  await killLeftovers();
  await registries?.close();
});

/** A workspace and database of a test's own, the hub pointed at the slow registry. */
async function setting(): Promise<{ workspace: HubWorkspace; db: TestDatabase; close(): Promise<void> }> {
  const workspace = createHubWorkspace(registries.urls);
  const db = await createTestDatabase();
  return {
    workspace,
    db,
    close: async () => {
      await killLeftovers();
      await db.drop();
      workspace.remove();
    },
  };
}

describe('SIGTERM in the middle of a sync', () => {
  let own: Awaited<ReturnType<typeof setting>>;
  let outcome: CliOutcome;
  let stoppedInMs: number;
  let runs: SyncRunRow[];
  let stopped: GraphDump;

  beforeAll(async () => {
    own = await setting();
    const cli = startWeijiu(['sync', '--all'], own.workspace, own.db.url);
    await committedBatches(own.db.url, 'civil-affairs', 2, cli);
    const signalled = Date.now();
    cli.kill('SIGTERM');
    outcome = await cli.exited;
    stoppedInMs = Date.now() - signalled;
    runs = await syncRuns(own.db.url);
    stopped = await dumpGraph(own.db.url);
  });

  afterAll(() => own?.close());

  it('stops promptly and exits non-zero, the connector it was running PARTIAL and none started after it', () => {
    expect(stoppedInMs).toBeLessThan(5000);
    expect(outcome.code).toBe(1);
    expect(summaryOf(outcome.stdout, 'civil-affairs')?.status).toBe('PARTIAL');
    expect(CONNECTORS.filter((c) => c !== 'civil-affairs' && summaryOf(outcome.stdout, c))).toEqual([]);
    expect(runs.map((r) => [r.connector, r.status])).toEqual([['civil-affairs', 'PARTIAL']]);
    expect(runs[0].batches).toBeGreaterThanOrEqual(2);
    expect(runs[0].error).toMatch(/interrupted|stopped/);
  });

  it('keeps exactly the batches it committed, no half batch', async () => {
    // the same connector, stopped right after the same number of batches, in a database of its own
    const reference = await createTestDatabase();
    try {
      const workspace = createHubWorkspace(registries.direct);
      try {
        const [partial] = await syncAllInProcess(workspace, reference.url, { stopAfter: { connector: 'civil-affairs', batches: runs[0].batches } });
        expect([partial.status, partial.batches]).toEqual(['PARTIAL', runs[0].batches]);
      } finally {
        workspace.remove();
      }
      expect(dumpDifferences(stopped, await dumpGraph(reference.url))).toEqual([]);
    } finally {
      await reference.drop();
    }
  });

  it('runs again to the same graph as a clean run', async () => {
    own.workspace.pointAt(registries.direct);
    const again = await runWeijiu(['sync', '--all'], own.workspace, own.db.url);
    expect(again.code).toBe(0);
    expect(dumpDifferences(await dumpGraph(own.db.url), clean.dump)).toEqual([]);
  });
});

describe('SIGKILL in the middle of loading', () => {
  let own: Awaited<ReturnType<typeof setting>>;
  let killedRun: SyncRunRow;
  let again: CliOutcome;

  beforeAll(async () => {
    own = await setting();
    const cli = startWeijiu(['sync', '--all'], own.workspace, own.db.url);
    await committedBatches(own.db.url, 'civil-affairs', 2, cli);
    cli.kill('SIGKILL');
    await cli.exited;
    [killedRun] = await syncRuns(own.db.url);
    own.workspace.pointAt(registries.direct);
    again = await runWeijiu(['sync', '--all'], own.workspace, own.db.url);
  });

  afterAll(() => own?.close());

  it('runs again to the same graph as a clean run', async () => {
    // a killed process cannot say anything: its run stays as it was when it died
    expect([killedRun.connector, killedRun.status]).toEqual(['civil-affairs', 'RUNNING']);
    expect(again.code).toBe(0);
    expect(dumpDifferences(await dumpGraph(own.db.url), clean.dump)).toEqual([]);
  });

  it('closes the run the killed process left RUNNING once the connector runs again', async () => {
    const runs = await syncRuns(own.db.url);
    expect(runs.filter((r) => r.status === 'RUNNING')).toEqual([]);
    const closed = runs.find((r) => r.id === killedRun.id)!;
    expect(closed.status).toBe('PARTIAL');
    expect(closed.batches).toBe(killedRun.batches);
    expect(closed.finished_at).not.toBeNull();
    expect(closed.error).toMatch(/abandoned|did not finish|killed/i);
  });
});

describe('two hub processes syncing one database at once', () => {
  let own: Awaited<ReturnType<typeof setting>>;
  let outcomes: CliOutcome[];
  let runs: SyncRunRow[];

  beforeAll(async () => {
    own = await setting();
    outcomes = await Promise.all([1, 2].map(() => startWeijiu(['sync', '--all'], own.workspace, own.db.url).exited));
    runs = await syncRuns(own.db.url);
  });

  afterAll(() => own?.close());

  it('both finish, exit 0', () => {
    expect(outcomes.map((o) => o.code)).toEqual([0, 0]);
  });

  it('never run one connector in both at the same time', () => {
    for (const c of CONNECTORS) {
      const mine = runs.filter((r) => r.connector === c).sort((a, b) => +a.started_at - +b.started_at);
      for (let i = 1; i < mine.length; i++) expect(+mine[i].started_at).toBeGreaterThanOrEqual(+mine[i - 1].finished_at!);
    }
  });

  it('run each connector once: one process runs it, the other says it skipped it', () => {
    expect(CONNECTORS.map((c) => [c, runs.filter((r) => r.connector === c).length])).toEqual(CONNECTORS.map((c) => [c, 1]));
    for (const c of CONNECTORS) {
      const said = outcomes.map((o) => (summaryOf(o.stdout, c)?.status === 'SUCCEEDED' ? 'ran' : new RegExp(`^${c}: skipped — another hub process`, 'm').test(o.stdout) ? 'skipped' : 'nothing'));
      expect({ connector: c, said: said.sort() }).toEqual({ connector: c, said: ['ran', 'skipped'] });
    }
  });

  it('give the same graph as a clean run', async () => {
    expect(dumpDifferences(await dumpGraph(own.db.url), clean.dump)).toEqual([]);
  });
});
