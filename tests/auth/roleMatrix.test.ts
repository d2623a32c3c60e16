/**
 * Role × operation: what each kind of token may do with the sample set — allowed, denied
 * (FORBIDDEN, with no data), masked, or answered as for a key nobody holds (null, no error). The
 * subjects are chosen from the data: a county for the TOWN token, and people, households,
 * findings and figures inside and outside it.
 */
import { MASKED_ID_NUMBER, RAW_ID_NUMBER, startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

type Outcome = 'allowed' | 'denied' | 'masked' | 'nobody';
const A: Outcome = 'allowed';
const D: Outcome = 'denied';
const M: Outcome = 'masked';
/** answered exactly as a key nobody holds: null, no error (a TOWN token's lookup elsewhere) */
const N: Outcome = 'nobody';

const ROLES = ['OFFICE', 'TOWN', 'EDUCATION', 'HEALTH', 'ANALYST', 'ADMIN'] as const;
type RoleKey = (typeof ROLES)[number];

interface Subjects {
  county: string;
  otherCounty: string;
  personInside: string;
  personOutside: string;
  householdInside: string;
  householdOutside: string;
  findingInside: string;
  findingOutside: string;
  student: string;
  patient: string;
  checkedPerson: string;
  findingToReview: string;
}

let s: SampleAuthHub;
let subjects: Subjects;
const tokens = {} as Record<RoleKey, string>;

async function pickSubjects(): Promise<Subjects> {
  const { pool } = s.db;
  const first = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0];
  const { rows: counties } = await pool.query<{ code: string }>(
    `select left(region_code, 6) as code from person where region_code is not null group by 1 order by count(*) desc, 1`,
  );
  const householdIn = async (code: string) =>
    (await s.hub.graphql('query ($c: String) { households(first: 1, filter: { regionCode: $c }) { edges { node { id } } } }', { c: code })).data
      .households.edges[0]?.node.id;
  for (const { code: county } of counties) {
    const inside = [`${county}%`];
    const picked = {
      personInside: (await first(`select id_number from person where region_code like $1 order by id limit 1`, inside))?.id_number,
      personOutside: (await first(`select id_number from person where region_code not like $1 order by id limit 1`, inside))?.id_number,
      findingInside: (await first(`select id from finding where region_code like $1 order by id limit 1`, inside))?.id,
      findingOutside: (await first(`select id from finding where region_code not like $1 order by id limit 1`, inside))?.id,
      student: (await first(`select p.id_number from person p join schooling f on f.person_id = p.id where p.region_code like $1 limit 1`, inside))?.id_number,
      patient: (await first(`select p.id_number from person p join medical_settlement f on f.person_id = p.id where p.region_code like $1 limit 1`, inside))
        ?.id_number,
      checkedPerson: (await first(`select p.id_number from person p join economic_fact f on f.person_id = p.id where p.region_code like $1 limit 1`, inside))
        ?.id_number,
      findingToReview: (await first(`select id from finding where region_code like $1 and status = 'OPEN' order by id desc limit 1`, inside))?.id,
    };
    if (Object.values(picked).some((v) => v === undefined)) continue;
    const otherCounty = counties.find((c) => c.code !== county)!.code;
    return { county, otherCounty, householdInside: await householdIn(county), householdOutside: await householdIn(otherCounty), ...picked };
  }
  throw new Error('the sample set has no county with a student, a patient, an economic-check subject and findings');
}

beforeAll(async () => {
  s = await startSampleAuthHub();
  subjects = await pickSubjects();
  tokens.OFFICE = s.hub.officeToken;
  tokens.TOWN = await s.hub.tokenFor({ role: 'TOWN', region: subjects.county, label: 'town staff' });
  tokens.EDUCATION = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'education', label: 'education app' });
  tokens.HEALTH = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'health', label: 'health app' });
  tokens.ANALYST = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  tokens.ADMIN = await s.hub.tokenFor({ role: 'ADMIN', label: 'operator' });
  // Department apps run registered documents only: the office registers every document of the matrix.
  for (const c of Object.values(CASES)) {
    const r = await s.hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d: c.document });
    expect(r.errors).toBeUndefined();
  }
}, 180_000);

afterAll(async () => {
  await s?.close();
});

interface Case {
  document: string;
  variables(): Record<string, unknown>;
  /** the top-level field */
  root: string;
  /** what a role that sees this whole must see */
  allowed?(data: any): void;
  /** what a role that sees this masked must see */
  masked?(data: any, officeData: any): void;
}

