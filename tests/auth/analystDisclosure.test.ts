/**
 * ANALYST gets nothing that can be tied back to a person (issue 11, item 1; api.md, "What ANALYST
 * sees"): no person-level rows, every count suppressed under min_cell_size or rounded to 5, every
 * date taken by month, no question naming a person — while OFFICE and TOWN keep exact figures.
 */
import { todayInShanghai } from '../../src/identity';
import { SAMPLE_AS_OF } from '../support/sampleHub';
import { RAW_ID_NUMBER, startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

let s: SampleAuthHub;
let analyst: string;
let town: string;
let county: string;

beforeAll(async () => {
  s = await startSampleAuthHub();
  analyst = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  const { rows } = await s.db.pool.query<{ code: string }>(
    `select left(region_code, 6) as code from person where region_code is not null group by 1 order by count(*) desc, 1 limit 1`,
  );
  county = rows[0]!.code;
  town = await s.hub.tokenFor({ role: 'TOWN', region: county, label: 'town staff' });
}, 180_000);

afterAll(async () => {
  await s?.close();
});

const COUNTS = 'regionCode persons personsSuppressed byCategory { category persons suppressed } openFindings { rule count suppressed }';
const COVERAGE = `query ($c: String!, $d: Date) { coverage(regionCode: $c, asOf: $d) { asOf ${COUNTS} children { ${COUNTS} children { ${COUNTS} } } } }`;
const MASKED_ID_ANYWHERE = /[0-9]{6}\*{8}[0-9]{3}[0-9X]/;
const MIN_CELL_SIZE = 5;

interface Cell {
  at: string;
  value: number | null;
  suppressed: boolean;
}

/** Every count of a coverage answer, its children's included, named by where it is. */
function cellsOf(c: any): Cell[] {
  return [
    { at: `${c.regionCode} persons`, value: c.persons, suppressed: c.personsSuppressed },
    ...c.byCategory.map((b: any) => ({ at: `${c.regionCode} ${b.category}`, value: b.persons, suppressed: b.suppressed })),
    ...c.openFindings.map((f: any) => ({ at: `${c.regionCode} open ${f.rule}`, value: f.count, suppressed: f.suppressed })),
    ...(c.children ?? []).flatMap(cellsOf),
  ];
}

/** What an analyst must receive for an exact count under a threshold. */
function published(exact: number, minCellSize: number): Cell['value'] {
  if (exact === 0) return 0;
  return exact < minCellSize ? null : Math.round(exact / 5) * 5;
}

function lastDayOf(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return `${day.slice(0, 8)}${new Date(Date.UTC(y!, m!, 0)).getUTCDate()}`;
}

async function coverageAs(token: string, regionCode: string, asOf?: string) {
  const r = await s.hub.graphqlAs(token, COVERAGE, { c: regionCode, d: asOf });
  expect(r.errors).toBeUndefined();
  return r.data.coverage;
}

describe('the attack of the issue', () => {
  /** A child in difficulty whose 18th birthday (not the 1st of a month) ends the category. */
  async function childTurning18() {
    const { rows } = await s.db.pool.query<{ id: string; idNumber: string; b18: string; householdId: string }>(
      `with c as (select distinct person_id from weijiu_categories($1, '3710') where category = 'CHILD_IN_DIFFICULTY')
       select p.id, p.id_number as "idNumber", (p.birth_date + interval '18 years')::date::text as b18,
              coalesce((select m.household_id from membership m where m.person_id = p.id and m.retired_at is null order by m.household_id limit 1),
                       (select min(id) from household))::text as "householdId"
         from person p join c on c.person_id = p.id
        where extract(day from p.birth_date) > 1
          and exists (select 1 from weijiu_categories((p.birth_date + interval '18 years')::date - 1, '3710') x
                       where x.person_id = p.id and x.category = 'CHILD_IN_DIFFICULTY')
          and not exists (select 1 from weijiu_categories((p.birth_date + interval '18 years')::date, '3710') x
                           where x.person_id = p.id and x.category = 'CHILD_IN_DIFFICULTY')
        order by not exists (select 1 from membership m where m.person_id = p.id and m.retired_at is null), p.birth_date limit 1`,
      [SAMPLE_AS_OF],
    );
    expect(rows[0]).toBeDefined();
    return rows[0]!;
  }

  it('gets no masked ID numbers or years of birth: a list gives its count, not its rows', async () => {
    const r = await s.hub.graphqlAs(analyst, '{ persons(first: 100) { totalCount edges { node { id idNumber birthYear } } } }');
    expect(r.errors[0]).toMatchObject({ message: expect.stringContaining('totalCount'), extensions: { code: 'FORBIDDEN' } });
    expect(r.data).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(MASKED_ID_ANYWHERE);
    expect(JSON.stringify(r)).not.toMatch(RAW_ID_NUMBER);
    const counted = await s.hub.graphqlAs(analyst, '{ persons { totalCount totalCountSuppressed } }');
    expect(counted.errors).toBeUndefined();
    expect(counted.data.persons).toEqual({ totalCount: expect.any(Number), totalCountSuppressed: false });
  });

  it("cannot ask a person's categories at free dates by any path: no person-level object reaches an analyst", async () => {
    const child = await childTurning18();
    const day = (d: number) => `${child.b18.slice(0, 8)}${String(d).padStart(2, '0')}`;
    const before = day(Number(child.b18.slice(8)) - 1);
    const categories = `a: categories(asOf: "${before}") b: categories(asOf: "${child.b18}")`;
    const { rows } = await s.db.pool.query<{ id: string }>(`select id from finding where person_id = $1 limit 1`, [child.id]);
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      ['person', `query ($id: String!) { person(idNumber: $id) { ${categories} } }`, { id: child.idNumber }],
      ['household', `query ($id: ID!) { household(id: $id) { members { person { ${categories} } } } }`, { id: child.householdId }],
      ['persons', `{ persons(first: 100) { edges { node { ${categories} } } } }`, {}],
      ['findings', `{ findings(first: 100) { edges { node { person { ${categories} } } } } }`, {}],
      ...(rows[0] ? [['finding', `query ($id: ID!) { finding(id: $id) { person { ${categories} } } }`, { id: rows[0].id }] as [string, string, Record<string, unknown>]] : []),
    ];
    // The office can: the two dates around the birthday tell the 8 hidden digits.
    const office = await s.hub.graphql(attempts[0]![1], attempts[0]![2]);
    expect(office.data.person.a).toContain('CHILD_IN_DIFFICULTY');
    expect(office.data.person.b).not.toContain('CHILD_IN_DIFFICULTY');
    for (const [root, document, variables] of attempts) {
      const r = await s.hub.graphqlAs(analyst, document, variables);
      expect([root, r.errors?.[0]?.extensions?.code]).toEqual([root, 'FORBIDDEN']);
      expect(r.data?.[root] ?? null).toBeNull();
      expect(JSON.stringify(r)).not.toContain('CHILD_IN_DIFFICULTY');
    }
  });

  it('asks coverage on every day of the birthday month and gets one answer, as of the month end', async () => {
    const child = await childTurning18();
    const { rows } = await s.db.pool.query<{ code: string }>(`select left(region_code, 6) as code from person where id = $1`, [child.id]);
    const region = rows[0]!.code;
    const month = child.b18.slice(0, 8);
    const last = lastDayOf(child.b18);
    // The office's exact figures move on the birthday: the oracle an analyst must not have.
    const exact = async (asOf: string) =>
      (await coverageAs(s.hub.officeToken, region, asOf)).byCategory.find((b: any) => b.category === 'CHILD_IN_DIFFICULTY').persons;
    const birthday = Number(child.b18.slice(8));
    expect(await exact(`${month}${String(birthday - 1).padStart(2, '0')}`)).toBe((await exact(child.b18)) + 1);

    const days = Array.from({ length: Number(last.slice(8)) }, (_, i) => `${month}${String(i + 1).padStart(2, '0')}`);
    const answers: any[] = [];
    for (let i = 0; i < days.length; i += 16) {
      const batch = days.slice(i, i + 16);
      const doc = `{ ${batch.map((d, j) => `d${j}: coverage(regionCode: "${region}", asOf: "${d}") { asOf ${COUNTS} }`).join(' ')} }`;
      const r = await s.hub.graphqlAs(analyst, doc);
      expect(r.errors).toBeUndefined();
      answers.push(...batch.map((_, j) => r.data[`d${j}`]));
    }
    expect(answers).toHaveLength(days.length);
    for (const a of answers) expect(a).toEqual({ ...answers[0], asOf: last });
  });
});

