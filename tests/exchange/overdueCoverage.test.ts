/**
 * exchange.md "Assignment and report-back" and office.md "Monthly reports": `coverage { overdue }`
 * counts, per region and by assignee, the open findings whose newest assignment is past its due
 * date with no report back — as of the coverage's date, every level, and ANALYST through the
 * disclosure rules. The figures below are counted by hand from the assignments the test makes.
 */
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { todayInShanghai } from '../../src/identity';

let s: SampleAuthHub;
let countyA: string;
let countyB: string;
const today = todayInShanghai();

const ASSIGN = `mutation ($i: AssignFindingsInput!) { assignFindings(input: $i) { id } }`;
const REPORT = `mutation ($i: ReportVerificationInput!) { reportVerification(input: $i) { id } }`;
const REVIEW = `mutation ($i: ReviewInput!) { reviewFindings(input: $i) { id status } }`;
const COVERAGE = `query ($r: String!, $asOf: Date) { coverage(regionCode: $r, asOf: $asOf) {
  regionCode asOf overdue { assignedTo count suppressed } children { regionCode overdue { assignedTo count suppressed } } } }`;

async function assign(ids: string[], to: { department?: string; regionCode?: string }) {
  const r = await s.hub.graphql(ASSIGN, { i: { ids, to, dueOn: '2099-01-01' } });
  expect(r.errors).toBeUndefined();
}
const counts = (o: Array<{ assignedTo: string; count: number | null; suppressed: boolean }>) => o.map((x) => [x.assignedTo, x.count, x.suppressed]);

beforeAll(async () => {
  s = await startSampleAuthHub();
  // the two counties with the most open findings (plenty for the cases below)
  const { rows } = await s.db.pool.query<{ county: string }>(
    `select left(region_code, 6) as county from finding where status = 'OPEN' and cleared_at is null and region_code is not null
      group by 1 order by count(*) desc, 1 limit 2`,
  );
  [countyA, countyB] = rows.map((r) => r.county) as [string, string];
  const open = async (county: string, n: number) =>
    (await s.db.pool.query<{ id: string }>(`select id::text from finding where status = 'OPEN' and cleared_at is null and left(region_code, 6) = $1 order by id limit $2`, [county, n])).rows.map((r) => r.id);
  const a = await open(countyA, 10);
  const b = await open(countyB, 1);
  expect(a).toHaveLength(10);
  expect(b).toHaveLength(1);
  const [edu, town, reported, reassigned, dismissed] = [a.slice(0, 6), a[6]!, a[7]!, a[8]!, a[9]!];

  await assign([...edu, ...b], { department: 'education' }); // overdue: 6 in A, 1 in B
  await assign([town], { regionCode: countyA }); // overdue, to the county itself
  await assign([reported], { department: 'health' }); // reported back below: not overdue
  await assign([reassigned], { department: 'health' });
  await assign([dismissed], { department: 'housing' }); // decided below: no longer open
  // the due dates pass (the office cannot assign in the past, so time is moved in the table) …
  await s.db.pool.query(`update finding_assignment set due_on = '2020-01-01'`);
  // … except for the newest assignment of one finding, given again to another department and not yet due
  await assign([reassigned], { department: 'housing' });

  const registered = await s.hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d: REPORT });
  expect(registered.errors).toBeUndefined();
  const health = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'health', label: 'health app' });
  const report = await s.hub.graphqlAs(health, REPORT, { i: { findingId: reported, result: 'CONFIRMED_ON_SITE', visitedOn: today } });
  expect(report.errors).toBeUndefined();
  const review = await s.hub.graphql(REVIEW, { i: { ids: [dismissed], decision: 'DISMISS', reason: '已核实' } });
  expect(review.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await s?.close();
});

test('the office reads overdue counts by assignee for the city, each county and its own level, counted by hand', async () => {
  const city = await s.hub.graphql(COVERAGE, { r: '3710', asOf: today });
  expect(city.errors).toBeUndefined();
  expect(counts(city.data.coverage.overdue)).toEqual([['education', 7, false], [countyA, 1, false]]);
  const children = new Map(city.data.coverage.children.map((c: any) => [c.regionCode, counts(c.overdue)]));
  expect(children.get(countyA)).toEqual([['education', 6, false], [countyA, 1, false]]);
  expect(children.get(countyB)).toEqual([['education', 1, false]]);
  const others = [...children.entries()].filter(([code]) => code !== countyA && code !== countyB);
  expect(others.every(([, o]) => (o as unknown[]).length === 0)).toBe(true);

  // one level further down: the towns of county A add up to the county
  const county = await s.hub.graphql(COVERAGE, { r: countyA, asOf: today });
  const byTown = county.data.coverage.children.flatMap((c: any) => c.overdue);
  const sum = (who: string) => byTown.filter((o: any) => o.assignedTo === who).reduce((n: number, o: any) => n + o.count, 0);
  expect([sum('education'), sum(countyA), sum('health'), sum('housing')]).toEqual([6, 1, 0, 0]);
});

test('as of a day before anything was assigned, nothing is overdue', async () => {
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const city = await s.hub.graphql(COVERAGE, { r: '3710', asOf: yesterday });
  expect(city.errors).toBeUndefined();
  expect(city.data.coverage.overdue).toEqual([]);
});

test('a TOWN reads its own region’s counts; an ANALYST reads them rounded or suppressed', async () => {
  const town = await s.hub.tokenFor({ role: 'TOWN', region: countyA, label: 'county staff' });
  const own = await s.hub.graphqlAs(town, COVERAGE, { r: countyA, asOf: today });
  expect(own.errors).toBeUndefined();
  expect(counts(own.data.coverage.overdue)).toEqual([['education', 6, false], [countyA, 1, false]]);
  const above = await s.hub.graphqlAs(town, COVERAGE, { r: '3710', asOf: today });
  expect(above.errors[0].extensions.code).toBe('FORBIDDEN');

  const analyst = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  const city = await s.hub.graphqlAs(analyst, COVERAGE, { r: '3710' });
  expect(city.errors).toBeUndefined();
  // 7 rounds to 5; 1 is under the default min_cell_size of 5
  expect(counts(city.data.coverage.overdue)).toEqual([['education', 5, false], [countyA, null, true]]);
});