const personDocument = 'query ($id: String!) { person(idNumber: $id) { idNumber name household { id } categories benefits { programmeCode } } }';
const factDocument = (field: string) => `query ($id: String!) { person(idNumber: $id) { idNumber ${field} } }`;

const CASES: Record<string, Case> = {
  'a person inside the town': {
    document: personDocument,
    variables: () => ({ id: subjects.personInside }),
    root: 'person',
    allowed: (d) => expect(d.person.idNumber).toBe(subjects.personInside),
  },
  'a person outside the town': {
    document: personDocument,
    variables: () => ({ id: subjects.personOutside }),
    root: 'person',
    allowed: (d) => expect(d.person.idNumber).toBe(subjects.personOutside),
  },
  'a household inside the town': {
    document: 'query ($id: ID!) { household(id: $id) { id address head { idNumber name } } }',
    variables: () => ({ id: subjects.householdInside }),
    root: 'household',
    allowed: (d) => expect(d.household.head.idNumber).toMatch(RAW_ID_NUMBER),
    masked: (d, office) => {
      expect(d.household.id).toBe(office.household.id);
      expect(d.household.address).toBeNull();
      expect(d.household.head.idNumber).toMatch(MASKED_ID_NUMBER);
      expect(d.household.head.name).not.toBe(office.household.head.name);
      expect(d.household.head.name.startsWith(Array.from(office.household.head.name as string)[0]!)).toBe(true);
    },
  },
  'a household outside the town': {
    document: 'query ($id: ID!) { household(id: $id) { id address head { idNumber name } } }',
    variables: () => ({ id: subjects.householdOutside }),
    root: 'household',
    allowed: (d) => expect(d.household.head.idNumber).toMatch(RAW_ID_NUMBER),
    masked: (d) => {
      expect(d.household.address).toBeNull();
      expect(d.household.head.idNumber).toMatch(MASKED_ID_NUMBER);
    },
  },
  'a finding inside the town': {
    document: 'query ($id: ID!) { finding(id: $id) { id rule identity detail evidence { recordKey values } } }',
    variables: () => ({ id: subjects.findingInside }),
    root: 'finding',
    allowed: (d) => expect(d.finding.id).toBe(subjects.findingInside),
    masked: (d, office) => {
      expect(d.finding.rule).toBe(office.finding.rule);
      expect(d.finding.detail).toBeNull();
      expect(d.finding.evidence.map((e: any) => e.values)).toEqual(office.finding.evidence.map(() => null));
      expect(JSON.stringify(d.finding)).not.toMatch(RAW_ID_NUMBER);
    },
  },
  'a finding outside the town': {
    document: 'query ($id: ID!) { finding(id: $id) { id rule identity detail evidence { recordKey values } } }',
    variables: () => ({ id: subjects.findingOutside }),
    root: 'finding',
    allowed: (d) => expect(d.finding.id).toBe(subjects.findingOutside),
    masked: (d) => {
      expect(d.finding.detail).toBeNull();
      expect(JSON.stringify(d.finding)).not.toMatch(RAW_ID_NUMBER);
    },
  },
  'the coverage of the town': {
    document: 'query ($c: String!) { coverage(regionCode: $c) { regionCode persons byCategory { category persons } } }',
    variables: () => ({ c: subjects.county }),
    root: 'coverage',
    allowed: (d) => expect(d.coverage.persons).toBeGreaterThan(0),
  },
  'the coverage of another county': {
    document: 'query ($c: String!) { coverage(regionCode: $c) { regionCode persons byCategory { category persons } } }',
    variables: () => ({ c: subjects.otherCounty }),
    root: 'coverage',
    allowed: (d) => expect(d.coverage.regionCode).toBe(subjects.otherCounty),
  },
  'a list of people': {
    document: '{ persons(first: 20) { edges { node { id idNumber name } } } }',
    variables: () => ({}),
    root: 'persons',
    allowed: (d) => {
      expect(d.persons.edges.length).toBeGreaterThan(0);
      for (const e of d.persons.edges) expect(e.node.idNumber).toMatch(RAW_ID_NUMBER);
    },
    masked: (d, office) => {
      expect(d.persons.edges.map((e: any) => e.node.id)).toEqual(office.persons.edges.map((e: any) => e.node.id));
      for (const e of d.persons.edges) expect(e.node.idNumber).toMatch(MASKED_ID_NUMBER);
      for (const [i, e] of d.persons.edges.entries()) {
        const full = Array.from(office.persons.edges[i].node.name as string);
        expect(e.node.name).toMatch(/^\p{Script=Han}{1,2}\*+$/u);
        expect(Array.from(e.node.name as string)).toHaveLength(full.length);
      }
    },
  },
  "education's school records": {
    document: factDocument('schooling { term school }'),
    variables: () => ({ id: subjects.student }),
    root: 'person',
    allowed: (d) => expect(d.person.schooling.length).toBeGreaterThan(0),
  },
  "health's hospital settlements": {
    document: factDocument('medicalSettlements { settledOn outOfPocket }'),
    variables: () => ({ id: subjects.patient }),
    root: 'person',
    allowed: (d) => expect(d.person.medicalSettlements.length).toBeGreaterThan(0),
  },
  'the economic check (bank balances)': {
    document: factDocument('economicFacts { kind item value }'),
    variables: () => ({ id: subjects.checkedPerson }),
    root: 'person',
    allowed: (d) => expect(d.person.economicFacts.length).toBeGreaterThan(0),
  },
  'the connectors and their runs': {
    document: '{ connectors { name lastRun { status read quarantined } } }',
    variables: () => ({}),
    root: 'connectors',
    allowed: (d) => expect(d.connectors.find((c: any) => c.name === 'civil-affairs').lastRun.status).toBe('SUCCEEDED'),
  },
  'the quarantine': {
    document: '{ quarantine(first: 100) { edges { node { connector field value raw } } } }',
    variables: () => ({}),
    root: 'quarantine',
    allowed: (d) => expect(JSON.stringify(d.quarantine)).toMatch(RAW_ID_NUMBER),
    masked: (d, office) => {
      expect(d.quarantine.edges).toHaveLength(office.quarantine.edges.length);
      expect(JSON.stringify(d.quarantine)).not.toMatch(RAW_ID_NUMBER);
      // the record itself is withheld: the operator sees why it was refused (tests/auth/quarantineAccess.test.ts)
      for (const e of d.quarantine.edges) expect(e.node.raw).toBeNull();
    },
  },
  'the audit trail': {
    document: '{ auditTrail(first: 5) { totalCount edges { node { role operation } } } }',
    variables: () => ({}),
    root: 'auditTrail',
    allowed: (d) => expect(d.auditTrail.totalCount).toBeGreaterThan(0),
  },
  'reviewing a finding': {
    document: 'mutation ($id: ID!) { reviewFindings(input: { ids: [$id], decision: DISMISS, reason: "matrix" }) { id status } }',
    variables: () => ({ id: subjects.findingToReview }),
    root: 'reviewFindings',
    allowed: (d) => expect(d.reviewFindings).toEqual([{ id: subjects.findingToReview, status: 'DISMISSED' }]),
  },
  'setting a parameter': {
    document: 'mutation ($c: String!) { setParameter(name: "dangerous_house_days", regionCode: $c, validFrom: "2027-01-01", value: "150") { value validFrom } }',
    variables: () => ({ c: subjects.county }),
    root: 'setParameter',
    allowed: (d) => expect(d.setParameter).toEqual({ value: '150', validFrom: '2027-01-01' }),
  },
};

