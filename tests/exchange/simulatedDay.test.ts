/**
 * exchange.md "Change notices" against the simulated registries: a first sync of every feed
 * writes no event (each feed's baseline); after the registries move on a day and the hub syncs
 * again, the events are exactly the changes: replaying CATEGORY_ENTERED / CATEGORY_LEFT on each
 * person's categories before gives their categories after, DECEASED names exactly the people whose
 * death records arrived, BENEFIT_ENDED exactly the benefits that got an end date or went.
 */
import { connectors as catalogue } from '../../connectors';
import { DEFAULT_BATCH_SIZE, type ConnectorConfig } from '../../src/config/config';
import { runConnector } from '../../src/ingest/syncRunner';
import { startDemoRegistries, type DemoRegistries } from '../../src/simulator/demo';
import { openTestDatabase } from '../support/hubDatabase';

jest.setTimeout(300_000);

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
let db: Db;
let demo: DemoRegistries;

function connectorConfigs(r: DemoRegistries): Record<string, ConnectorConfig> {
  return {
    'civil-affairs': { source: r.civilAffairs.url, batchSize: DEFAULT_BATCH_SIZE },
    education: { source: r.drops.education, batchSize: DEFAULT_BATCH_SIZE },
    health: { source: r.health.url, years: r.years, batchSize: DEFAULT_BATCH_SIZE },
    housing: { source: r.drops.housing, batchSize: DEFAULT_BATCH_SIZE },
    'poverty-relief': { source: r.drops.poverty, batchSize: DEFAULT_BATCH_SIZE },
    disability: { source: r.disability.url, batchSize: DEFAULT_BATCH_SIZE },
    'region-stats': { source: r.drops.regionStats, batchSize: DEFAULT_BATCH_SIZE },
    'economic-check': { source: r.economicCheck.url, batchSize: DEFAULT_BATCH_SIZE },
  } as Record<string, ConnectorConfig>;
}

async function syncAll(asOf: string): Promise<void> {
  for (const [name, cc] of Object.entries(connectorConfigs(demo))) {
    const s = await runConnector(db, catalogue[name], cc, { asOf });
    expect([name, s.status]).toEqual([name, 'SUCCEEDED']);
  }
}

async function categoriesOn(day: string): Promise<Map<string, Set<string>>> {
  const { rows } = await db.pool.query<{ person_id: string; category: string }>(`select distinct person_id::text, category from weijiu_categories($1::date, '3710')`, [day]);
  const by = new Map<string, Set<string>>();
  for (const r of rows) (by.get(r.person_id) ?? by.set(r.person_id, new Set()).get(r.person_id)!).add(r.category);
  return by;
}

const events = async () =>
  (await db.pool.query<{ kind: string; person_id: string | null; category: string | null; programme: string | null; effective_on: string | null }>(
    `select kind, person_id::text, category, programme, effective_on from change_event order by txid, id`,
  )).rows;

let before: Map<string, Set<string>>;
let deathsBefore: Set<string>;
let benefitsBefore: Awaited<ReturnType<typeof currentBenefits>>;
let firstDayEvents: number;

/** Each current benefit by its record and item: whom it covers (a household's: its head), programme, period. */
const currentBenefits = async () =>
  new Map(
    (await db.pool.query<{ k: string; person: string; programme: string; valid_from: string | null; valid_to: string | null }>(
      `select feed || '|' || record_key || '|' || item_key as k, coalesce(b.person_id, h.head_person_id)::text as person, programme_code as programme, valid_from, valid_to
         from benefit b left join household h on h.id = b.household_id where b.retired_at is null`,
    )).rows.map((r) => [r.k, r]),
  );

beforeAll(async () => {
  db = await openTestDatabase();
  demo = await startDemoRegistries({ seed: 5, households: 400, assistedShare: 0.3 });
  await syncAll(demo.asOf);
  firstDayEvents = (await events()).length;
  before = await categoriesOn(demo.asOf);
  deathsBefore = new Set((await db.pool.query<{ id: string }>(`select distinct person_id::text as id from death_record where retired_at is null`)).rows.map((r) => r.id));
  benefitsBefore = await currentBenefits();
  await demo.advance({ share: 0.05 });
  await syncAll(demo.asOf);
});

afterAll(async () => {
  await demo?.close();
  await db?.drop();
});

test('the first sync of every feed writes no event', () => {
  expect(firstDayEvents).toBe(0);
});

test('replaying the category events on the day before gives the categories of the day after', async () => {
  const after = await categoriesOn(demo.asOf);
  const log = (await events()).filter((e) => e.kind === 'CATEGORY_ENTERED' || e.kind === 'CATEGORY_LEFT');
  expect(log.length).toBeGreaterThan(0);
  const replayed = new Map([...before].map(([p, s]) => [p, new Set(s)]));
  for (const e of log) {
    const set = replayed.get(e.person_id!) ?? replayed.set(e.person_id!, new Set()).get(e.person_id!)!;
    if (e.kind === 'CATEGORY_ENTERED') {
      expect(set.has(e.category!)).toBe(false);
      set.add(e.category!);
    } else {
      expect(set.has(e.category!)).toBe(true);
      set.delete(e.category!);
    }
    expect(e.effective_on).toBe(demo.asOf);
  }
  const asText = (m: Map<string, Set<string>>) => [...m].filter(([, s]) => s.size).map(([p, s]) => `${p}:${[...s].sort().join(',')}`).sort();
  expect(asText(replayed)).toEqual(asText(after));
});

test('DECEASED names exactly the people whose death records arrived, on their date of death', async () => {
  const { rows } = await db.pool.query<{ id: string; died_on: string }>(`select person_id::text as id, died_on from death_record where retired_at is null and person_id is not null`);
  const arrived = rows.filter((r) => !deathsBefore.has(r.id));
  expect(arrived.length).toBeGreaterThan(0);
  const deceased = (await events()).filter((e) => e.kind === 'DECEASED');
  expect(deceased.map((e) => `${e.person_id}@${e.effective_on}`).sort()).toEqual(arrived.map((r) => `${r.id}@${r.died_on}`).sort());
});

test('BENEFIT_STARTED and BENEFIT_ENDED are exactly the benefits that appeared, got an end date or went', async () => {
  const today = demo.asOf;
  const after = await currentBenefits();
  const expected: string[] = [];
  for (const [k, b] of after) {
    const was = benefitsBefore.get(k);
    if (!was && (b.valid_to === null || b.valid_to >= today)) expected.push(`BENEFIT_STARTED ${b.person} ${b.programme} ${b.valid_from ?? today}`);
    if (was && b.valid_to !== null && was.valid_to !== b.valid_to) expected.push(`BENEFIT_ENDED ${b.person} ${b.programme} ${b.valid_to}`);
  }
  for (const [k, was] of benefitsBefore) {
    if (!after.has(k) && (was.valid_to === null || was.valid_to > today)) expected.push(`BENEFIT_ENDED ${was.person} ${was.programme} ${today}`);
  }
  const log = (await events()).filter((e) => e.kind === 'BENEFIT_STARTED' || e.kind === 'BENEFIT_ENDED');
  expect(log.length).toBeGreaterThan(0);
  expect(log.map((e) => `${e.kind} ${e.person_id} ${e.programme} ${e.effective_on}`).sort()).toEqual(expected.sort());
});
