/**
 * Issue "(2 of 5) Every department connector": the whole sample set through all eight
 * connectors gives exactly the graph of its truth; a second sync changes nothing; a newer
 * snapshot ends what it no longer holds on its own date; and department APIs failing one
 * request in ten (HTTP 500s and hangs) still give the same graph.
 *
 * In the test's process (runConnector, as `sync --all` runs it, from the same config file),
 * because the truth is as of 2026-10-31 and only in-process can a run be told its day.
 */
import fs from 'node:fs';
import path from 'node:path';
import { truthModel } from '../support/samples';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { dumpDifferences, dumpGraph, type GraphDump } from '../support/acceptance/graphDump';
import { createHubWorkspace, type HubWorkspace } from '../support/acceptance/hubWorkspace';
import { syncAllInProcess } from '../support/acceptance/inProcessSync';
import { startSampleRegistries, type SampleRegistries } from '../support/acceptance/sampleRegistries';
import { expectedByTruth, TRUTH_AS_OF, truthSummary, viewOfGraph } from '../support/acceptance/truthGraph';
import { csvWithout, workbookWithout } from '../support/acceptance/deliveries';

// each step syncs the whole sample set: seconds on an idle machine, far longer on a busy one
jest.setTimeout(180_000);

const model = truthModel();

let registries: SampleRegistries;
let workspace: HubWorkspace;
let db: TestDatabase;
let clean: GraphDump;

beforeAll(async () => {
  registries = await startSampleRegistries();
  workspace = createHubWorkspace(registries.urls);
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
  await registries?.close();
  workspace?.remove();
});

describe('a sync of all eight connectors over the whole sample set', () => {
  let first: Awaited<ReturnType<typeof syncAllInProcess>>;
  beforeAll(async () => {
    first = await syncAllInProcess(workspace, db.url, { asOf: TRUTH_AS_OF });
    clean = await dumpGraph(db.url);
  });

  it('succeeds for every connector', () => {
    expect(first.map((s) => [s.connector, s.status, s.error])).toEqual(
      ['civil-affairs', 'education', 'health', 'housing', 'poverty-relief', 'disability', 'economic-check', 'region-stats'].map((c) => [c, 'SUCCEEDED', null]),
    );
  });

  it('holds exactly the persons of the truth, with their names, sex and birth dates', () => {
    const graph = viewOfGraph(clean);
    expect(graph.persons.length).toBe(truthSummary.persons);
    expect(dumpDifferences({ persons: graph.persons }, { persons: expectedByTruth().persons })).toEqual([]);
  });

  it('holds exactly the households of the truth, a family in several feeds once', () => {
    expect(clean.households.length).toBe(truthSummary.households.distinct_heads_all_sources);
    expect(dumpDifferences({ households: clean.households }, { households: expectedByTruth().households })).toEqual([]);
  });

  it('quarantines exactly the records of the truth, each with its reason', () => {
    expect(dumpDifferences({ quarantined: viewOfGraph(clean).quarantined }, { quarantined: expectedByTruth().quarantined })).toEqual([]);
  });

  it('holds exactly the facts of the truth in every fact table, economic checks included', () => {
    const graph = viewOfGraph(clean);
    expect(graph.facts.unexplained ?? []).toEqual([]);
    expect(dumpDifferences({ facts: graph.facts }, { facts: expectedByTruth().facts })).toEqual([]);
  });

  it('changes nothing when everything is synced again', async () => {
    const again = await syncAllInProcess(workspace, db.url, { asOf: TRUTH_AS_OF });
    expect(again.every((s) => s.status === 'SUCCEEDED')).toBe(true);
    expect(again.filter((s) => s.inserted || s.updated || s.ended).map((s) => s.connector)).toEqual([]);
    expect(dumpDifferences(await dumpGraph(db.url), clean)).toEqual([]);
  });
});