const MATRIX: Record<keyof typeof CASES, Record<RoleKey, Outcome>> = {
  //                                       OFFICE TOWN EDUCATION HEALTH ANALYST ADMIN
  'a person inside the town':            { OFFICE: A, TOWN: A, EDUCATION: A, HEALTH: A, ANALYST: D, ADMIN: D },
  'a person outside the town':           { OFFICE: A, TOWN: N, EDUCATION: A, HEALTH: A, ANALYST: D, ADMIN: D },
  'a household inside the town':         { OFFICE: A, TOWN: A, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: D },
  'a household outside the town':        { OFFICE: A, TOWN: N, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: D },
  // a department reads the findings assigned to it (tests/exchange/assignments.test.ts); these are not
  'a finding inside the town':           { OFFICE: A, TOWN: A, EDUCATION: N, HEALTH: N, ANALYST: D, ADMIN: D },
  'a finding outside the town':          { OFFICE: A, TOWN: N, EDUCATION: N, HEALTH: N, ANALYST: D, ADMIN: D },
  'the coverage of the town':            { OFFICE: A, TOWN: A, EDUCATION: D, HEALTH: D, ANALYST: A, ADMIN: D },
  'the coverage of another county':      { OFFICE: A, TOWN: D, EDUCATION: D, HEALTH: D, ANALYST: A, ADMIN: D },
  'a list of people':                    { OFFICE: A, TOWN: A, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: D },
  "education's school records":          { OFFICE: A, TOWN: A, EDUCATION: A, HEALTH: D, ANALYST: D, ADMIN: D },
  "health's hospital settlements":       { OFFICE: A, TOWN: A, EDUCATION: D, HEALTH: A, ANALYST: D, ADMIN: D },
  'the economic check (bank balances)':  { OFFICE: A, TOWN: A, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: D },
  'the connectors and their runs':       { OFFICE: A, TOWN: D, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: A },
  'the quarantine':                      { OFFICE: A, TOWN: D, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: M },
  'the audit trail':                     { OFFICE: A, TOWN: D, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: D },
  'reviewing a finding':                 { OFFICE: A, TOWN: D, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: D },
  'setting a parameter':                 { OFFICE: A, TOWN: D, EDUCATION: D, HEALTH: D, ANALYST: D, ADMIN: D },
};

