/**
 * A request's reads planned ahead (src/api/requestPlan.ts): a department app's nested query costs
 * one statement for its rows and a list's total, however deep it goes — and
 * answers exactly what the same hub answers reading a level at a time.
 */
import { housekeepingStatementCount, statementCount } from '../../src/db/statementCounter';
import { startTestHub, type TestHub } from '../support/hubServer';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { SAMPLE_AS_OF } from '../support/sampleHub';

let sample: SampleAuthHub;
let levelByLevel: TestHub;
let person: { idNumber: string; town: string };
let householdId: string;
let findingId: string;

beforeAll(async () => {
  sample = await startSampleAuthHub();
  levelByLevel = await startTestHub(sample.db, { planRequests: false });
  // someone listed in a civil-affairs household with a person-level benefit and a certificate
  person = (await sample.db.pool.query(
    `select p.id_number as "idNumber", left(p.region_code, 9) as town from person p
      where exists (select 1 from membership m where m.person_id = p.id and m.retired_at is null and m.valid_to is null)
        and exists (select 1 from benefit b where b.person_id = p.id and b.retired_at is null)
        and exists (select 1 from disability_certificate d where d.person_id = p.id and d.retired_at is null)
        and length(p.region_code) >= 9
      order by p.id limit 1`,
  )).rows[0];
  householdId = (await sample.db.pool.query(`select household_id::text as id from membership where retired_at is null order by household_id limit 1`)).rows[0].id;
  findingId = (await sample.db.pool.query(`select id::text from finding where person_id is not null order by id limit 1`)).rows[0].id;
}, 180_000);

afterAll(async () => {
  await levelByLevel?.close();
  await sample?.close();
});

const asOf = SAMPLE_AS_OF;
const shapes = () => ({
  'households → members → person → benefits, with the total': [
    `{ households(first: 50) { totalCount edges { node { id address registrationType head { name idNumber } region { code name }
        benefits(activeOn: "${asOf}") { programmeCode amount programme { name } }
        members(asOf: "${asOf}") { relationCode from to feed person { id name birthYear deceasedOn benefits(activeOn: "${asOf}") { id programmeCode amount source { feed recordKey versionAt receivedAt } } } } } } } }`,
  ],
  'one person by ID number → household, members, benefits, disability': [
    `query ($id: String!) { person(idNumber: $id) { id name region(asOf: "${asOf}") { code }
        household(asOf: "${asOf}") { id sources { feed recordKey } members(asOf: "${asOf}") { relationCode person { id name household { id } } } }
        benefits(activeOn: "${asOf}") { id programmeCode periodStart periodEnd } all: benefits { id }
        disability { certificateNo grade category issuedOn source { feed versionAt } } schooling { term } observations { feed name } } }`,
  ],
  'open findings → person, household, evidence, with the total': [
    `{ findings(first: 50, filter: { status: [OPEN] }) { totalCount edges { node { id rule identity openedAt
        person { id idNumber household { id members { person { name } } } } household { id head { name } }
        region { code name } evidence { feed stream recordKey } parameters { name value } } } } }`,
  ],
  'persons → household → head, and fragments': [
    `fragment P on Person { id name benefits { programme { code } } }
     { persons(first: 30) { edges { node { ...P household { head { ...P } region { name } } ... on Person { deceasedOn } } } } }`,
  ],
  // every field of the planned types, and loaders reached by paths asking different columns of them
  'every field, one loader by several paths': [
    `query ($id: String!) { person(idNumber: $id) { id idNumber name sex birthDate birthYear deceasedOn
        benefits { id programmeCode amount periodStart periodEnd paidOn approvalLevel supportMode approvalRef region { code } programme { name } }
        housing { security { id source { feed recordKey versionAt receivedAt } } dangerousHouses { rating source { feed } } }
        disability { certificateNo category grade status issuedOn validUntil regionCode }
        schooling { studentNo school stage grade status term aid regionCode source { recordKey } }
        medicalSettlements { settledOn totalCost } poverty { householdNo povertyStatus } economicFacts { kind item value unit asOf }
        household(asOf: "${asOf}") { id registrationType address sources { feed recordKey } region { code }
          head { id name benefits { id source { stream } } }
          benefits { id amount source { feed versionAt } person { name } household { id address } }
          members(asOf: "${asOf}") { relationCode selfCare from to feed person { id idNumber benefits { programmeCode } } } } } }`,
  ],
  'a household by id': [`query ($h: ID!) { household(id: $h) { head { name } members { person { name } } benefits(year: 2026) { programmeCode } } }`],
  'a finding by id': [`query ($f: ID!) { finding(id: $f) { rule decisions { decision } person { name region { code } } } }`],
});

async function measured(hub: TestHub, token: string, query: string) {
  const variables = { id: person.idNumber, h: householdId, f: findingId };
  const before = statementCount();
  const housekeepingBefore = housekeepingStatementCount();
  const answer = await hub.graphqlAs(token, query, variables);
  return { answer, statements: statementCount() - before, housekeeping: housekeepingStatementCount() - housekeepingBefore };
}

