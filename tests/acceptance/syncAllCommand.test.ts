/**
 * Issue "(2 of 5) Every department connector": `weijiu sync --all` — the real command line, in a
 * working folder of its own, on a test database — runs each connector once, prints a summary per
 * connector and exits non-zero when any failed; a malformed delivery fails only its connector's
 * run, with a clear error, applying nothing of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { samplesDir } from '../support/samples';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { cleanRun, type CleanRun } from '../support/acceptance/cleanRun';
import { asUtf8WithoutBom, cutInsideRow, withoutSheet } from '../support/acceptance/deliveries';
import { dumpDifferences, dumpGraph, partOf, type GraphDump } from '../support/acceptance/graphDump';
import { CONNECTORS, createHubWorkspace, type HubWorkspace } from '../support/acceptance/hubWorkspace';
import { startSampleRegistries, type SampleRegistries } from '../support/acceptance/sampleRegistries';
import { query, syncRuns, type SyncRunRow } from '../support/acceptance/syncRuns';
import { expectedByTruth, viewOfGraph } from '../support/acceptance/truthGraph';
import { runWeijiu, summaryOf, type CliOutcome } from '../support/acceptance/weijiuCli';

// each step runs whole hub processes: minutes on a busy machine, seconds on an idle one
jest.setTimeout(180_000);

/** the lines `weijiu sync` prints per connector: `name: STATUS in …` */
const summaryLines = (stdout: string) => stdout.split('\n').filter((l) => /^[a-z-]+: [A-Z]+ in /.test(l));

let clean: CleanRun;

beforeAll(async () => {
  clean = await cleanRun();
});

describe('weijiu sync --all over the whole sample set', () => {
  it('runs each connector once, prints a summary line for each, and exits 0', () => {
    expect(clean.outcome.code).toBe(0);
    expect(summaryLines(clean.outcome.stdout).map((l) => l.split(':')[0])).toEqual([...CONNECTORS]);
    for (const c of CONNECTORS) expect(summaryOf(clean.outcome.stdout, c)).toEqual({ status: 'SUCCEEDED', error: null });
    expect(clean.runs).toEqual(CONNECTORS.map((connector) => ({ connector, status: 'SUCCEEDED', error: null })));
  });

  it('gives the graph of the truth (the economic check aside: the command checks as of today, the truth is as of 2026-10-31)', () => {
    const graph = viewOfGraph(clean.dump, ['economic-check']);
    const truth = expectedByTruth(['economic-check']);
    expect(graph.facts.unexplained ?? []).toEqual([]);
    expect(dumpDifferences(graph, truth)).toEqual([]);
  });

  it('changes nothing when run again, and says so in every summary', () => {
    expect(clean.again.outcome.code).toBe(0);
    for (const line of summaryLines(clean.again.outcome.stdout)) expect(line).toMatch(/SUCCEEDED .* inserted 0, updated 0, unchanged \d+, ended 0,/);
    expect(summaryLines(clean.again.outcome.stdout)).toHaveLength(CONNECTORS.length);
    expect(dumpDifferences(clean.again.dump, clean.dump)).toEqual([]);
  });
});

describe('malformed deliveries: a truncated CSV, the wrong encoding, an HTML error page, a workbook without its sheet', () => {
  const BROKEN = ['poverty-relief', 'education', 'housing', 'disability'];
  const HEALTHY = CONNECTORS.filter((c) => !BROKEN.includes(c));
  /** what each broken run must say: the file (or endpoint) and what is wrong with it */
  const REASONS: Record<string, RegExp> = {
    'poverty-relief': /fpdx_20261031\.csv: truncated/,
    education: /xszz_2025-2026_2\.csv: is UTF-8 without a byte-order mark.*\(wrong encoding\)/,
    housing: /zfbz_20261031\.xlsx: has no sheet "危房"/,
    disability: /\/openapi\/v1\/persons\?.*the response is not JSON \(text\/html, \d+ bytes\)/,
  };

  let registries: SampleRegistries;
  let workspace: HubWorkspace;
  let db: TestDatabase;
  let outcome: CliOutcome;
  let runs: SyncRunRow[];
  let dump: GraphDump;

  beforeAll(async () => {
    registries = await startSampleRegistries({ disabilityHtml: true });
    workspace = createHubWorkspace(registries.urls);
    cutInsideRow(path.join(workspace.dropDir('poverty-relief'), 'fpdx_20261031.csv'));
    for (const term of fs.readdirSync(workspace.dropDir('education'))) asUtf8WithoutBom(path.join(workspace.dropDir('education'), term));
    await withoutSheet(path.join(workspace.dropDir('housing'), 'zfbz_20261031.xlsx'), '危房');
    db = await createTestDatabase();
    outcome = await runWeijiu(['sync', '--all'], workspace, db.url);
    runs = await syncRuns(db.url);
    dump = await dumpGraph(db.url);
  });

  afterAll(async () => {
    await db?.drop();
    await registries?.close();
    workspace?.remove();
  });

  it('exits 1, each broken feed FAILED with what is wrong with which file or page', () => {
    expect(outcome.code).toBe(1);
    for (const c of BROKEN) {
      const summary = summaryOf(outcome.stdout, c);
      expect({ connector: c, status: summary?.status }).toEqual({ connector: c, status: 'FAILED' });
      expect(summary?.error).toMatch(REASONS[c]);
    }
  });

  it('records each failure in its sync run, with the error it printed', () => {
    for (const c of BROKEN) {
      const mine = runs.filter((r) => r.connector === c);
      expect(mine.map((r) => [r.status, r.batches])).toEqual([['FAILED', 0]]);
      expect(mine[0].error).toBe(summaryOf(outcome.stdout, c)?.error);
    }
  });

  it('applies nothing of a broken file or page: no fact, quarantined record, source record or bookmark', async () => {
    const written = await query<{ feed: string; n: number }>(
      db.url,
      `select feed, count(*)::int as n from source_record where feed = any($1) group by feed
       union all select connector, count(*)::int from connector_bookmark where connector = any($1) group by connector`,
      [BROKEN],
    );
    expect(written).toEqual([]);
    const part = partOf(dump, BROKEN);
    expect(Object.values(part.facts).flat()).toEqual([]);
    expect(part.quarantined).toEqual([]);
  });

  it('still runs the other connectors to the end, with what a clean run gives them', () => {
    for (const c of HEALTHY) expect({ connector: c, ...summaryOf(outcome.stdout, c) }).toEqual({ connector: c, status: 'SUCCEEDED', error: null });
    // the economic check's population is drawn from the rolls, some of which failed here: compared below
    const independent = HEALTHY.filter((c) => c !== 'economic-check');
    expect(dumpDifferences(partOf(dump, independent), partOf(clean.dump, independent))).toEqual([]);
  });

  it('loads everything once the departments deliver properly again', async () => {
    for (const [connector, sample] of [['poverty-relief', 'poverty'], ['education', 'education'], ['housing', 'housing']]) {
      fs.cpSync(path.join(samplesDir, 'drop', sample), workspace.dropDir(connector as 'education'), { recursive: true });
    }
    const healthy = await startSampleRegistries();
    try {
      workspace.pointAt(healthy.urls);
      const again = await runWeijiu(['sync', '--all'], workspace, db.url);
      expect(again.code).toBe(0);
      expect(dumpDifferences(await dumpGraph(db.url), clean.dump)).toEqual([]);
    } finally {
      await healthy.close();
    }
  });
});