// Office first: the masked views are compared with what the office sees; mutations last, so that
// every denied attempt is made before the office's allowed one changes anything.
const ORDER: RoleKey[] = ['OFFICE', 'TOWN', 'EDUCATION', 'HEALTH', 'ANALYST', 'ADMIN'];
const rows = Object.entries(MATRIX).flatMap(([name, outcomes]) => {
  const mutation = CASES[name]!.document.startsWith('mutation');
  const roles = mutation ? [...ORDER.slice(1), 'OFFICE' as RoleKey] : ORDER;
  return roles.map((role) => [name, role, outcomes[role]] as [string, RoleKey, Outcome]);
});

const officeAnswers = new Map<string, any>();

describe('role × operation', () => {
  it.each(rows)('%s as %s: %s', async (name, role, outcome) => {
    const c = CASES[name]!;
    const r = await s.hub.graphqlAs(tokens[role], c.document, c.variables());
    if (role === 'OFFICE') officeAnswers.set(name, r.data);
    if (outcome === 'denied') {
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.data?.[c.root] ?? null).toBeNull();
      return;
    }
    if (outcome === 'nobody') {
      expect(r).toEqual({ data: { [c.root]: null } });
      return;
    }
    expect(r.errors).toBeUndefined();
    expect(r.data[c.root]).not.toBeNull();
    if (outcome === 'allowed') c.allowed?.(r.data);
    else c.masked!(r.data, officeAnswers.get(name));
  });

  it('left every refused mutation undone', async () => {
    const decisions = await s.db.pool.query(`select decided_by from finding_decision where finding_id = $1`, [subjects.findingToReview]);
    expect(decisions.rows).toEqual([{ decided_by: 'local' }]);
    const params = await s.db.pool.query(`select created_by from parameter where name = 'dangerous_house_days' and valid_from = '2027-01-01'`);
    expect(params.rows).toEqual([{ created_by: 'local' }]);
  });
});

describe('a TOWN token', () => {
  it('lists only the people of its region', async () => {
    const r = await s.hub.graphqlAs(tokens.TOWN, '{ persons(first: 100) { totalCount edges { node { id } } } }');
    const ids = r.data.persons.edges.map((e: any) => e.node.id);
    const { rows } = await s.db.pool.query<{ n: number }>(`select count(*)::int as n from person where region_code like $1`, [`${subjects.county}%`]);
    expect(r.data.persons.totalCount).toBe(rows[0]!.n);
    const outside = await s.db.pool.query(`select id from person where id = any($1::bigint[]) and (region_code is null or region_code not like $2)`, [
      ids,
      `${subjects.county}%`,
    ]);
    expect(outside.rows).toEqual([]);
  });

  it('lists only the findings of its region, and refuses a filter on another', async () => {
    const r = await s.hub.graphqlAs(tokens.TOWN, '{ findings(first: 100) { totalCount edges { node { region { code } } } } }');
    const { rows } = await s.db.pool.query<{ n: number }>(`select count(*)::int as n from finding where region_code like $1`, [`${subjects.county}%`]);
    expect(r.data.findings.totalCount).toBe(rows[0]!.n);
    for (const e of r.data.findings.edges) expect(e.node.region.code.startsWith(subjects.county)).toBe(true);
    const other = await s.hub.graphqlAs(tokens.TOWN, 'query ($c: String) { findings(filter: { regionCode: $c }) { totalCount } }', { c: subjects.otherCounty });
    expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers a number nobody holds with null, not FORBIDDEN', async () => {
    const r = await s.hub.graphqlAs(tokens.TOWN, 'query ($id: String!) { person(idNumber: $id) { name } }', { id: '11010519491231002X' });
    expect(r.errors).toBeUndefined();
    expect(r.data.person).toBeNull();
  });
});