describe.each([
  ['the office', () => sample.hub.officeToken],
  ['a town', () => sample.hub.tokenFor({ role: 'TOWN', region: person.town, label: 'plan town' })],
])('as %s', (_, token) => {
  it.each(Object.keys(shapes()))('answers %s as reading level by level does, in at most two statements', async (name) => {
    const [query] = shapes()[name as keyof ReturnType<typeof shapes>];
    const t = await token();
    const planned = await measured(sample.hub, t, query);
    const unplanned = await measured(levelByLevel, t, query);
    expect(planned.answer.errors).toBeUndefined();
    expect(planned.answer).toEqual(unplanned.answer);
    // the rows and the list's total in one statement; a department's check of its registered
    // operation, or the audit row, apart
    expect(planned.statements).toBeLessThanOrEqual(2);
  });
});

it('costs a page of households with their members the same one statement for 5 households as for 50', async () => {
  const page = (n: number) => `{ households(first: ${n}) { edges { node { head { name } members { person { name benefits { programme { name } } } } } } } }`;
  const planned = [await measured(sample.hub, sample.hub.officeToken, page(5)), await measured(sample.hub, sample.hub.officeToken, page(50))];
  const unplanned = await measured(levelByLevel, sample.hub.officeToken, page(50));
  expect(planned[1]!.answer.data.households.edges).toHaveLength(50);
  expect(planned.map((p) => p.statements)).toEqual([1, 1]);
  // read a level at a time: ids, households, heads, members, their people, benefits, programmes
  expect(unplanned.statements).toBeGreaterThanOrEqual(6);
});

describe('a list with its total', () => {
  // The total used to be a statement of its own beside the page; now it rides on the page's rows
  // (src/api/where/listTotal.ts), and a list asked for its total alone reads no page.
  const lists = {
    persons: `persons(first: 5, where: { sex: { _eq: FEMALE } })`,
    households: `households(first: 5, where: { size: { _gte: 2 } })`,
    findings: `findings(first: 5, filter: { status: [OPEN] })`,
    benefits: `benefits(first: 5, where: { programme: { _in: ["DB", "TK"] } })`,
  };
  it.each(Object.keys(lists))('%s: the page and its total in one statement, the total alone in one', async (name) => {
    const list = lists[name as keyof typeof lists];
    const both = await measured(sample.hub, sample.hub.officeToken, `{ list: ${list} { totalCount edges { node { id } } pageInfo { hasNextPage } } }`);
    const alone = await measured(sample.hub, sample.hub.officeToken, `{ list: ${list} { totalCount } }`);
    const rows = await measured(sample.hub, sample.hub.officeToken, `{ list: ${list} { edges { node { id } } } }`);
    const unplanned = await measured(levelByLevel, sample.hub.officeToken, `{ list: ${list} { totalCount edges { node { id } } pageInfo { hasNextPage } } }`);
    expect(both.answer.errors).toBeUndefined();
    expect(both.answer.data.list.edges).toHaveLength(5);
    expect(both.answer.data.list.totalCount).toBeGreaterThan(5);
    expect(alone.answer.data.list.totalCount).toBe(both.answer.data.list.totalCount);
    expect(unplanned.answer).toEqual(both.answer);
    expect([both.statements, alone.statements, rows.statements]).toEqual([1, 1, 1]);
  });
});

it('gives a department its looked-up family as reading level by level does', async () => {
  const t = await sample.hub.tokenFor({ role: 'DEPARTMENT', department: 'disability', label: 'plan dept' });
  const query = `query ($id: String!) { person(idNumber: $id) { name disability { grade } observations { feed }
      household(asOf: "${asOf}") { sources { feed } members(asOf: "${asOf}") { person { name } } } } }`;
  // a department app runs the operations the office registered for it
  const registered = await sample.hub.graphql('mutation ($d: String!) { registerOperation(document: $d, department: "disability") { sha256 } }', { d: query });
  expect(registered.errors).toBeUndefined();
  const planned = await measured(sample.hub, t, query);
  const unplanned = await measured(levelByLevel, t, query);
  expect(planned.answer.data.person.disability.length).toBeGreaterThan(0);
  expect(planned.answer).toEqual(unplanned.answer);
  // the family in one statement; the other is the check that the office registered the document
  expect(planned.statements).toBeLessThanOrEqual(2);
});

it('still refuses what a role may not read, and plans nothing for arguments it will refuse', async () => {
  const analyst = await sample.hub.tokenFor({ role: 'ANALYST', label: 'plan analyst' });
  const refused = await measured(sample.hub, analyst, `{ households(first: 5) { edges { node { id } } } }`);
  expect(refused.answer.errors[0].extensions.code).toBe('FORBIDDEN');
  const bad = await measured(sample.hub, sample.hub.officeToken,
    `query ($id: String!) { person(idNumber: $id) { benefits(activeOn: "2026-01-01", year: 2026) { id } } }`);
  expect(bad.answer.errors[0].extensions.code).toBe('BAD_USER_INPUT');
});