describe('dates by month', () => {
  it('takes a date inside a month as its last day, and "today" as this month’s last day', async () => {
    const inside = await coverageAs(analyst, '3710', '2026-10-14');
    expect(inside.asOf).toBe('2026-10-31');
    expect(inside).toEqual(await coverageAs(analyst, '3710', '2026-10-31'));
    const today = todayInShanghai();
    expect((await coverageAs(analyst, '3710')).asOf).toBe(lastDayOf(today));

    const lists = await s.hub.graphqlAs(
      analyst,
      '{ early: persons(filter: { programme: ["DB"], activeOn: "2026-10-02" }) { totalCount } end: persons(filter: { programme: ["DB"], activeOn: "2026-10-31" }) { totalCount } }',
    );
    expect(lists.errors).toBeUndefined();
    expect(lists.data.early).toEqual(lists.data.end);
  });

  it('leaves the dates of other roles as given', async () => {
    expect((await coverageAs(s.hub.officeToken, '3710', '2026-10-14')).asOf).toBe('2026-10-14');
    expect((await coverageAs(s.hub.officeToken, '3710')).asOf).toBe(todayInShanghai());
  });
});

describe('counts', () => {
  it('are null and suppressed under min_cell_size, else rounded to a multiple of 5', async () => {
    const [a, o] = [cellsOf(await coverageAs(analyst, '3710', SAMPLE_AS_OF)), cellsOf(await coverageAs(s.hub.officeToken, '3710', SAMPLE_AS_OF))];
    expect(a.map((c) => c.at)).toEqual(o.map((c) => c.at));
    for (const [i, cell] of a.entries()) {
      const exact = o[i]!.value!;
      expect([cell.at, cell.value, cell.suppressed]).toEqual([cell.at, published(exact, MIN_CELL_SIZE), published(exact, MIN_CELL_SIZE) === null]);
      if (cell.value !== null) expect(cell.value % 5).toBe(0);
    }
    // The sample has both kinds, so the rules above were exercised.
    expect(a.filter((c) => c.suppressed).length).toBeGreaterThan(10);
    expect(a.filter((c, i) => c.value !== null && c.value !== o[i]!.value).length).toBeGreaterThan(3);
  });

  it("of lists are the totalCount's the same way, and the rows are refused", async () => {
    const doc = `query ($c: String, $r: [String!]) {
      all: persons { totalCount totalCountSuppressed }
      inCounty: persons(filter: { regionCode: $c }) { totalCount totalCountSuppressed }
      households { totalCount totalCountSuppressed }
      findings { totalCount totalCountSuppressed }
      byRule: findings(filter: { rule: $r }) { totalCount totalCountSuppressed } }`;
    const { rows } = await s.db.pool.query<{ rule: string }>(`select rule from finding group by rule having count(*) between 1 and 4 order by rule limit 1`);
    const vars = { c: county, r: [rows[0]!.rule] };
    const [a, o] = [await s.hub.graphqlAs(analyst, doc, vars), await s.hub.graphql(doc, vars)];
    expect(a.errors).toBeUndefined();
    for (const key of Object.keys(o.data)) {
      const exact = o.data[key].totalCount;
      expect(o.data[key].totalCountSuppressed).toBe(false);
      expect([key, a.data[key]]).toEqual([key, { totalCount: published(exact, MIN_CELL_SIZE), totalCountSuppressed: published(exact, MIN_CELL_SIZE) === null }]);
    }
    expect(a.data.byRule).toEqual({ totalCount: null, totalCountSuppressed: true });
    for (const list of ['households', 'findings']) {
      const r = await s.hub.graphqlAs(analyst, `{ ${list}(first: 5) { pageInfo { endCursor } } }`);
      expect([list, r.errors?.[0]?.extensions?.code]).toEqual([list, 'FORBIDDEN']);
    }
  });

  it('cannot be differenced back: a suppressed cell does not follow exactly from the total minus the other cells', async () => {
    const [a, o] = [await coverageAs(analyst, '3710', SAMPLE_AS_OF), await coverageAs(s.hub.officeToken, '3710', SAMPLE_AS_OF)];
    const parents = [[a, o], ...a.children.map((c: any, i: number) => [c, o.children[i]])] as Array<[any, any]>;
    let attacks = 0;
    for (const [pa, po] of parents) {
      for (const [k, { category }] of pa.byCategory.entries()) {
        const total = pa.byCategory[k].persons as number | null;
        const children = pa.children.map((c: any) => c.byCategory[k]);
        const hidden = children.filter((c: any) => c.suppressed).length;
        // Only where the exact figures add up (people of each region are under one child) and
        // something is hidden: the strongest case for the attacker.
        const exactSum = po.children.reduce((sum: number, c: any) => sum + c.byCategory[k].persons, 0);
        if (total === null || hidden === 0 || exactSum !== po.byCategory[k].persons) continue;
        attacks++;
        // Everything the analyst knows: a published v stands for v − 2 … v + 2 (0 for 0); a
        // suppressed one for 1 … min_cell_size − 1; the total is the sum.
        const shown = children.filter((c: any) => !c.suppressed).map((c: any) => c.persons as number);
        const low = Math.max(hidden, total - 2 - shown.reduce((x: number, v: number) => x + (v === 0 ? 0 : v + 2), 0));
        const high = Math.min(hidden * (MIN_CELL_SIZE - 1), total + 2 - shown.reduce((x: number, v: number) => x + (v === 0 ? 0 : Math.max(MIN_CELL_SIZE, v - 2)), 0));
        const truth = po.children.filter((_: any, i: number) => children[i].suppressed).reduce((x: number, c: any) => x + c.byCategory[k].persons, 0);
        expect(truth).toBeGreaterThanOrEqual(low);
        expect(truth).toBeLessThanOrEqual(high);
        // More than one value fits: the attacker cannot tell which.
        expect([pa.regionCode, category, high > low]).toEqual([pa.regionCode, category, true]);
      }
    }
    expect(attacks).toBeGreaterThan(0);
  });
});

