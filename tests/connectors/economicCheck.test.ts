import path from 'node:path';
import { civilAffairs } from '../../connectors/civil-affairs';
import { disability } from '../../connectors/disability';
import { housing } from '../../connectors/housing';
import { checkHousehold, economicCheck, population } from '../../connectors/economic-check';
import type { Database } from '../../src/db/database';
import type { HttpOptions } from '../../src/ingest/httpClient';
import { runConnector } from '../../src/ingest/syncRunner';
import { startCivilAffairsRegistry } from '../../src/simulator/civilAffairsRegistry';
import { describeConnectorContract } from '../support/connectorContract';
import { openTestDatabase } from '../support/hubDatabase';
import { disabilityRegistryOf, economicCheckRegistryOf, type RunningRegistry } from '../support/simulatedRegistries';
import { readJsonl, samplesDir, truthModel } from '../support/samples';

const households = readJsonl('api/civil-affairs/households.jsonl');
const grants = readJsonl('api/civil-affairs/grants.jsonl');
const registrations = readJsonl('api/civil-affairs/registries.jsonl');
const disabledPersons = readJsonl('api/disability/persons.jsonl');
const oracleFacts = readJsonl('api/economic-check/facts.jsonl');
const model = truthModel();
/** the day the sample's truth is computed for */
const AS_OF: string = model.as_of;

type TestDb = Database & { drop(): Promise<void> };

const active = (start: string | null, end: string | null) => start !== null && start <= AS_OF && (end === null || end >= AS_OF);

/** The nightly population of the truth, worked out here from the truth's rolls; `rentOnly`: those whose only programme is ZF_RENT. */
function truthPopulation(): { everyone: Set<string>; rentOnly: Set<string> } {
  const others = new Set<string>();
  for (const h of model.ca_households) {
    if (h.deleted) continue;
    if (h.enrollments.some((e: any) => ['DB', 'TK', 'DSR'].includes(e.prog) && active(e.start, e.end))) for (const m of h.members) others.add(m.id);
    for (const e of h.enrollments) if (e.prog === 'TK' && active(e.start, e.end)) for (const id of e.tk) others.add(id);
  }
  for (const g of model.grants) if (!g.deleted && ['GE', 'SW'].includes(g.prog) && active(g.start, g.end)) others.add(g.id);
  for (const d of model.disability) for (const s of d.subsidies) if (active(s.start, s.end)) others.add(d.id);
  const rentOnly = new Set<string>(
    model.housing_bzf.filter((b: any) => b.mode === '租赁补贴' && active(b.start, b.end) && !others.has(b.id)).map((b: any) => b.id),
  );
  return { everyone: new Set([...others, ...rentOnly]), rentOnly };
}

const { everyone, rentOnly } = truthPopulation();

/** numeric(18,2) as the database gives it back */
const twoDecimals = (v: string) => {
  const plain = v.replace(/,/g, '');
  return plain.includes('.') ? plain : `${plain}.00`;
};

const factOrder = (a: any, b: any) => a.record_key.localeCompare(b.record_key);

const expectedFacts = () =>
  model.econ
    .map((f: any) => ({
      record_key: `${f.id}|${f.source}|${f.item}|${f.as_of}`, id_number: f.id, source: f.source, item: f.item,
      value: twoDecimals(f.value), unit: f.unit, as_of: f.as_of,
    }))
    .sort(factOrder);

async function loadedFacts(db: Database) {
  const { rows } = await db.pool.query(
    `select e.record_key, p.id_number, e.source, e.item, e.value, e.unit, e.as_of
       from economic_fact e join person p on p.id = e.person_id where e.retired_at is null order by 1`,
  );
  return rows;
}

/** Loads the rolls the population is computed from: civil-affairs, disability and housing. */
async function loadRolls(db: Database): Promise<void> {
  const ca = await startCivilAffairsRegistry({ households, grants, registrations });
  const dis = await disabilityRegistryOf(disabledPersons);
  try {
    expect((await runConnector(db, civilAffairs, { source: ca.url })).status).toBe('SUCCEEDED');
    expect((await runConnector(db, disability, { source: dis.url })).status).toBe('SUCCEEDED');
    expect((await runConnector(db, housing, { source: path.join(samplesDir, 'drop', 'housing') })).status).toBe('SUCCEEDED');
  } finally {
    await ca.close();
    await dis.close();
  }
}

