/**
 * Issue 18, "the first load of an empty graph into tables whose secondary indexes and foreign keys
 * are built after the load": the sample city loaded into an empty database by the real command
 * line, watched from a second connection while it loads; a load killed part-way; two connectors
 * loading at once; a foreign key that the rows loaded meanwhile break. The civil-affairs registry
 * answers each page after 200 ms, so that a load is still under way when the test looks or kills.
 */
import pg from 'pg';
import { connectors } from '../../connectors';
import { prepareDatabaseAt } from '../../src/db/connect';
import { openDatabase, type Database } from '../../src/db/database';
import { beginLoad } from '../../src/ingest/firstLoad';
import { runConnector } from '../../src/ingest/syncRunner';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { dumpDifferences, dumpGraph, type GraphDump } from '../support/acceptance/graphDump';
import { createHubWorkspace, type HubWorkspace } from '../support/acceptance/hubWorkspace';
import { startSampleRegistries, type SampleRegistries } from '../support/acceptance/sampleRegistries';
import { committedBatches, query } from '../support/acceptance/syncRuns';
import { killLeftovers, runWeijiu, startWeijiu } from '../support/acceptance/weijiuCli';

jest.setTimeout(240_000);

const PAGE_DELAY_MS = 200;

/** Deferred by a first load: a secondary index of source_record, person and a fact table, and foreign keys. */
const DEFERRED = ['source_record_history', 'person_region', 'benefit_person', 'schooling_person', 'benefit_person_id_fkey', 'person_observation_source_record_id_fkey'];
/** Never dropped: what keeps the graph right while it loads, and what the load's own lookups read. */
const KEPT = [
  'person_id_number_key', 'source_record_current', 'benefit_current', 'schooling_current', 'person_observation_pkey',
  'quarantined_record_once', 'household_head_person_id_key', 'source_record_pkey',
];

let registries: SampleRegistries;
/** every index and constraint of a freshly migrated, empty database */
let migrated: Catalogue;

beforeAll(async () => {
  registries = await startSampleRegistries({ slow: { 'civil-affairs': PAGE_DELAY_MS } });
  const empty = await createTestDatabase();
  try {
    migrated = await catalogue(empty.url);
  } finally {
    await empty.drop();
  }
});

afterAll(async () => {
  await killLeftovers();
  await registries?.close();
});

interface Catalogue {
  /** pg_get_indexdef of every index */
  indexes: string[];
  /** table, name and definition (NOT VALID included) of every constraint */
  constraints: string[];
}

async function catalogue(url: string): Promise<Catalogue> {
  const [indexes, constraints] = await Promise.all([
    query<{ line: string }>(url, `select pg_get_indexdef(i.indexrelid) as line from pg_index i join pg_class c on c.oid = i.indrelid
                                   where c.relnamespace = 'public'::regnamespace order by 1`),
    query<{ line: string }>(url, `select format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) as line
                                    from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n' order by 1`),
  ]);
  return { indexes: indexes.map((r) => r.line), constraints: constraints.map((r) => r.line) };
}

interface Snapshot {
  records: number;
  /** the newest run of each connector: its status and the batches it committed */
  runs: Record<string, { status: string; batches: number }>;
  /** index and constraint names */
  names: Set<string>;
  deferred: number;
}

