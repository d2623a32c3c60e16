/**
 * exchange.md: the change log's daily step. Categories change with no sync at all — a child
 * turning 18, a recent window running out — and a source goes stale by the clock alone: both are
 * written once a day, and running the step again the same day writes nothing more.
 */
import { compareCategories } from '../../src/db/changeLog';
import { runDailyChanges } from '../../src/rules/dailyChanges';
import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
let db: Db;
const LATER = '2028-10-31';

beforeAll(async () => {
  db = await openTestDatabase();
  await loadSampleSet(db);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

const events = async (kind: string) =>
  (await db.pool.query(`select person_id::text as person, category, connector, effective_on from change_event where kind = $1 order by txid, id`, [kind])).rows;

test('two years on with no sync, the categories that changed by the calendar are written, once', async () => {
  // the sample set's sync wrote the baseline; compare as of its day first: nothing changes
  await compareCategories(db.pool, '3710', SAMPLE_AS_OF, true);
  const { rows } = await db.pool.query<{ person: string; category: string; was: boolean }>(
    `select coalesce(a.person_id, b.person_id)::text as person, coalesce(a.category, b.category) as category, a.person_id is not null as was
       from (select distinct person_id, category from weijiu_categories($1::date, '3710')) a
       full join (select distinct person_id, category from weijiu_categories($2::date, '3710')) b on a.person_id = b.person_id and a.category = b.category
      where a.person_id is null or b.person_id is null`,
    [SAMPLE_AS_OF, LATER],
  );
  expect(rows.length).toBeGreaterThan(0);
  await runDailyChanges(db.pool, '3710', {}, {}, LATER);
  await runDailyChanges(db.pool, '3710', {}, {}, LATER);
  const written = [...(await events('CATEGORY_ENTERED')).map((e) => `+${e.person}:${e.category}`), ...(await events('CATEGORY_LEFT')).map((e) => `-${e.person}:${e.category}`)];
  expect(written.sort()).toEqual(rows.map((r) => `${r.was ? '-' : '+'}${r.person}:${r.category}`).sort());
});

test('a source whose last successful sync is older than its allowed age is SOURCE_STALE once a day', async () => {
  // a month after the sample set was synced: health's newest success is then that sync, education's an hour old
  const now = new Date('2027-01-06T04:00:00Z');
  await db.pool.query(
    `insert into sync_run (connector, status, started_at, finished_at) values
       ('health', 'FAILED', $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 hour'),
       ('education', 'SUCCEEDED', $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 hour')`,
    [now],
  );
  const connectors = { health: { source: 'x', maxAgeDays: 2 }, education: { source: 'x', maxAgeDays: 2 } };
  const departments = { health: { department: 'health' }, education: { department: 'education' } };
  expect((await runDailyChanges(db.pool, '3710', connectors, departments, '2027-01-06', now)).stale).toEqual(['health']);
  expect((await runDailyChanges(db.pool, '3710', connectors, departments, '2027-01-06', now)).stale).toEqual([]);
  expect(await events('SOURCE_STALE')).toEqual([{ person: null, category: null, connector: 'health', effective_on: '2027-01-06' }]);
});
