/**
 * exchange.md "Assignment and report-back" and "Matching", through the hub's HTTP API with real
 * tokens over the sample set: the role matrix grows (education reads a G4 assigned to it, housing
 * cannot; a TOWN reads assignments inside its region only), reports are kept, and `match` answers
 * bad, duplicate and foreign-region numbers.
 */
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';

let s: SampleAuthHub;
let g4: { id: string; county: string; idNumber: string };
let otherCounty: string;
const tokens = {} as Record<'EDUCATION' | 'HOUSING' | 'TOWN' | 'OTHER_TOWN' | 'ANALYST', string>;

const FINDING = `query ($id: ID!) { finding(id: $id) { id rule person { idNumber name } detail evidence { feed values } assignments { to dueOn } verifications { result reportedBy } } }`;
const FINDINGS = `query { findings(first: 50) { edges { node { id rule } } } }`;
const REPORT = `mutation ($i: ReportVerificationInput!) { reportVerification(input: $i) { id verifications { result visitedOn note reportedBy } } }`;
const MATCH = `query ($ids: [String!]!, $p: String!) { match(idNumbers: $ids, purpose: $p) { input idNumber valid known categories programmes } }`;
const ASSIGN = `mutation ($i: AssignFindingsInput!) { assignFindings(input: $i) { id assignments { to dueOn note assignedBy } } }`;

async function register(document: string) {
  const r = await s.hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d: document });
  expect(r.errors).toBeUndefined();
}

beforeAll(async () => {
  s = await startSampleAuthHub();
  const { rows } = await s.db.pool.query(
    `select f.id::text as id, left(f.region_code, 6) as county, p.id_number as "idNumber" from finding f join person p on p.id = f.person_id
      where f.rule = 'G4' and f.region_code is not null and p.region_code like left(f.region_code, 6) || '%' order by f.id limit 1`,
  );
  g4 = rows[0];
  expect(g4).toBeDefined();
  otherCounty = (await s.db.pool.query(`select left(region_code, 6) as c from person where region_code not like $1 limit 1`, [`${g4.county}%`])).rows[0].c;
  tokens.EDUCATION = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'education', label: 'education app' });
  tokens.HOUSING = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'housing', label: 'housing app' });
  tokens.TOWN = await s.hub.tokenFor({ role: 'TOWN', region: g4.county, label: 'county staff' });
  tokens.OTHER_TOWN = await s.hub.tokenFor({ role: 'TOWN', region: otherCounty, label: 'other county staff' });
  tokens.ANALYST = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  for (const d of [FINDING, FINDINGS, REPORT, MATCH]) await register(d);
}, 120_000);

afterAll(async () => {
  await s?.close();
});

test('before any assignment a department reads no finding at all', async () => {
  const one = await s.hub.graphqlAs(tokens.EDUCATION, FINDING, { id: g4.id });
  expect(one.errors).toBeUndefined();
  expect(one.data.finding).toBeNull();
  const list = await s.hub.graphqlAs(tokens.EDUCATION, FINDINGS);
  expect(list.errors).toBeUndefined();
  expect(list.data.findings.edges).toEqual([]);
});