/** Looks at the database from a connection of its own every 30 ms until stopped. */
function watch(url: string): { stop(): Promise<Snapshot[]>; duplicate(): string } {
  const seen: Snapshot[] = [];
  let stopping = false;
  let tried = false;
  /** what a second person with an ID number already loaded met: its SQLSTATE, or 'inserted' */
  let duplicate = 'not tried';
  const done = (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      while (!stopping) {
        const { rows } = await client.query<{ records: number; runs: Snapshot['runs']; names: string[]; deferred: number }>(
          `select (select count(*) from source_record)::int as records,
                  (select coalesce(json_object_agg(connector, json_build_object('status', status, 'batches', batches)), '{}') from
                     (select distinct on (connector) connector, status, batches from sync_run order by connector, id desc) r) as runs,
                  array(select relname::text from pg_class where relkind = 'i' and relnamespace = 'public'::regnamespace
                        union all select conname::text from pg_constraint where connamespace = 'public'::regnamespace) as names,
                  (select count(*) from deferred_index)::int as deferred`,
        );
        const s = { ...rows[0]!, names: new Set(rows[0]!.names) };
        seen.push(s);
        if (!tried && s.deferred > 0 && s.records > 0) {
          // a second person with an ID number already loaded, while the load runs without its other indexes
          tried = true;
          await client
            .query(`insert into person (id_number, name, sex, birth_date) select id_number, 'copy', sex, birth_date from person limit 1`)
            .then(() => (duplicate = 'inserted'), (e: { code?: string }) => (duplicate = e.code ?? 'error'));
        }
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    } finally {
      await client.end();
    }
  })();
  return {
    duplicate: () => duplicate,
    async stop() {
      stopping = true;
      await done;
      return seen;
    },
  };
}

const has = (s: Snapshot, names: readonly string[]) => names.filter((n) => s.names.has(n));

describe('weijiu sync --all into an empty database', () => {
  let db: TestDatabase;
  let workspace: HubWorkspace;
  let seen: Snapshot[];
  let code: number | null;
  let stdout: string;
  let duplicate: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    workspace = createHubWorkspace(registries.urls);
    const watching = watch(db.url);
    const outcome = await runWeijiu(['sync', '--all'], workspace, db.url);
    seen = await watching.stop();
    duplicate = watching.duplicate();
    ({ code, stdout } = outcome);
    if (code !== 0) throw new Error(`weijiu sync --all exited ${code}:\n${outcome.stdout}\n${outcome.stderr}`);
  });

  afterAll(async () => {
    await db?.drop();
    workspace?.remove();
  });

  it('loads without the secondary indexes and foreign keys, from its first committed batch to its last connector', () => {
    const loading = seen.filter((s) => s.records > 0 && Object.values(s.runs).some((r) => r.status === 'RUNNING'));
    expect(loading.length).toBeGreaterThan(0);
    for (const s of loading) expect(has(s, DEFERRED)).toEqual([]);
    // civil-affairs finished, the next connectors still loading: the first load has not ended
    const later = loading.filter((s) => s.runs['civil-affairs']?.status === 'SUCCEEDED' && Object.keys(s.runs).length > 1);
    expect(later.length).toBeGreaterThan(0);
    for (const s of later) expect(has(s, DEFERRED)).toEqual([]);
  });

  it('keeps every primary key and unique index all along: an ID number loaded cannot be given a second person', async () => {
    for (const s of seen) expect(has(s, KEPT)).toEqual(KEPT);
    expect(duplicate).toBe('23505');
  });

  it('ends with every index and foreign key of the migrations, as the migrations define them, and says so', async () => {
    expect(await catalogue(db.url)).toEqual(migrated);
    expect(await query(db.url, 'select * from deferred_index')).toEqual([]);
    expect(stdout).toMatch(/^first load: building the indexes and foreign keys it deferred…\nfirst load: \d+ indexes and \d+ foreign keys built again in [\d.]+ s$/m);
  });

  it('drops nothing when it syncs again: the graph is no longer empty', async () => {
    const watching = watch(db.url);
    workspace.pointAt(registries.direct);
    const again = await runWeijiu(['sync', 'civil-affairs', 'education'], workspace, db.url);
    const during = await watching.stop();
    expect(again.code).toBe(0);
    expect(during.length).toBeGreaterThan(0);
    for (const s of during) expect([s.deferred, has(s, DEFERRED)]).toEqual([0, DEFERRED]);
    expect(again.stdout).not.toMatch(/first load/);
  });
});

