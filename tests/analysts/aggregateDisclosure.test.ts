/**
 * The aggregates as ANALYST receives them (api.md "What ANALYST sees"; issue 17 item 2): counts
 * from 1 to min_cell_size − 1 withheld, every other count rounded to 5, persons / sum / avg null
 * wherever count is, dates by month — and an analyst who asks the totals as well cannot work a
 * withheld cell out of them. TOWN gets its own region, exact.
 */
import { SAMPLE_AS_OF } from '../support/sampleHub';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';

let s: SampleAuthHub;
let analyst: string;
const D = SAMPLE_AS_OF;
const MIN_CELL_SIZE = 5;

beforeAll(async () => {
  s = await startSampleAuthHub();
  analyst = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
}, 180_000);

afterAll(async () => {
  await s?.close();
});

interface Group {
  keys: Array<{ key: string; value: string | null }>;
  count: number | null;
  suppressed: boolean;
  persons?: number | null;
  sum?: string | null;
  avg?: string | null;
}

async function personGroups(token: string, groupBy: string[], where?: unknown, asOf = D): Promise<Group[]> {
  const r = await s.hub.graphqlAs(
    token,
    `query ($g: [PersonGroupKey!]!, $w: PersonWhere, $d: Date) { personsAggregate(groupBy: $g, where: $w, asOf: $d) { keys { key value } count suppressed } }`,
    { g: groupBy, w: where, d: asOf },
  );
  expect(r.errors).toBeUndefined();
  return r.data.personsAggregate;
}

const keyOf = (g: Group) => g.keys.map((k) => k.value ?? '-').join('|');

