/**
 * api.md "Who sees which field": every field of the schema has a decision per role in
 * src/auth/fieldVisibility.ts, and the hub answers by it whatever path reaches a field — a
 * department reads the people it looks up and their household, its own facts and its own
 * programmes' amounts; a town reads whom a finding is about only when they live in its region,
 * and a lookup elsewhere answers as one nobody holds.
 */
import { isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { hubSchema } from '../../src/api/schema';
import type { Role, Viewer } from '../../src/auth/viewer';
import { allows, FACT_DEPARTMENTS, type Permission } from '../../src/auth/policy';
import { decisionFor, FIELD_VISIBILITY, type Decision } from '../../src/auth/fieldVisibility';
import { RAW_ID_NUMBER, startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

const viewers: Record<Role, Viewer> = {
  OFFICE: { role: 'OFFICE', regionPrefix: '3710', department: null, label: 'office', tokenId: null },
  TOWN: { role: 'TOWN', regionPrefix: '371002', department: null, label: 'town', tokenId: null },
  DEPARTMENT: { role: 'DEPARTMENT', regionPrefix: '3710', department: 'education', label: 'education', tokenId: null },
  ANALYST: { role: 'ANALYST', regionPrefix: '3710', department: null, label: 'analyst', tokenId: null },
  ADMIN: { role: 'ADMIN', regionPrefix: '3710', department: null, label: 'admin', tokenId: null },
};

async function schemaFields(): Promise<string[]> {
  const schema = await hubSchema();
  return Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.keys((t as any).getFields()).map((f) => `${t.name}.${f}`))
    .sort();
}

const sight = (field: string) => FIELD_VISIBILITY[field]!.sight;

describe('the visibility table', () => {
  it('decides on every field of the schema, and on nothing else', async () => {
    const fields = await schemaFields();
    expect(fields.filter((f) => !FIELD_VISIBILITY[f])).toEqual([]);
    expect(Object.keys(FIELD_VISIBILITY).filter((f) => !fields.includes(f))).toEqual([]);
  });

  it('gives person data to nobody but the office, towns and departments, and to analysts as counts', async () => {
    const personTypes = /^(Person|Household|Member|Benefit|Finding|Evidence|FindingDecision|PersonObservation|HouseholdSource|SourceRecord|Housing|DisabilityCertificate|Schooling|MedicalSettlement|Death|DangerousHouse|PovertyRecord|EconomicFact)\./;
    const fields = (await schemaFields()).filter((f) => personTypes.test(f));
    expect(fields.length).toBeGreaterThan(140);
    for (const f of fields) {
      expect([f, sight(f).ADMIN]).toEqual([f, 'no']);
      expect([f, ['counts', 'no'].includes(sight(f).ANALYST)]).toEqual([f, true]);
      expect([f, sight(f).OFFICE, sight(f).TOWN]).toEqual([f, 'yes', 'yes']);
    }
  });

  it('follows api.md row by row for departments', () => {
    const expected: Array<[string[], Decision]> = [
      [['Query.person', 'Person.idNumber', 'Person.name', 'Person.birthDate', 'Member.person', 'Member.relationCode'], 'yes'],
      [['Person.household', 'Household.members', 'Household.head'], 'lookedUp'],
      [['Query.persons', 'Query.households', 'Query.household'], 'no'],
      [['Person.categories', 'Person.benefits', 'Household.benefits', 'Benefit.programmeCode', 'Benefit.periodStart', 'Benefit.periodEnd'], 'yes'],
      [['Benefit.amount'], 'ownProgrammes'],
      // deceased and its date: every department, to stop payments; the death record is health's
      [['Person.deceasedOn'], 'yes'],
      [['Person.death', 'Death.diedOn', 'Person.schooling', 'Person.economicFacts', 'Person.disability', 'Person.housing', 'Person.poverty', 'Person.medicalSettlements'], 'ownDepartment'],
      [['Person.observations', 'Household.sources', 'Evidence.values'], 'ownFeed'],
      [['Query.findings', 'Query.finding', 'Person.findings', 'Household.findings', 'Finding.identity', 'Finding.detail'], 'assigned'],
      [['Query.coverage', 'Query.connectors', 'Query.quarantine', 'Query.auditTrail', 'Mutation.reviewFindings'], 'no'],
    ];
    for (const [fields, decision] of expected) for (const f of fields) expect([f, sight(f).DEPARTMENT]).toEqual([f, decision]);
    expect(FIELD_VISIBILITY['Person.death']!.department).toBe('health');
    expect(FIELD_VISIBILITY['Death.diedOn']!.department).toBe('health');
    expect(FIELD_VISIBILITY['Person.economicFacts']!.department).toBe('economic-check');
    expect(FIELD_VISIBILITY['Person.schooling']!.department).toBe('education');
    for (const d of FACT_DEPARTMENTS) expect(Object.values(FIELD_VISIBILITY).some((v) => v.department === d)).toBe(true);
  });

  it('keeps the deceased date and lookups of people out of analysts’ and operators’ reach', () => {
    for (const f of ['Person.deceasedOn', 'Person.categories', 'Benefit.amount', 'Person.idNumber']) expect([f, sight(f).ANALYST]).toEqual([f, 'counts']);
    for (const f of ['Query.person', 'Query.household', 'Query.finding']) {
      expect([f, sight(f).ANALYST, sight(f).ADMIN]).toEqual([f, 'no', 'no']);
    }
  });

  it('agrees with every @Authorized permission an operation still names', async () => {
    await hubSchema();
    const storage = getMetadataStorage();
    const operations = [
      ...storage.queries.map((q) => ({ type: 'Query', def: q })),
      ...storage.mutations.map((m) => ({ type: 'Mutation', def: m })),
    ].filter((o) => o.def.roles?.length);
    expect(operations.length).toBeGreaterThan(0);
    for (const { type, def } of operations) {
      for (const viewer of Object.values(viewers)) {
        const permitted = (def.roles as Permission[]).every((p) => allows(viewer, p));
        const decision = decisionFor(viewer, type, def.schemaName);
        expect([`${type}.${def.schemaName}`, viewer.role, permitted]).toEqual([`${type}.${def.schemaName}`, viewer.role, decision !== 'no']);
      }
    }
  });
});

let s: SampleAuthHub;
let office: (doc: string, vars?: object) => Promise<any>;
const tokens = {} as Record<'TOWN' | 'EDUCATION' | 'HEALTH' | 'ANALYST', string>;
let county: string;

/** A DEPARTMENT app runs registered documents only: the office registers each document first. */
async function asDepartment(token: string, doc: string, vars?: object): Promise<any> {
  const reg = await s.hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d: doc });
  expect(reg.errors).toBeUndefined();
  return s.hub.graphqlAs(token, doc, vars);
}