describe('a first load killed part-way', () => {
  let reference: GraphDump;

  beforeAll(async () => {
    // the whole sample synced once, without a kill
    const clean = await createTestDatabase();
    const workspace = createHubWorkspace(registries.direct);
    try {
      expect((await runWeijiu(['sync', '--all'], workspace, clean.url)).code).toBe(0);
      reference = await dumpGraph(clean.url);
    } finally {
      workspace.remove();
      await clean.drop();
    }
  });

  /** `weijiu sync --all` SIGKILLed once civil-affairs has committed two batches. */
  async function killedLoad(): Promise<{ db: TestDatabase; workspace: HubWorkspace }> {
    const db = await createTestDatabase();
    const workspace = createHubWorkspace(registries.urls);
    const cli = startWeijiu(['sync', '--all'], workspace, db.url);
    await committedBatches(db.url, 'civil-affairs', 2, cli);
    cli.kill('SIGKILL');
    await cli.exited;
    workspace.pointAt(registries.direct);
    return { db, workspace };
  }

  it('leaves the record of what it dropped, with the definitions; the next hub start builds them, and the load resumes', async () => {
    const { db, workspace } = await killedLoad();
    try {
      const recorded = await query<{ name: string; kind: string; definition: string }>(db.url, `select name, kind, definition from deferred_index order by name`);
      expect(recorded.map((r) => r.name)).toEqual(expect.arrayContaining(DEFERRED));
      const missing = await catalogue(db.url);
      for (const r of recorded) {
        // as the migrations made it, and not there now
        if (r.kind === 'INDEX') expect([migrated.indexes.includes(r.definition), missing.indexes.includes(r.definition)]).toEqual([true, false]);
        else expect(migrated.constraints.filter((c) => c.includes(` ${r.name} ${r.definition}`))).toHaveLength(1);
      }
      expect(missing.constraints.filter((c) => /benefit_person_id_fkey/.test(c))).toEqual([]);

      // the hub starts (migrations and all): every index and foreign key is back before anything runs
      expect((await runWeijiu(['migrate'], workspace, db.url)).code).toBe(0);
      expect(await catalogue(db.url)).toEqual(migrated);
      expect(await query(db.url, 'select * from deferred_index')).toEqual([]);

      // the load resumes where it was killed, with its indexes, to the graph of a load never killed
      const watching = watch(db.url);
      const resumed = await runWeijiu(['sync', '--all'], workspace, db.url);
      const during = await watching.stop();
      expect(resumed.code).toBe(0);
      for (const s of during) expect([s.deferred, has(s, DEFERRED)]).toEqual([0, DEFERRED]);
      expect(dumpDifferences(await dumpGraph(db.url), reference)).toEqual([]);
    } finally {
      workspace.remove();
      await db.drop();
    }
  });

  it('is built again at the start of the next sync, before it loads, in a process that did not start the hub', async () => {
    const { db, workspace } = await killedLoad();
    const hub = await openDatabase(db.url, { poolSize: 4 });
    try {
      expect(((await query<{ n: number }>(db.url, 'select count(*)::int as n from deferred_index'))[0]!.n)).toBeGreaterThan(0);
      const firstBatch: Array<Promise<Catalogue>> = [];
      const run = await runConnector(hub, connectors['civil-affairs'], { source: registries.direct['civil-affairs'], pageSize: 10 }, {
        onProgress: (p) => {
          if (p.batches === 1) firstBatch.push(catalogue(db.url));
        },
      });
      expect(run).toMatchObject({ status: 'SUCCEEDED' });
      // resumed after the batches committed before the kill
      expect(run.inserted).toBeGreaterThan(0);
      expect(await Promise.all(firstBatch)).toEqual([migrated]);
      expect(await catalogue(db.url)).toEqual(migrated);
    } finally {
      await hub.close();
      workspace.remove();
      await db.drop();
    }
  });
});

