import { household, idNo, lowIncome, dibao, member } from '../../src/rules/cases/caseBuilders';
import { loadCase } from '../../src/rules/cases/ruleCase';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub } from '../support/hubServer';

/**
 * The words of rules.md are defined once, in the database: what the API shows as a person's
 * household and region on a date is what the rules judged on that date (weijiu_person_household,
 * weijiu_person_region), for everyone of the sample city.
 */
const DATES = ['2025-06-30', '2026-01-01', '2026-10-31'];

let s: SampleAuthHub;

beforeAll(async () => {
  s = await startSampleAuthHub();
}, 180_000);

afterAll(async () => {
  await s?.close();
});

interface Seen {
  [date: string]: { household: string | null; region: string | null };
}

/** Every person through the API (as OFFICE), with their household and region on each date. */
async function apiView(): Promise<Map<string, Seen>> {
  const fields = DATES.map(
    (d, i) => `h${i}: household(asOf: "${d}") { id } r${i}: region(asOf: "${d}") { code }`,
  ).join(' ');
  const seen = new Map<string, Seen>();
  let after: string | null = null;
  for (;;) {
    const r: any = await s.hub.graphql(
      `query($after: String) { persons(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id ${fields} } } } }`,
      { after },
    );
    expect(r.errors).toBeUndefined();
    for (const { node } of r.data.persons.edges) {
      const view: Seen = {};
      DATES.forEach((d, i) => (view[d] = { household: node[`h${i}`]?.id ?? null, region: node[`r${i}`]?.code ?? null }));
      seen.set(node.id, view);
    }
    if (!r.data.persons.pageInfo.hasNextPage) return seen;
    after = r.data.persons.pageInfo.endCursor;
  }
}

/** The same, from the functions the rules read. */
async function rulesView(): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  for (const d of DATES) {
    const { rows } = await s.db.pool.query<{ id: string; household: string | null; region: string | null }>(
      `select p.id::text as id, ph.household_id::text as household, rg.code as region
         from person p
         left join weijiu_person_household($1::date) ph on ph.person_id = p.id
         left join weijiu_person_region($1::date) pr on pr.person_id = p.id
         left join region rg on rg.code = pr.region_code`,
      [d],
    );
    for (const r of rows) {
      const view = seen.get(r.id) ?? {};
      view[d] = { household: r.household, region: r.region };
      seen.set(r.id, view);
    }
  }
  return seen;
}

describe('the words of rules.md, once, in SQL', () => {
  it("shows every person's household and region on each date as the rules judge them", async () => {
    const [api, rules] = await Promise.all([apiView(), rulesView()]);
    expect(api.size).toBe(rules.size);
    const differing = [...rules].filter(([id, view]) => JSON.stringify(api.get(id)) !== JSON.stringify(view));
    expect(differing.slice(0, 5)).toEqual([]);
    // the sample exercises every case of the definition: all three registries' households
    const feeds = await s.db.pool.query<{ feed: string }>(`select distinct feed from weijiu_person_household('2026-10-31') order by feed`);
    expect(feeds.rows.map((r) => r.feed)).toEqual(['civil-affairs', 'housing', 'poverty-relief']);
  }, 180_000);

  it("lists a housing applicant alone in the household that is theirs, and names it as their household", async () => {
    const { rows } = await s.db.pool.query<{ id: string; household: string }>(
      `select ph.person_id::text as id, ph.household_id::text as household
         from weijiu_person_household('2026-10-31') ph where ph.feed = 'housing' order by ph.person_id limit 3`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const t of rows) {
      const r = await s.hub.graphql(
        `query($id: ID!) { household(id: $id) { id members(asOf: "2026-10-31") { relationCode person { id household(asOf: "2026-10-31") { id } } } } }`,
        { id: t.household },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.household.members).toEqual([{ relationCode: '01', person: { id: t.id, household: { id: t.household } } }]);
    }
  }, 60_000);

  it('ranks the feeds in the documented order, one list for the rules and for the names shown (src/ingest/personPrecedence.ts)', async () => {
    const { rows } = await s.db.pool.query<{ feed: string }>(`select feed from feed_precedence order by rank`);
    expect(rows.map((r) => r.feed)).toEqual(['civil-affairs', 'poverty-relief', 'disability', 'health', 'housing', 'education', 'economic-check']);
  });
});

describe('a person listed by two civil-affairs households', () => {
  // 低保 in the first until the end of 2025, 低收入 in the second from 2026: which one is theirs
  // depends on the date asked, as the rules judge it (rules.md "household")
  const MOTHER = idNo('37100219600101123');
  const FIRST_HEAD = idNo('37100219580202124');
  const SECOND_HEAD = idNo('37100319800303125');
  const families = [
    household(FIRST_HEAD, {
      hhId: 'MZ-371002-900001', region: '371002001001',
      members: [member(FIRST_HEAD), member(MOTHER, { relation: '50' })],
      enrollments: [dibao('2024-01-01', { until: '2025-12-31' })],
    }),
    household(SECOND_HEAD, {
      hhId: 'MZ-371003-900001', region: '371003001205',
      members: [member(SECOND_HEAD), member(MOTHER, { relation: '50' })],
      enrollments: [lowIncome('2026-01-01')],
    }),
  ];

  it('is in the household the rules judged on the date asked, and in its region', async () => {
    const db = await openTestDatabase();
    const hub = await startTestHub(db);
    try {
      await loadCase(db, { civilAffairs: { households: families } });
      const ids = await db.pool.query<{ head: string; id: string }>(
        `select p.id_number as head, h.id::text as id from household h join person p on p.id = h.head_person_id`,
      );
      const householdOf = new Map(ids.rows.map((r) => [r.head, r.id]));
      const r = await hub.graphql(
        `query($idNumber: String!) { person(idNumber: $idNumber) {
           before: household(asOf: "2025-06-30") { id } beforeRegion: region(asOf: "2025-06-30") { code }
           after: household(asOf: "2026-10-31") { id } afterRegion: region(asOf: "2026-10-31") { code } } }`,
        { idNumber: MOTHER },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.person).toEqual({
        before: { id: householdOf.get(FIRST_HEAD) }, beforeRegion: { code: '371002001001' },
        after: { id: householdOf.get(SECOND_HEAD) }, afterRegion: { code: '371003001205' },
      });
    } finally {
      await hub.close();
      await db.drop();
    }
  }, 60_000);
});
