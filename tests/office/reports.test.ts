import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { SAMPLE_AS_OF } from '../support/sampleHub';
import { makeMonthlyReport, ReportExists } from '../../src/rules/reports/monthlyReport';
import { sourceFigures, sourceSettings } from '../../src/rules/reports/sources';
import { connectors } from '../../connectors';

let s: SampleAuthHub;
beforeAll(async () => {
  s = await startSampleAuthHub();
}, 120_000);
afterAll(() => s?.close());

const COVERAGE = `query C($code: String!, $asOf: Date) { coverage(regionCode: $code, asOf: $asOf) {
  regionCode name asOf persons residents openFindings { rule count } children { regionCode name persons }
  previous { asOf persons openFindings { rule count } } } }`;

const open = (c: any) => c.openFindings.reduce((n: number, r: any) => n + r.count, 0);

test('coverage names regions in Chinese at every level and counts findings open on the day asked, not now', async () => {
  const now = await s.hub.graphql(COVERAGE, { code: '3710', asOf: SAMPLE_AS_OF });
  expect(now.errors).toBeUndefined();
  const c = now.data.coverage;
  expect(c.name).toBe('威海市');
  expect(c.children.length).toBeGreaterThan(0);
  for (const child of c.children) expect(child.name).toMatch(/[\u4e00-\u9fff]/);
  expect(open(c)).toBeGreaterThan(0);
  // before any finding held, none was open — the figure follows the date, not today's status
  const before = await s.hub.graphql(COVERAGE, { code: '3710', asOf: '2020-01-31' });
  expect(open(before.data.coverage)).toBe(0);
  // a finding dismissed after the day stays open on it; as of today it is not
  const { rows } = await s.db.pool.query(`select id from finding where status = 'OPEN' order by id limit 1`);
  const review = await s.hub.graphql(`mutation R($ids: [ID!]!) { reviewFindings(input: { ids: $ids, decision: DISMISS, reason: "测试" }) { id status } }`, { ids: [rows[0].id] });
  expect(review.data.reviewFindings[0].status).toBe('DISMISSED');
  const after = await s.hub.graphql(COVERAGE, { code: '3710', asOf: SAMPLE_AS_OF });
  expect(open(after.data.coverage)).toBe(open(c));
  const today = await s.hub.graphql(COVERAGE, { code: '3710' });
  const live = await s.db.pool.query(`select count(*)::int as n from finding where status = 'OPEN' and region_code like '3710%'`);
  expect(open(today.data.coverage)).toBe(live.rows[0].n);
}, 120_000);

test('a monthly report freezes the month, is refused a second time, and is read back as GraphQL figures', async () => {
  const sources = sourceSettings({}, connectors);
  await makeMonthlyReport(s.db.pool, { month: '2026-10', city: '3710', madeBy: 'test', sources });
  await expect(makeMonthlyReport(s.db.pool, { month: '2026-10', city: '3710', madeBy: 'test', sources })).rejects.toBeInstanceOf(ReportExists);
  await expect(s.db.pool.query(`update monthly_report set made_by = 'x'`)).rejects.toThrow(/never changes/);
  const live = await s.hub.graphql(COVERAGE, { code: '3710', asOf: '2026-10-31' });
  const r = await s.hub.graphql(`{ report(month: "2026-10") { month asOf coverage { regionCode name persons openFindings { rule count } children { regionCode name persons } }
      findings { rule opened cleared decided openAtEnd } screenings { screeningId rows } sources { connector department stale records dataDate maxAgeDays matchRate quarantineShare } } }`);
  expect(r.errors).toBeUndefined();
  const rep = r.data.report;
  expect(rep.asOf).toBe('2026-10-31');
  expect(rep.coverage.persons).toBe(live.data.coverage.persons);
  expect(rep.coverage.openFindings).toEqual(live.data.coverage.openFindings);
  expect(rep.coverage.children.map((c: any) => [c.regionCode, c.name, c.persons])).toEqual(live.data.coverage.children.map((c: any) => [c.regionCode, c.name, c.persons]));
  expect(rep.findings.reduce((n: number, f: any) => n + f.openAtEnd, 0)).toBe(open(live.data.coverage));
  expect(rep.sources.map((x: any) => x.connector)).toContain('civil-affairs');
  // the next month's coverage compares with the frozen one
  const nov = await s.hub.graphql(COVERAGE, { code: '3710', asOf: '2026-11-15' });
  expect(nov.data.coverage.previous.asOf).toBe('2026-10-31');
  expect(nov.data.coverage.previous.persons).toBe(rep.coverage.persons);
  const list = await s.hub.graphql(`{ reports(first: 5) { totalCount edges { node { month } } } }`);
  expect(list.data.reports.edges.map((e: any) => e.node.month)).toEqual(['2026-10']);
  const bad = await s.hub.graphql(`{ report(month: "2026-13") { month } }`);
  expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
}, 120_000);