const first = async (sql: string, params: unknown[] = []) => (await s.db.pool.query(sql, params)).rows[0];

beforeAll(async () => {
  s = await startSampleAuthHub();
  office = (doc, vars) => s.hub.graphql(doc, vars);
  county = (await first(`select left(region_code, 6) as code from finding where person_id is not null and region_code is not null group by 1 order by count(*) desc, 1 limit 1`)).code;
  tokens.TOWN = await s.hub.tokenFor({ role: 'TOWN', region: county, label: 'town staff' });
  tokens.EDUCATION = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'education', label: 'education app' });
  tokens.HEALTH = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'health', label: 'health app' });
  tokens.ANALYST = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
}, 180_000);

afterAll(async () => {
  await s?.close();
});

describe('the deceased date', () => {
  const DECEASED = 'query ($id: String!) { person(idNumber: $id) { deceasedOn } }';
  const DEATH = 'query ($id: String!) { person(idNumber: $id) { death { diedOn } } }';

  it('is read by every department app (to stop payments), the death record by health only, and by an analyst on no path', async () => {
    const { id_number: id } = await first(`select p.id_number from death_record d join person p on p.id = d.person_id where d.retired_at is null order by p.id limit 1`);
    const whole = await office(DECEASED, { id });
    expect(whole.data.person.deceasedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await asDepartment(tokens.EDUCATION, DECEASED, { id })).data).toEqual(whole.data);
    const record = await asDepartment(tokens.EDUCATION, DEATH, { id });
    expect(record.errors[0]).toMatchObject({ message: expect.stringMatching(/Person\.death: a DEPARTMENT token \(education\)/), extensions: { code: 'FORBIDDEN' } });
    expect((await asDepartment(tokens.HEALTH, DEATH, { id })).data.person.death.diedOn).toBe(whole.data.person.deceasedOn);
    for (const doc of ['{ persons(first: 100) { edges { node { deceasedOn } } } }', '{ households(first: 50) { edges { node { head { deceasedOn } } } } }']) {
      const r = await s.hub.graphqlAs(tokens.ANALYST, doc);
      expect(r.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(JSON.stringify(r.data)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });
});

describe('a DEPARTMENT app', () => {
  it('lists nothing of the city and reads no finding (none is assigned to it)', async () => {
    const { id_number: id } = await first(`select p.id_number from finding f join person p on p.id = f.person_id order by f.id limit 1`);
    const { id: findingId } = await first(`select id::text from finding order by id limit 1`);
    const { id: householdId } = await first(`select id::text from household order by id limit 1`);
    const refused: Array<[string, object]> = [
      ['{ persons(first: 5) { totalCount edges { node { idNumber } } } }', {}],
      ['{ households(first: 5) { totalCount edges { node { id } } } }', {}],
      ['query ($id: ID!) { household(id: $id) { id } }', { id: householdId }],
    ];
    for (const [doc, vars] of refused) {
      const r = await asDepartment(tokens.HEALTH, doc, vars);
      expect([doc, r.errors?.[0]?.extensions?.code]).toEqual([doc, 'FORBIDDEN']);
      expect(JSON.stringify(r.data ?? null)).not.toMatch(RAW_ID_NUMBER);
    }
    // findings: only those assigned to it (exchange.md, issue 16), and none is
    const none: Array<[string, object, unknown]> = [
      ['{ findings(first: 5) { totalCount edges { node { identity } } } }', {}, { findings: { totalCount: 0, edges: [] } }],
      ['query ($id: ID!) { finding(id: $id) { identity } }', { id: findingId }, { finding: null }],
      ['query ($id: String!) { person(idNumber: $id) { findings { identity } } }', { id }, { person: { findings: [] } }],
    ];
    for (const [doc, vars, data] of none) {
      const r = await asDepartment(tokens.HEALTH, doc, vars);
      expect([doc, r.errors, r.data]).toEqual([doc, undefined, data]);
    }
  });

  it('reads the household and members of the person it looked up, and walks no further', async () => {
    // someone who lives with others
    const { id_number: id } = await first(
      `select p.id_number from person p join membership m on m.person_id = p.id and m.retired_at is null and m.valid_to is null
        where exists (select 1 from membership o where o.household_id = m.household_id and o.person_id <> p.id and o.retired_at is null and o.valid_to is null)
        order by p.id limit 1`,
    );
    const FAMILY = 'query ($id: String!) { person(idNumber: $id) { idNumber household { id head { idNumber } members { relationCode person { idNumber name } } } } }';
    const whole = await office(FAMILY, { id });
    expect(whole.data.person.household.members.length).toBeGreaterThan(1);
    expect(await asDepartment(tokens.EDUCATION, FAMILY, { id })).toEqual(whole);
    const further = 'query ($id: String!) { person(idNumber: $id) { household { members { person { household { members { person { idNumber } } } } } } } }';
    const r = await asDepartment(tokens.EDUCATION, further, { id });
    expect(r.errors[0]).toMatchObject({ message: expect.stringMatching(/^Person\.household: .*looked up by ID number/), extensions: { code: 'FORBIDDEN' } });
  });

  it("reads benefit amounts of its own department's programmes only", async () => {
    const own = await first(
      `select p.id_number, pr.source_feed as feed, b.programme_code from benefit b join programme pr on pr.code = b.programme_code join person p on p.id = b.person_id
        where b.retired_at is null and b.amount is not null and pr.source_feed in ('education', 'health') order by b.id limit 1`,
    );
    const other = await first(
      `select p.id_number from benefit b join programme pr on pr.code = b.programme_code join person p on p.id = b.person_id
        where b.retired_at is null and b.amount is not null and pr.source_feed = 'civil-affairs' order by b.id limit 1`,
    );
    const BENEFITS = 'query ($id: String!) { person(idNumber: $id) { benefits { programmeCode periodStart amount } } }';
    const token = own.feed === 'education' ? tokens.EDUCATION : tokens.HEALTH;
    const ownWhole = await office(BENEFITS, { id: own.id_number });
    const ownSeen = await asDepartment(token, BENEFITS, { id: own.id_number });
    const byProgramme = (d: any, code: string) => d.person.benefits.filter((b: any) => b.programmeCode === code);
    expect(byProgramme(ownSeen.data, own.programme_code)).toEqual(byProgramme(ownWhole.data, own.programme_code));
    expect(byProgramme(ownSeen.data, own.programme_code).some((b: any) => b.amount !== null)).toBe(true);

    const otherWhole = await office(BENEFITS, { id: other.id_number });
    const otherSeen = await asDepartment(token, BENEFITS, { id: other.id_number });
    expect(otherWhole.data.person.benefits.some((b: any) => b.amount !== null)).toBe(true);
    expect(otherSeen.errors).toBeUndefined();
    expect(otherSeen.data.person.benefits).toEqual(otherWhole.data.person.benefits.map((b: any) => ({ ...b, amount: null })));
  });

  it('learns from observations and household sources only what its own feed says, not which other registries know a person', async () => {
    const { id_number: id } = await first(
      `select p.id_number from person p join person_observation o on o.person_id = p.id
        where exists (select 1 from membership m where m.person_id = p.id and m.feed = 'civil-affairs' and m.retired_at is null and m.valid_to is null)
        group by p.id having bool_or(o.feed = 'education') and count(distinct o.feed) > 1 order by p.id limit 1`,
    );
    const DOC = 'query ($id: String!) { person(idNumber: $id) { observations { feed name } household { sources { feed recordKey } } } }';
    const whole = await office(DOC, { id });
    expect(whole.data.person.observations.map((o: any) => o.feed)).toContain('education');
    expect(whole.data.person.observations.some((o: any) => o.feed !== 'education')).toBe(true);
    expect(whole.data.person.household.sources.some((o: any) => o.feed !== 'education')).toBe(true);
    const seen = await asDepartment(tokens.EDUCATION, DOC, { id });
    expect(seen.errors).toBeUndefined();
    expect(seen.data.person.observations).toEqual(whole.data.person.observations.filter((o: any) => o.feed === 'education'));
    expect(seen.data.person.household.sources).toEqual(whole.data.person.household.sources.filter((o: any) => o.feed === 'education'));
  });
});

describe('a TOWN token', () => {
  it('answers a lookup outside its region exactly as one nobody holds', async () => {
    const outside = [`${county}%`];
    const person = (await first(`select id_number from person where region_code not like $1 order by id limit 1`, outside)).id_number;
    const household = (await first(
      `select h.id::text from household h join household_record hr on hr.household_id = h.id and hr.retired_at is null and hr.valid_to is null
        where hr.region_code not like $1 order by h.id limit 1`,
      outside,
    )).id;
    const finding = (await first(`select id::text from finding where region_code not like $1 order by id limit 1`, outside)).id;
    const cases: Array<[string, string, string]> = [
      ['query ($id: String!) { person(idNumber: $id) { name } }', person, '11010519491231002X'],
      ['query ($id: ID!) { household(id: $id) { id } }', household, '999999999999'],
      ['query ($id: ID!) { finding(id: $id) { id } }', finding, '999999999999'],
    ];
    for (const [doc, elsewhere, nobody] of cases) {
      expect(Object.values((await office(doc, { id: elsewhere })).data)[0]).not.toBeNull();
      const [a, b] = [await s.hub.graphqlAs(tokens.TOWN, doc, { id: elsewhere }), await s.hub.graphqlAs(tokens.TOWN, doc, { id: nobody })];
      expect(a).toEqual(b);
      expect(a.errors).toBeUndefined();
    }
  });

  it('reads a finding of its region about a person living elsewhere without that person’s ID number or records', async () => {
    const f = await first(
      `select f.id::text, f.person_id::text as "personId", p.id_number as "idNumber", p.region_code as "regionCode"
         from finding f join person p on p.id = f.person_id
        where f.region_code like $1 and f.identity like '%' || p.id_number || '%' and jsonb_array_length(f.evidence) > 0
        order by (p.region_code like $1), f.id limit 1`,
      [`${county}%`],
    );
    const elsewhere = (await first(`select code from region where level = 'VILLAGE' and code not like $1 order by code limit 1`, [`${county}%`])).code;
    // the person moved (their newest record is another county's); the finding stays in the town
    await s.db.pool.query(`update person set region_code = $2 where id = $1`, [f.personId, elsewhere]);
    try {
      const DOC = 'query ($id: ID!) { finding(id: $id) { id identity item detail person { idNumber } evidence { feed recordKey values } region { code } } }';
      const whole = await office(DOC, { id: f.id });
      expect(whole.data.finding.identity).toContain(f.idNumber);
      expect(whole.data.finding.evidence.length).toBeGreaterThan(0);
      const seen = await s.hub.graphqlAs(tokens.TOWN, DOC, { id: f.id });
      expect(seen.errors).toBeUndefined();
      expect(seen.data.finding).toMatchObject({ id: f.id, person: null, detail: null, evidence: [], region: whole.data.finding.region });
      expect(JSON.stringify(seen.data)).not.toContain(f.idNumber);
      expect(JSON.stringify(seen.data)).not.toMatch(RAW_ID_NUMBER);
      const listed = await s.hub.graphqlAs(tokens.TOWN, '{ findings(first: 100) { edges { node { id identity person { id } evidence { recordKey } } } } }');
      const node = listed.data.findings.edges.map((e: any) => e.node).find((n: any) => n.id === f.id);
      expect(node).toMatchObject({ person: null, evidence: [] });
      expect(node.identity).not.toContain(f.idNumber);

      // The office's review speaks of the person in free text: the town sees that it was decided, not why.
      const reason = `${f.idNumber} 已随母迁往外地`;
      const review = await office('mutation ($id: ID!, $r: String) { reviewFindings(input: { ids: [$id], decision: DISMISS, reason: $r }) { id } }', { id: f.id, r: reason });
      expect(review.errors).toBeUndefined();
      const DECISIONS = 'query ($id: ID!) { finding(id: $id) { status decisions { decision reason approvalRef decidedBy } } }';
      expect((await office(DECISIONS, { id: f.id })).data.finding.decisions[0].reason).toBe(reason);
      const decided = await s.hub.graphqlAs(tokens.TOWN, DECISIONS, { id: f.id });
      expect(decided.data.finding).toMatchObject({ status: 'DISMISSED', decisions: [{ decision: 'DISMISS', reason: null, approvalRef: null }] });
      expect(JSON.stringify(decided.data)).not.toContain(f.idNumber);
    } finally {
      await s.db.pool.query(`update person set region_code = $2 where id = $1`, [f.personId, f.regionCode]);
    }
  });
});