describe('min_cell_size', () => {
  it('is a dated parameter: a higher value from a date suppresses more from that date on', async () => {
    const thisMonth = `${todayInShanghai().slice(0, 8)}01`;
    const next = await s.db.pool.query<{ d: string }>(`select (date_trunc('month', $1::date) + interval '1 month')::date::text as d`, [thisMonth]);
    const nextMonthEnd = lastDayOf(next.rows[0]!.d);
    const suppressedOf = async (asOf: string) => cellsOf(await coverageAs(analyst, '3710', asOf)).filter((c) => c.suppressed).length;
    const listDoc = 'query ($c: String) { persons(filter: { regionCode: $c }) { totalCount totalCountSuppressed } }';
    const { rows } = await s.db.pool.query<{ n: number }>(`select count(*)::int as n from person where region_code like $1`, [`${county}%`]);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(MIN_CELL_SIZE);
    const higher = rows[0]!.n + 1;

    const before = { current: await suppressedOf(SAMPLE_AS_OF), next: await suppressedOf(nextMonthEnd) };
    expect((await s.hub.graphqlAs(analyst, listDoc, { c: county })).data.persons.totalCountSuppressed).toBe(false);
    await s.db.pool.query(`insert into parameter (name, region_code, valid_from, value, unit) values ('min_cell_size', '3710', $1, $2, 'persons')`, [
      thisMonth,
      String(higher),
    ]);
    try {
      expect(await suppressedOf(nextMonthEnd)).toBeGreaterThan(before.next);
      const cells = cellsOf(await coverageAs(analyst, '3710', nextMonthEnd));
      const exact = cellsOf(await coverageAs(s.hub.officeToken, '3710', nextMonthEnd));
      for (const [i, cell] of cells.entries()) expect([cell.at, cell.value]).toEqual([cell.at, published(exact[i]!.value!, higher)]);
      // Before the row's date, the old threshold still holds.
      expect(await suppressedOf(SAMPLE_AS_OF)).toBe(before.current);
      // A list counts as of this month: the county's people are now a small cell.
      expect((await s.hub.graphqlAs(analyst, listDoc, { c: county })).data.persons).toEqual({ totalCount: null, totalCountSuppressed: true });
      // The office still counts exactly.
      expect((await s.hub.graphql(listDoc, { c: county })).data.persons).toEqual({ totalCount: rows[0]!.n, totalCountSuppressed: false });
    } finally {
      await s.db.pool.query(`delete from parameter where name = 'min_cell_size' and region_code = '3710' and valid_from = $1`, [thisMonth]);
    }
  });

  it("a county's higher threshold holds for every count about it, however the list is asked for", async () => {
    const thisMonth = `${todayInShanghai().slice(0, 8)}01`;
    const { rows } = await s.db.pool.query<{ n: number }>(`select count(*)::int as n from person where region_code like $1`, [`${county}%`]);
    const higher = rows[0]!.n + 1;
    const doc = `query ($c: String!) {
      coverage(regionCode: $c) { persons personsSuppressed }
      persons(filter: { regionCode: $c }) { totalCount totalCountSuppressed }
      findings(filter: { regionCode: $c }) { totalCount totalCountSuppressed } }`;
    await s.db.pool.query(`insert into parameter (name, region_code, valid_from, value, unit) values ('min_cell_size', $1, $2, $3, 'persons')`, [
      county,
      thisMonth,
      String(higher),
    ]);
    try {
      const r = await s.hub.graphqlAs(analyst, doc, { c: county });
      expect(r.data.coverage).toEqual({ persons: null, personsSuppressed: true });
      expect(r.data.persons).toEqual({ totalCount: null, totalCountSuppressed: true });
      // fewer findings than people: under the county's threshold too
      expect(r.data.findings.totalCountSuppressed || r.data.findings.totalCount === 0).toBe(true);
    } finally {
      await s.db.pool.query(`delete from parameter where name = 'min_cell_size' and region_code = $1 and valid_from = $2`, [county, thisMonth]);
    }
  });
});

describe('other roles', () => {
  it('OFFICE and TOWN get exact counts, nothing suppressed; TOWN of its own region only', async () => {
    const office = await coverageAs(s.hub.officeToken, county, SAMPLE_AS_OF);
    const townsView = await coverageAs(town, county, SAMPLE_AS_OF);
    expect(townsView).toEqual(office);
    const cells = cellsOf(townsView);
    expect(cells.every((c) => !c.suppressed && c.value !== null)).toBe(true);
    // Exact: small figures and figures that are no multiple of 5 are there as they are.
    expect(cells.some((c) => c.value! >= 1 && c.value! < MIN_CELL_SIZE)).toBe(true);
    expect(cells.some((c) => c.value! % 5 !== 0)).toBe(true);

    const { rows } = await s.db.pool.query<{ n: number }>(`select count(*)::int as n from person where region_code like $1`, [`${county}%`]);
    const listed = await s.hub.graphqlAs(town, '{ persons { totalCount totalCountSuppressed } }');
    expect(listed.data.persons).toEqual({ totalCount: rows[0]!.n, totalCountSuppressed: false });
    const elsewhere = await s.hub.graphqlAs(town, COVERAGE, { c: '3710' });
    expect(elsewhere.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