/** A database holding the rolls. */
async function databaseWithRolls(): Promise<TestDb> {
  const db = await openTestDatabase();
  await loadRolls(db);
  return db;
}

function check(db: TestDb, source: string, pageSize?: number, http?: HttpOptions) {
  return runConnector(db, economicCheck, { source, ...(pageSize ? { pageSize } : {}) }, { asOf: AS_OF, http });
}

/** the oracle calls the registry answered, refused or left hanging */
const queries = (registry: RunningRegistry, from = 0) => registry.log.slice(from).filter((r) => r.url.startsWith('/hedui/v1/query'));

/** the most calls that arrived within any one second */
function busiestSecond(times: number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
}

describe('the nightly economic check of the sample', () => {
  let registry: RunningRegistry | undefined;
  let firstSyncCalls = 0;
  /** the calls of the first sync (the contract syncs again before the tests below) */
  const firstSync = () => queries({ ...registry!, log: registry!.log.slice(0, firstSyncCalls) });
  const synced = describeConnectorContract(economicCheck, {
    source: async () => {
      const started = await economicCheckRegistryOf(oracleFacts);
      registry ??= started;
      return { config: { source: started.url }, close: () => started.close() };
    },
    prepare: loadRolls,
    asOf: AS_OF,
    read: expectedFacts().length,
    records: { 'the facts of the nightly population, one record per person, source, item and date': { actual: loadedFacts, expected: expectedFacts } },
    quarantined: [],
    // the oracle has no "modified since": it is asked again, and answers the same
    resync: { before: () => (firstSyncCalls = registry!.log.length), after: (again) => expect(again.read).toBe(expectedFacts().length) },
  });
  let db: TestDb;
  beforeAll(() => {
    db = synced.db;
  });

  it('asks about every member of a DB, TK or DSR household and everybody else in a cash programme on the day', async () => {
    // the sample has people whose only programme is the housing rent subsidy
    expect(rentOnly.size).toBeGreaterThan(0);
    const people = await population(db.pool, AS_OF);
    expect(people.map((p) => p.idNumber).sort()).toEqual([...everyone].sort());
    const asked = firstSync().flatMap((q) => (q.body as { sfzh: string[] }).sfzh);
    expect(asked.sort()).toEqual([...everyone].sort());
  });

  it('asks in batches of at most 200 people', () => {
    const sizes = firstSync().map((q) => (q.body as { sfzh: string[] }).sfzh.length);
    expect(sizes.length).toBe(Math.ceil(everyone.size / 200));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(200);
  });

  it('keeps to 5 calls a second however many batches it has', async () => {
    const paced = await economicCheckRegistryOf(oracleFacts);
    try {
      const started = Date.now();
      const run = await check(db, paced.url, 10);
      const seconds = (Date.now() - started) / 1000;
      const calls = queries(paced);
      expect(run.status).toBe('SUCCEEDED');
      expect(calls.length).toBe(Math.ceil(everyone.size / 10));
      expect(calls.every((c) => c.status === 200)).toBe(true);
      expect(busiestSecond(calls.map((c) => c.at))).toBeLessThanOrEqual(5);
      // paced, not throttled to a crawl: close to 5 calls a second
      expect(seconds).toBeLessThan(calls.length / 5 + 1.5);
      expect(await loadedFacts(db)).toEqual(expectedFacts());
    } finally {
      await paced.close();
    }
  });

  it('waits as long as a 429 says before calling again', async () => {
    const busy = await economicCheckRegistryOf(oracleFacts);
    try {
      // another client has just used up this second
      for (let i = 0; i < 5; i++) {
        await fetch(`${busy.url}/hedui/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sfzh":[]}' });
      }
      const run = await check(db, busy.url);
      expect(run.status).toBe('SUCCEEDED');
      const ours = queries(busy, 5);
      const refused = ours.findIndex((c) => c.status === 429);
      expect(refused).toBe(0);
      expect(ours[refused + 1].at - ours[refused].at).toBeGreaterThanOrEqual(995);
      expect(ours.slice(refused + 1).every((c) => c.status === 200)).toBe(true);
    } finally {
      await busy.close();
    }
  });

  it('resumes a run of the same day that was cut off after its last committed batch', async () => {
    const oracle = await economicCheckRegistryOf(oracleFacts);
    const askedIn = (calls: ReturnType<typeof queries>) => calls.filter((c) => c.status === 200).flatMap((c) => (c.body as { sfzh: string[] }).sfzh);
    try {
      const stop = new AbortController();
      const cut = await runConnector(db, economicCheck, { source: oracle.url, pageSize: 10 }, {
        asOf: AS_OF,
        signal: stop.signal,
        onProgress: (p) => p.batches === 2 && stop.abort(),
      });
      expect(cut.status).toBe('PARTIAL');
      const committed = queries(oracle).slice(0, 2).flatMap((c) => (c.body as { sfzh: string[] }).sfzh);
      const from = oracle.log.length;
      const rest = await check(db, oracle.url, 10);
      expect(rest.status).toBe('SUCCEEDED');
      const askedAfter = askedIn(queries(oracle, from));
      expect(askedAfter.filter((id) => committed.includes(id))).toEqual([]);
      expect([...committed, ...askedAfter].sort()).toEqual([...everyone].sort());
    } finally {
      await oracle.close();
    }
  });

  it('checks one household on demand: its current members, now, loading what the oracle knows', async () => {
    // a household outside tonight's population, so that its facts are not loaded yet
    const knownIds = new Set(oracleFacts.map((f) => f.sfzh));
    const household = model.ca_households
      .filter((h: any) => !h.deleted && h.members.every((m: any) => !everyone.has(m.id)))
      .sort((a: any, b: any) => b.members.filter((m: any) => knownIds.has(m.id)).length - a.members.filter((m: any) => knownIds.has(m.id)).length)[0];
    const members = household.members.map((m: any) => m.id);
    const expected = oracleFacts
      .filter((f) => members.includes(f.sfzh))
      .map((f) => ({ idNumber: f.sfzh, source: f.source, item: f.item, value: twoDecimals(f.value), unit: f.unit, asOf: f.as_of }));
    expect(expected.length).toBeGreaterThan(0);
    const { rows } = await db.pool.query(
      `select h.id from household h join person p on p.id = h.head_person_id where p.id_number = $1`,
      [household.head],
    );
    const bookmarkBefore = await db.pool.query(`select bookmark from connector_bookmark where connector = 'economic-check'`);
    const checker = await economicCheckRegistryOf(oracleFacts);
    try {
      const loaded = await checkHousehold(db.pool, rows[0].id, checker.url);
      const sortFacts = (list: any[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(sortFacts(loaded.map((f) => ({ ...f, value: f.value && twoDecimals(f.value) })))).toEqual(sortFacts(expected));
      expect(queries(checker).flatMap((q) => (q.body as { sfzh: string[] }).sfzh).sort()).toEqual([...members].sort());
    } finally {
      await checker.close();
    }
    const stored = await db.pool.query(
      `select count(*)::int as n from economic_fact e join person p on p.id = e.person_id where p.id_number = any($1) and e.retired_at is null`,
      [members],
    );
    expect(stored.rows[0].n).toBe(expected.length);
    const bookmarkAfter = await db.pool.query(`select bookmark from connector_bookmark where connector = 'economic-check'`);
    expect(bookmarkAfter.rows).toEqual(bookmarkBefore.rows);
  });
});

describe('an oracle that fails one request in ten (HTTP 500 and hangs)', () => {
  it('still gives the same facts', async () => {
    const db = await databaseWithRolls();
    const registry = await economicCheckRegistryOf(oracleFacts, { faultRate: 0.1, seed: 4, hangMs: 2000 });
    try {
      const run = await check(db, registry.url, 10, { timeoutMs: 500, baseDelayMs: 10 });
      expect(queries(registry).filter((r) => r.status === 500).length).toBeGreaterThan(0);
      expect(queries(registry).filter((r) => r.status === 'hung').length).toBeGreaterThan(0);
      expect(run.status).toBe('SUCCEEDED');
      expect(await loadedFacts(db)).toEqual(expectedFacts());
    } finally {
      await registry.close();
      await db.drop();
    }
  });
});