/** The exact people per county and lowest valid disability grade on D, counted by hand. */
async function exactCells(): Promise<Map<string, number>> {
  const { rows } = await s.db.pool.query<{ k: string; n: string }>(
    `select coalesce(left(pr.region_code, 6), '-') || '|' || coalesce(g::text, '-') as k, count(*) as n
       from weijiu_person_region($1) pr
       cross join lateral (select min(grade) as g from disability_certificate c where c.person_id = pr.person_id and c.retired_at is null
                            and c.status = 'VALID' and c.valid_from <= $1 and (c.valid_to is null or c.valid_to >= $1)) x
      group by 1`,
    [D],
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

/** The exact values a published count may stand for. */
function range(g: Group): [number, number] {
  if (g.suppressed) return [1, MIN_CELL_SIZE - 1];
  return g.count === 0 ? [0, 0] : [g.count! - 2, g.count! + 2];
}

test('cells are withheld below min_cell_size and rounded to 5 above it, as counted by hand', async () => {
  const exact = await exactCells();
  const groups = await personGroups(analyst, ['REGION_COUNTY', 'DISABILITY_GRADE']);
  expect(groups.length).toBe(exact.size);
  let withheld = 0;
  for (const g of groups) {
    const n = exact.get(keyOf(g))!;
    if (n < MIN_CELL_SIZE) {
      expect({ at: keyOf(g), count: g.count, suppressed: g.suppressed }).toEqual({ at: keyOf(g), count: null, suppressed: true });
      withheld += 1;
    } else {
      expect({ at: keyOf(g), count: g.count }).toEqual({ at: keyOf(g), count: Math.round(n / 5) * 5 });
    }
  }
  expect(withheld).toBeGreaterThan(0);
});

test('a withheld cell does not follow from its county’s total and the other cells', async () => {
  const exact = await exactCells();
  const cells = await personGroups(analyst, ['REGION_COUNTY', 'DISABILITY_GRADE']);
  const totals = new Map((await personGroups(analyst, ['REGION_COUNTY'])).map((g) => [keyOf(g), g]));
  let attacked = 0;
  for (const target of cells.filter((g) => g.suppressed)) {
    const county = target.keys[0]!.value ?? '-';
    const total = totals.get(county)!;
    const others = cells.filter((g) => g !== target && (g.keys[0]!.value ?? '-') === county);
    // the widest and narrowest the target can be, given every other answer
    const [tLo, tHi] = range(total);
    const lo = Math.max(1, tLo - others.reduce((n, g) => n + range(g)[1], 0));
    const hi = Math.min(MIN_CELL_SIZE - 1, tHi - others.reduce((n, g) => n + range(g)[0], 0));
    const truth = exact.get(keyOf(target))!;
    expect(truth).toBeGreaterThanOrEqual(lo);
    expect(truth).toBeLessThanOrEqual(hi);
    // more than one value fits: the attack does not pin the cell down
    expect({ cell: keyOf(target), candidates: hi - lo + 1 }).toEqual({ cell: keyOf(target), candidates: expect.any(Number) });
    expect(hi - lo + 1).toBeGreaterThan(1);
    attacked += 1;
  }
  expect(attacked).toBeGreaterThan(0);
});

test('the same cell asked with a where instead of a key is withheld too', async () => {
  const exact = await exactCells();
  const small = [...exact].find(([k, n]) => n > 0 && n < MIN_CELL_SIZE && !k.startsWith('-') && !k.endsWith('-'))!;
  const [county, grade] = small[0].split('|');
  const groups = await personGroups(analyst, [], { regionCode: { _prefix: county }, disability: { grade: { _eq: Number(grade) }, _is_null: false } });
  // the lowest grade is asked as "a certificate of this grade": at least the people of the cell
  expect(groups.length).toBe(1);
  const everyone = await personGroups(analyst, [], { regionCode: { _prefix: county } });
  expect(everyone[0]!.count! % 5).toBe(0);
  if (groups[0]!.suppressed) expect(groups[0]!.count).toBeNull();
  else expect(groups[0]!.count! % 5).toBe(0);
});

test('benefits: persons, sum and avg are null wherever count is; other counts rounded', async () => {
  const r = await s.hub.graphqlAs(
    analyst,
    `{ benefitsAggregate(groupBy: [REGION_COUNTY, PROGRAMME], from: "2026-01-01", to: "2026-10-31") { keys { key value } count suppressed persons sum avg } }`,
  );
  expect(r.errors).toBeUndefined();
  const groups: Group[] = r.data.benefitsAggregate;
  expect(groups.some((g) => g.suppressed)).toBe(true);
  for (const g of groups) {
    if (g.suppressed) expect([g.count, g.persons, g.sum, g.avg]).toEqual([null, null, null, null]);
    else {
      expect(g.count! % 5).toBe(0);
      if (g.persons !== null) expect(g.persons! % 5).toBe(0);
    }
  }
});

test("benefits: money cannot give the exact count back, nor be split by amount", async () => {
  const ask = (where: string) =>
    s.hub.graphqlAs(analyst, `{ benefitsAggregate(groupBy: []${where}) { count suppressed sum avg } }`);
  const whole = await ask('');
  expect(whole.errors).toBeUndefined();
  const [g] = whole.data.benefitsAggregate as Group[];
  const exact = Number((await s.db.pool.query(`select count(*) as n from benefit where retired_at is null`)).rows[0].n);
  // the red team's attack: the exact count as sum ÷ avg (281 benefits in the sample, shown as 280)
  expect(exact % 5).not.toBe(0);
  expect(Math.round(Number(g!.sum) / Number(g!.avg))).toBe(g!.count);
  expect(g!.count).not.toBe(exact);
  expect(Number(g!.sum) % 1000).toBe(0);
  // two bands a cent apart would count, by the difference of their sums, who was paid exactly that
  const band = await ask(', where: { amount: { _gte: "1000" } }');
  expect(band.errors[0].extensions.code).toBe('FORBIDDEN');
  const hidden = await ask(', where: { _or: [{ programme: { _eq: "LS" } }, { amount: { _lte: "5" } }] }');
  expect(hidden.errors[0].extensions.code).toBe('FORBIDDEN');
});

test('dates by month: an answer does not change inside a month', async () => {
  const early = await personGroups(analyst, ['AGE_BAND'], { category: { _eq: 'CHILD_IN_DIFFICULTY', on: '2026-10-02' } }, '2026-10-02');
  const late = await personGroups(analyst, ['AGE_BAND'], { category: { _eq: 'CHILD_IN_DIFFICULTY', on: '2026-10-31' } }, '2026-10-31');
  expect(early).toEqual(late);
});

test('a group with nobody in it is absent', async () => {
  expect(await personGroups(analyst, ['SEX'], { age: { _gte: 200 } })).toEqual([]);
});

test('TOWN: its own region only, exact', async () => {
  const town = await s.hub.tokenFor({ role: 'TOWN', region: '371003', label: 'wendeng' });
  const groups = await personGroups(town, ['REGION_COUNTY', 'SEX']);
  const { rows } = await s.db.pool.query<{ k: string; n: string }>(
    `select left(pr.region_code, 6) || '|' || p.sex as k, count(*) as n from weijiu_person_region($1) pr join person p on p.id = pr.person_id
      where pr.region_code like '371003%' group by 1`,
    [D],
  );
  expect(Object.fromEntries(groups.map((g) => [keyOf(g), g.count]))).toEqual(Object.fromEntries(rows.map((r) => [r.k, Number(r.n)])));
});

test('a department lists no city: FORBIDDEN', async () => {
  const dept = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'disability', label: 'dept' });
  const r = await s.hub.graphqlAs(dept, `{ personsAggregate(groupBy: [SEX]) { count } }`);
  expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