test('a TOWN token reads its region’s part of a report and the sources; a DEPARTMENT token neither', async () => {
  const town = await s.db.pool.query(`select code from region where level = 'TOWN' order by code limit 1`);
  const code = town.rows[0].code;
  const token = await s.hub.tokenFor({ role: 'TOWN', region: code, label: 'town' });
  const r = await s.hub.graphqlAs(token, `{ report(month: "2026-10") { coverage { regionCode name } screenings { regionCode } } sources { connector stale } }`);
  expect(r.errors).toBeUndefined();
  expect(r.data.report.coverage.regionCode).toBe(code);
  for (const x of r.data.report.screenings) expect(x.regionCode.startsWith(code)).toBe(true);
  const dept = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'health', label: 'dept' });
  const d = await s.hub.graphqlAs(dept, `{ sources { connector } }`);
  expect(d.errors[0].extensions.code).toBe('FORBIDDEN');
}, 120_000);

test('sources: per connector its records, quarantine, match rate and staleness against maxAgeDays (twice its schedule by default)', async () => {
  const r = await s.hub.graphql(`{ sources { connector department lastSuccessAt dataDate maxAgeDays stale records quarantined quarantineShare
    quarantineByReason { reason count } persons matchRate conflicts } }`);
  expect(r.errors).toBeUndefined();
  const civil = r.data.sources.find((x: any) => x.connector === 'civil-affairs');
  const records = await s.db.pool.query(`select count(*)::int as n from source_record where feed = 'civil-affairs' and superseded_at is null and not deleted`);
  const quarantined = await s.db.pool.query(`select reason, count(*)::int as n from quarantined_record where connector = 'civil-affairs' group by reason`);
  expect(civil.records).toBe(records.rows[0].n);
  expect(civil.quarantined).toBe(quarantined.rows.reduce((n, q) => n + q.n, 0));
  expect(civil.quarantineByReason.map((q: any) => [q.reason, q.count]).sort()).toEqual(quarantined.rows.map((q) => [q.reason, q.n]).sort());
  expect(civil.quarantineShare).toBeCloseTo(civil.quarantined / (civil.records + civil.quarantined));
  expect(civil.matchRate).toBe(1);
  expect(civil.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(civil.department).toBeTruthy();

  const settings = sourceSettings({ 'civil-affairs': { schedule: '0 3 * * 1' }, health: { schedule: '0 3 * * 1', maxAgeDays: 1 } }, connectors);
  const now = await sourceFigures(s.db.pool, settings);
  expect(now.find((x) => x.connector === 'civil-affairs')).toMatchObject({ maxAgeDays: 14, stale: false });
  const later = await sourceFigures(s.db.pool, settings, new Date(Date.now() + 3 * 86_400_000));
  expect(later.find((x) => x.connector === 'civil-affairs')).toMatchObject({ maxAgeDays: 14, stale: false });
  expect(later.find((x) => x.connector === 'health')).toMatchObject({ maxAgeDays: 1, stale: true });

  const admin = await s.hub.tokenFor({ role: 'ADMIN', label: 'ops' });
  expect((await s.hub.graphqlAs(admin, `{ sources { connector stale } }`)).errors).toBeUndefined();
  const analyst = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  expect((await s.hub.graphqlAs(analyst, `{ sources { connector } }`)).errors[0].extensions.code).toBe('FORBIDDEN');
}, 60_000);

test('residents: a region’s own 常住人口 for the year of asOf, else the sum of the regions under it; null when unknown', async () => {
  const town = await s.db.pool.query(
    `select region_code, residents from region_stat where retired_at is null and year = 2026 and length(region_code) = 9 and residents is not null order by region_code limit 1`,
  );
  const code = town.rows[0].region_code;
  const r = await s.hub.graphql(`query($c: String!) { coverage(regionCode: $c, asOf: "2026-10-31") { residents children { regionCode residents } } }`, { c: code });
  expect(r.data.coverage.residents).toBe(town.rows[0].residents);
  const old = await s.hub.graphql(`query($c: String!) { coverage(regionCode: $c, asOf: "1999-10-31") { residents } }`, { c: code });
  expect(old.data.coverage.residents).toBeNull();
}, 60_000);