test('only the office assigns; a department or region must be named exactly once', async () => {
  const byTown = await s.hub.graphqlAs(tokens.TOWN, ASSIGN, { i: { ids: [g4.id], to: { department: 'education' }, dueOn: '2099-01-01' } });
  expect(byTown.errors[0].extensions.code).toBe('FORBIDDEN');
  const both = await s.hub.graphql(ASSIGN, { i: { ids: [g4.id], to: { department: 'education', regionCode: g4.county }, dueOn: '2099-01-01' } });
  expect(both.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const unknown = await s.hub.graphql(ASSIGN, { i: { ids: [g4.id], to: { department: 'astrology' }, dueOn: '2099-01-01' } });
  expect(unknown.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const missing = await s.hub.graphql(ASSIGN, { i: { ids: ['999999999'], to: { department: 'education' }, dueOn: '2099-01-01' } });
  expect(missing.errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

test('education reads the G4 assigned to it — the subject and its own feed’s evidence — and housing cannot', async () => {
  const assigned = await s.hub.graphql(ASSIGN, { i: { ids: [g4.id], to: { department: 'education' }, dueOn: '2099-01-01', note: 'please visit' } });
  expect(assigned.errors).toBeUndefined();
  expect(assigned.data.assignFindings[0].assignments).toEqual([{ to: 'education', dueOn: '2099-01-01', note: 'please visit', assignedBy: 'local' }]);

  const edu = await s.hub.graphqlAs(tokens.EDUCATION, FINDING, { id: g4.id });
  expect(edu.errors).toBeUndefined();
  expect(edu.data.finding).toMatchObject({ id: g4.id, rule: 'G4', person: { idNumber: g4.idNumber } });
  expect(edu.data.finding.evidence.length).toBeGreaterThan(0);
  expect(edu.data.finding.evidence.every((e: { feed: string }) => e.feed === 'education')).toBe(true);
  const office = await s.hub.graphql(FINDING, { id: g4.id });
  expect(office.data.finding.evidence.some((e: { feed: string }) => e.feed !== 'education')).toBe(true);
  // the values compared include civil affairs' categories: the office reads them, education does not
  expect(office.data.finding.detail).toMatchObject({ categories: expect.any(Array) });
  expect(edu.data.finding.detail).toBeNull();

  const list = await s.hub.graphqlAs(tokens.EDUCATION, FINDINGS);
  expect(list.data.findings.edges.map((e: any) => e.node.id)).toEqual([g4.id]);

  const housing = await s.hub.graphqlAs(tokens.HOUSING, FINDING, { id: g4.id });
  expect(housing.errors).toBeUndefined();
  expect(housing.data.finding).toBeNull();
  expect((await s.hub.graphqlAs(tokens.HOUSING, FINDINGS)).data.findings.edges).toEqual([]);
});

test('the assignee reports back; anyone else is refused; the history is kept', async () => {
  const byHousing = await s.hub.graphqlAs(tokens.HOUSING, REPORT, { i: { findingId: g4.id, result: 'NOT_AS_FLAGGED', visitedOn: '2026-01-05' } });
  expect(byHousing.errors[0].extensions.code).toBe('FORBIDDEN');
  const future = await s.hub.graphqlAs(tokens.EDUCATION, REPORT, { i: { findingId: g4.id, result: 'CONFIRMED_ON_SITE', visitedOn: '2099-01-05' } });
  expect(future.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const r1 = await s.hub.graphqlAs(tokens.EDUCATION, REPORT, { i: { findingId: g4.id, result: 'CONFIRMED_ON_SITE', visitedOn: '2026-01-05', note: 'at school' } });
  expect(r1.errors).toBeUndefined();
  const r2 = await s.hub.graphqlAs(tokens.EDUCATION, REPORT, { i: { findingId: g4.id, result: 'FIXED', visitedOn: '2026-01-06' } });
  expect(r2.data.reportVerification.verifications).toEqual([
    { result: 'CONFIRMED_ON_SITE', visitedOn: '2026-01-05', note: 'at school', reportedBy: 'education app' },
    { result: 'FIXED', visitedOn: '2026-01-06', note: null, reportedBy: 'education app' },
  ]);
});

test('a TOWN reads and reports on assignments inside its region only', async () => {
  const { rows } = await s.db.pool.query(`select id::text from finding where region_code like $1 and rule <> 'G4' order by id limit 1`, [`${g4.county}%`]);
  const id = rows[0].id;
  const assigned = await s.hub.graphql(ASSIGN, { i: { ids: [id], to: { regionCode: g4.county }, dueOn: '2099-02-01' } });
  expect(assigned.errors).toBeUndefined();
  const own = await s.hub.graphqlAs(tokens.TOWN, FINDING, { id });
  expect(own.data.finding.assignments).toEqual([{ to: g4.county, dueOn: '2099-02-01' }]);
  const other = await s.hub.graphqlAs(tokens.OTHER_TOWN, FINDING, { id });
  expect(other.errors).toBeUndefined();
  expect(other.data.finding).toBeNull();
  const otherReport = await s.hub.graphqlAs(tokens.OTHER_TOWN, REPORT, { i: { findingId: id, result: 'NOT_AS_FLAGGED', visitedOn: '2026-01-05' } });
  expect(otherReport.errors[0].extensions.code).toBe('FORBIDDEN');
  const report = await s.hub.graphqlAs(tokens.TOWN, REPORT, { i: { findingId: id, result: 'NOT_AS_FLAGGED', visitedOn: '2026-01-05' } });
  expect(report.errors).toBeUndefined();
  // a department reads none of the town's assignments
  expect((await s.hub.graphqlAs(tokens.EDUCATION, FINDING, { id })).data.finding).toBeNull();
});

test('assignedTo and overdue filter the office’s findings', async () => {
  const byEdu = await s.hub.graphql(`query { findings(filter: { assignedTo: "education" }) { edges { node { id } } } }`);
  expect(byEdu.data.findings.edges.map((e: any) => e.node.id)).toEqual([g4.id]);
  const late = await s.hub.graphql(ASSIGN, {
    i: { ids: [(await s.db.pool.query(`select id::text from finding where rule <> 'G4' order by id desc limit 1`)).rows[0].id], to: { department: 'health' }, dueOn: '2099-03-01' },
  });
  const lateId = late.data.assignFindings[0].id;
  const overdueQuery = `query { findings(filter: { overdue: true }) { edges { node { id } } } }`;
  expect((await s.hub.graphql(overdueQuery)).data.findings.edges).toEqual([]);
  // the due date passes (the office cannot assign in the past, so time is moved in the table)
  await s.db.pool.query(`update finding_assignment set due_on = '2020-01-01' where finding_id = any($1::bigint[])`, [[lateId, g4.id]]);
  // g4 has a report, so it is not overdue; the health one has none
  expect((await s.hub.graphql(overdueQuery)).data.findings.edges.map((e: any) => e.node.id)).toEqual([lateId]);
});

test('match: categories and programmes only, in the order given; bad, duplicate and foreign-region numbers', async () => {
  const { rows } = await s.db.pool.query(
    `select p.id_number from person p join benefit b on b.person_id = p.id where b.retired_at is null and p.region_code like $1 limit 1`,
    [`${g4.county}%`],
  );
  const inside = rows[0].id_number as string;
  const outside = (await s.db.pool.query(`select id_number from person where region_code like $1 limit 1`, [`${otherCounty}%`])).rows[0].id_number as string;
  const ids = [inside, 'not-a-number', inside.toLowerCase(), outside, '110101199003077777'];
  const office = await s.hub.graphqlAs(tokens.EDUCATION, MATCH, { ids, p: 'school aid check' });
  expect(office.errors).toBeUndefined();
  const [a, bad, dup, foreign, nobody] = office.data.match;
  expect(a).toMatchObject({ input: inside, idNumber: inside, valid: true, known: true });
  expect(bad).toEqual({ input: 'not-a-number', idNumber: null, valid: false, known: false, categories: [], programmes: [] });
  expect(dup).toEqual({ ...a, input: inside.toLowerCase() });
  expect(foreign.known).toBe(true);
  expect(nobody).toMatchObject({ valid: false });

  const town = await s.hub.graphqlAs(tokens.TOWN, MATCH, { ids: [inside, outside], p: 'home visits' });
  expect(town.data.match[0].known).toBe(true);
  expect(town.data.match[1]).toEqual({ input: outside, idNumber: outside, valid: true, known: false, categories: [], programmes: [] });

  const tooMany = await s.hub.graphqlAs(tokens.TOWN, MATCH, { ids: Array(1001).fill(inside), p: 'x' });
  expect(tooMany.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const noPurpose = await s.hub.graphqlAs(tokens.TOWN, MATCH, { ids: [inside], p: ' ' });
  expect(noPurpose.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect((await s.hub.graphqlAs(tokens.ANALYST, MATCH, { ids: [inside], p: 'x' })).errors[0].extensions.code).toBe('FORBIDDEN');

  const audit = await s.db.pool.query(`select purpose from audit_event where purpose like '%home visits%'`);
  expect(audit.rowCount).toBeGreaterThan(0);
});