describe('a DEPARTMENT token', () => {
  it("sees a person's identity, categories and benefits", async () => {
    const r = await s.hub.graphqlAs(tokens.HEALTH, personDocument, { id: subjects.personInside });
    const office = await s.hub.graphql(personDocument, { id: subjects.personInside });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual(office.data);
  });

  it("says which department's facts it may not read", async () => {
    const r = await s.hub.graphqlAs(tokens.EDUCATION, CASES['the economic check (bank balances)']!.document, { id: subjects.checkedPerson });
    expect(r.errors[0].message).toMatch(/economicFacts.*DEPARTMENT token \(education\)/);
  });
});

describe('an ANALYST token', () => {
  it('sees the city figures as tables: small cells suppressed, every other count rounded to 5', async () => {
    const doc = 'query ($d: Date) { coverage(regionCode: "3710", asOf: $d) { asOf persons byCategory { category persons } openFindings { rule count } children { regionCode persons } } }';
    const analyst = await s.hub.graphqlAs(tokens.ANALYST, doc);
    // The analyst's default day is this month's last day: the office is asked for the same day.
    const { asOf } = analyst.data.coverage;
    const exact = (await s.hub.graphql(doc, { d: asOf })).data;
    const published = (n: number) => (n === 0 ? 0 : n < 5 ? null : Math.round(n / 5) * 5);
    expect(analyst.data.coverage).toEqual({
      asOf,
      persons: published(exact.coverage.persons),
      byCategory: exact.coverage.byCategory.map((b: any) => ({ ...b, persons: published(b.persons) })),
      openFindings: exact.coverage.openFindings.map((f: any) => ({ ...f, count: published(f.count) })),
      children: exact.coverage.children.map((c: any) => ({ ...c, persons: published(c.persons) })),
    });
  });

  it('gets no rows of people: neither masked ID numbers nor years of birth, only the count', async () => {
    const rows = await s.hub.graphqlAs(tokens.ANALYST, '{ persons(first: 10) { totalCount edges { node { id idNumber birthYear } } } }');
    expect(rows.errors[0]).toMatchObject({ message: expect.stringContaining('totalCount'), extensions: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(rows)).not.toMatch(/\d{6}\*{8}/);
    const count = await s.hub.graphqlAs(tokens.ANALYST, '{ persons { totalCount } }');
    expect(count.data.persons.totalCount % 5).toBe(0);
  });

  it('cannot search people by name', async () => {
    const { rows } = await s.db.pool.query<{ name: string }>(`select name from person order by id limit 1`);
    const r = await s.hub.graphqlAs(tokens.ANALYST, 'query ($n: String) { persons(filter: { name: $n }) { totalCount } }', { n: rows[0]!.name });
    expect(r.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(r.data).toBeNull();
  });
});

describe('the office', () => {
  it('adds parameter rows and never changes one', async () => {
    const set = 'mutation ($v: String!, $d: Date!) { setParameter(name: "medical_oop_threshold", regionCode: "3710", validFrom: $d, value: $v) { value } }';
    const before = await s.db.pool.query(`select id, value, valid_from from parameter where name = 'medical_oop_threshold' order by id`);
    expect((await s.hub.graphql(set, { v: '12000', d: '2027-03-01' })).errors).toBeUndefined();
    const again = await s.hub.graphql(set, { v: '13000', d: '2027-03-01' });
    expect(again.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'validFrom' });
    const notANumber = await s.hub.graphql(set, { v: 'lots', d: '2027-04-01' });
    expect(notANumber.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'value' });
    const after = await s.db.pool.query(`select id, value, valid_from from parameter where name = 'medical_oop_threshold' order by id`);
    expect(after.rows.slice(0, before.rows.length)).toEqual(before.rows);
    expect(after.rows.slice(before.rows.length).map((r) => [r.value, r.valid_from])).toEqual([['12000', '2027-03-01']]);
  });

  it('is told who it is', async () => {
    const r = await s.hub.graphqlAs(tokens.TOWN, '{ viewer { role regionCode department label permissions } }');
    expect(r.data.viewer).toMatchObject({ role: 'TOWN', regionCode: subjects.county, department: null, label: 'town staff' });
    expect(r.data.viewer.permissions).not.toContain('audit');
  });
});