describe('two connectors loading an empty graph at once', () => {
  let db: TestDatabase;
  let hub: Database;

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await openDatabase(db.url, { poolSize: 6 });
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('defer once, and build the indexes again when the last of them ends, not before', async () => {
    const watching = watch(db.url);
    const drop = createHubWorkspace(registries.urls);
    try {
      // Civil affairs' load is under way (it has committed a batch) before education's begins: small
      // pages, each answered slowly, so it still loads well after education's file is in. (Begun at
      // the same instant, the second could still be waiting to join when the first ended, and the
      // first would then rightly build the indexes: no other load was under way.)
      const slowRun = runConnector(hub, connectors['civil-affairs'], { source: registries.urls['civil-affairs'], pageSize: 4 });
      for (let waited = 0; ; waited += 50) {
        const [run] = await query<{ batches: number }>(db.url, `select batches from sync_run where connector = 'civil-affairs' order by id desc limit 1`);
        if ((run?.batches ?? 0) > 0) break;
        if (waited > 60_000) throw new Error('civil affairs committed no batch within a minute');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const quick = await runConnector(hub, connectors.education, { source: drop.dropDir('education') });
      const slow = await slowRun;
      const seen = await watching.stop();
      expect([slow.status, quick.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      // education done, civil affairs still loading (its batches still coming): nothing built yet
      const between = seen.filter(
        (s) => s.runs.education?.status === 'SUCCEEDED' && s.runs['civil-affairs']?.status === 'RUNNING' && s.runs['civil-affairs'].batches < slow.batches,
      );
      expect(between.length).toBeGreaterThan(0);
      for (const s of between) expect([s.deferred > 0, has(s, DEFERRED)]).toEqual([true, []]);
      // one deferral: what it recorded stays as it was until the build at the end
      const loading = seen.filter((s) => s.records > 0 && s.runs['civil-affairs']?.status === 'RUNNING' && s.runs['civil-affairs'].batches < slow.batches);
      expect(new Set(loading.map((s) => s.deferred)).size).toBe(1);
      expect(await catalogue(db.url)).toEqual(migrated);
      expect(await query(db.url, 'select * from deferred_index')).toEqual([]);
    } finally {
      drop.remove();
    }
  });
});

describe('a foreign key broken by rows loaded while it was dropped', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(() => db?.drop());

  it('is added again not valid and reported, by the load that ends, by the next sync and at the hub start, until the rows are corrected', async () => {
    const hub = await openDatabase(db.url, { poolSize: 4 });
    try {
      const load = await beginLoad(hub);
      expect(load.deferred).toBe(true);
      // an observation of a person who does not exist: refused by person_observation_person_id_fkey, were it there
      const person = (await query<{ id: string }>(db.url, `insert into person (id_number, name, sex, birth_date) values ('371002198001010011', '甲', 'M', '1980-01-01') returning id`))[0]!;
      await query(db.url, `insert into source_record (feed, stream, record_key, payload_hash) values ('civil-affairs', 'households', 'k', 'h')`);
      await query(db.url, `insert into person_observation (person_id, feed, name, observed_at) values ($1 + 1000, 'civil-affairs', '乙', now())`, [person.id]);
      await expect(load.end()).rejects.toThrow(/person_observation\.person_observation_person_id_fkey: .*is not present in table "person"/);

      // the other indexes and keys are back; the broken one is there, not valid, and recorded with what was found
      const now = await catalogue(db.url);
      expect(now.indexes).toEqual(migrated.indexes);
      expect(now.constraints.filter((c) => !migrated.constraints.includes(c))).toEqual([
        'person_observation person_observation_person_id_fkey FOREIGN KEY (person_id) REFERENCES person(id) NOT VALID',
      ]);
      expect(await query(db.url, 'select name, violation is not null as reported from deferred_index')).toEqual([{ name: 'person_observation_person_id_fkey', reported: true }]);

      // the next sync says it, and loads nothing on top of it
      const run = await runConnector(hub, connectors['civil-affairs'], { source: registries.direct['civil-affairs'], pageSize: 10 });
      expect(run).toMatchObject({ status: 'FAILED', batches: 0 });
      expect(run.error).toMatch(/person_observation_person_id_fkey/);

      // corrected, the next start validates it
      await query(db.url, `delete from person_observation where person_id = $1 + 1000`, [person.id]);
      await prepareDatabaseAt(db.url, '3710');
      expect(await catalogue(db.url)).toEqual(migrated);
      expect(await query(db.url, 'select * from deferred_index')).toEqual([]);
    } finally {
      await hub.close();
    }
  });
});