describe('newer snapshots without some records', () => {
  const SNAPSHOT = '2026-11-30';
  /** a member (not the head) of a registered-poor household */
  const leftPoverty = model.poverty.find((m: any) => m.id !== m.head && m.rel === '02');
  /** an open public-housing subsidy and an assessed dangerous house with a subsidy paid */
  const leftHousing = model.housing_bzf.find((b: any) => b.end === null && b.mode === '租赁补贴');
  const leftHouse = model.housing_wf.find((w: any) => w.amount !== null);

  let before: GraphDump;
  let after: GraphDump;
  beforeAll(async () => {
    before = await dumpGraph(db.url);
    const poverty = workspace.dropDir('poverty-relief');
    const removed = csvWithout(path.join(poverty, 'fpdx_20261031.csv'), path.join(poverty, 'fpdx_20261130.csv'), (cells) =>
      cells[0].trim() === leftPoverty.hbh && cells[2].trim() === leftPoverty.id,
    );
    expect(removed).toBe(1);
    const housing = workspace.dropDir('housing');
    await workbookWithout(path.join(housing, 'zfbz_20261031.xlsx'), path.join(housing, 'zfbz_20261130.xlsx'), [
      { sheet: '保障房', column: 2, value: leftHousing.id },
      { sheet: '危房', column: 2, value: leftHouse.id },
    ]);
    const runs = await syncAllInProcess(workspace, db.url, { asOf: TRUTH_AS_OF, only: ['housing', 'poverty-relief'] });
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    after = await dumpGraph(db.url);
  });

  afterAll(() => {
    fs.rmSync(path.join(workspace.dropDir('poverty-relief'), 'fpdx_20261130.csv'));
    fs.rmSync(path.join(workspace.dropDir('housing'), 'zfbz_20261130.xlsx'));
  });

  it('end exactly the facts of the records they no longer hold, on the snapshot date, and change nothing else', () => {
    const ends = (table: string, feed: string, picks: (f: any) => boolean) =>
      before.facts[table].filter((line) => {
        const f = JSON.parse(line);
        return f.feed === feed && picks(f);
      });
    const ended = [
      ...ends('membership', 'poverty-relief', (f) => f.person === leftPoverty.id),
      ...ends('poverty_record', 'poverty-relief', (f) => f.person === leftPoverty.id),
      ...ends('benefit', 'housing', (f) => f.person === leftHousing.id && f.valid_from === leftHousing.start),
      ...ends('dangerous_house', 'housing', (f) => f.person === leftHouse.id),
      ...ends('benefit', 'housing', (f) => f.programme_code === 'WF' && f.household === leftHouse.id),
    ];
    // each of them: membership and poverty record, rent subsidy, dangerous house and its WF subsidy
    expect(ended.length).toBe(5);
    const expected: GraphDump = {
      ...before,
      facts: { ...before.facts },
      // the rows each new file still refuses are quarantined again, at their place in that file
      quarantined: [...before.quarantined, ...before.quarantined.filter((q) => ['housing', 'poverty-relief'].includes(JSON.parse(q).connector))],
    };
    for (const [table, rows] of Object.entries(before.facts)) {
      expected.facts[table] = rows.map((line) => (ended.includes(line) ? JSON.stringify({ ...JSON.parse(line), valid_to: SNAPSHOT }) : line));
    }
    expect(dumpDifferences(after, expected)).toEqual([]);
  });
});

describe('department APIs failing one request in ten (HTTP 500s and hangs)', () => {
  let faulty: SampleRegistries;
  let faultyWorkspace: HubWorkspace;
  let own: TestDatabase;
  let runs: Awaited<ReturnType<typeof syncAllInProcess>>;

  beforeAll(async () => {
    // seeded: with this seed every registry fails some requests, of both kinds
    faulty = await startSampleRegistries({ faultRate: 0.1, seed: 15, hangMs: 2000 });
    faultyWorkspace = createHubWorkspace(faulty.urls);
    own = await createTestDatabase();
    // a hang outlasts the client's time-out, which then retries
    runs = await syncAllInProcess(faultyWorkspace, own.url, { asOf: TRUTH_AS_OF, http: { timeoutMs: 400, baseDelayMs: 20, maxDelayMs: 200 } });
  });

  afterAll(async () => {
    await own?.drop();
    await faulty?.close();
    faultyWorkspace?.remove();
  });

  it('failed requests of every registry on the way, with 500s and hangs', () => {
    const faults = faulty.faults();
    for (const [registry, f] of Object.entries(faults)) expect({ registry, failed: f.http500 + f.hung > 0 }).toEqual({ registry, failed: true });
    expect(Object.values(faults).reduce((n, f) => n + f.http500, 0)).toBeGreaterThan(0);
    expect(Object.values(faults).reduce((n, f) => n + f.hung, 0)).toBeGreaterThan(0);
  });

  it('still finishes every connector and gives the same graph as with healthy APIs', async () => {
    expect(runs.map((s) => [s.connector, s.status, s.error])).toEqual(runs.map((s) => [s.connector, 'SUCCEEDED', null]));
    expect(dumpDifferences(await dumpGraph(own.url), clean)).toEqual([]);
  });
});
