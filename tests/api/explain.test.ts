/**
 * api.md "Explain: why, and why not" over the sample city, through HTTP with real tokens: a
 * finding's explanation and a near miss's "why not" in the caseworker's words, each role seeing
 * what api.md's table lets it see, client mistakes as BAD_USER_INPUT, the catalogue's condition
 * names, and a page of findings explained with one statement per rule whatever its size.
 */
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { statementCount } from '../../src/db/statementCounter';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { checkDigit } from '../../src/identity';

/** a well-formed ID number nobody in the sample city holds */
const NOBODY = `37100219491231999${checkDigit('37100219491231999')}`;

let s: SampleAuthHub;
/** the sample city's one G2 finding: 张… disabled, DIBAO, no living subsidy */
let g2: { id: string; personId: string; idNumber: string; county: string };
/** a disabled DIBAO or TEKUN person whose living subsidy is paid: not G2, and why */
let near: { personId: string; idNumber: string; since: string; county: string };
let otherCounty: string;
const tokens = {} as Record<'TOWN' | 'OTHER_TOWN' | 'DISABILITY' | 'HEALTH' | 'ANALYST', string>;

const CONDITION = 'name text holds values said parameters { name regionCode validFrom value } evidence { feed stream recordKey values }';
const FINDING = `query ExplainFinding($id: ID!) { finding(id: $id) { id explanation { rule item asOf holds clauses conditions { ${CONDITION} } } } }`;
const EXPLAIN = `query Explain($idNumber: String, $householdId: ID, $regionCode: String, $rule: String, $item: String, $category: RecipientCategory, $asOf: Date) {
  explain(idNumber: $idNumber, householdId: $householdId, regionCode: $regionCode, rule: $rule, item: $item, category: $category, asOf: $asOf) {
    rule item asOf holds clauses conditions { ${CONDITION} } } }`;
const ASOF = '2026-10-31';

const byName = (e: { conditions: Array<{ name: string }> }) => Object.fromEntries(e.conditions.map((c: any) => [c.name, c]));

beforeAll(async () => {
  s = await startSampleAuthHub();
  const q = async (sql: string, p: unknown[] = []) => (await s.db.pool.query(sql, p)).rows;
  [g2] = await q(`select f.id::text, p.id::text as "personId", p.id_number as "idNumber", left(p.region_code, 6) as county
                    from finding f join person p on p.id = f.person_id where f.rule = 'G2'`);
  // disabled and DIBAO or TEKUN on the date, the living subsidy paid: G2's near miss
  [near] = await q(
    `select p.id::text as "personId", p.id_number as "idNumber", min(b.valid_from)::text as since, left(p.region_code, 6) as county
       from person p join benefit b on b.person_id = p.id and b.programme_code = 'CJ_LIVING' and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, $1::date)
      where exists (select 1 from weijiu_categories($1::date, '3710') c where c.person_id = p.id and c.category in ('DIBAO', 'TEKUN'))
        and exists (select 1 from weijiu_categories($1::date, '3710') c where c.person_id = p.id and c.category = 'DISABLED')
      group by p.id order by p.id limit 1`,
    [ASOF],
  );
  expect(g2).toBeDefined();
  expect(near).toBeDefined();
  [{ c: otherCounty }] = await q(`select left(region_code, 6) as c from person where region_code not like $1 || '%' and region_code not like $2 || '%' limit 1`, [g2.county, near.county]);
  tokens.TOWN = await s.hub.tokenFor({ role: 'TOWN', region: g2.county, label: 'county staff' });
  tokens.OTHER_TOWN = await s.hub.tokenFor({ role: 'TOWN', region: otherCounty, label: 'other county staff' });
  tokens.DISABILITY = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'disability', label: 'disability app' });
  tokens.HEALTH = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'health', label: 'health app' });
  tokens.ANALYST = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  // department apps run registered documents only
  for (const d of [FINDING, EXPLAIN]) expect((await s.hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d })).errors).toBeUndefined();
}, 180_000);
afterAll(async () => s?.close());

describe('the office', () => {
  test('reads why the G2 finding holds: every condition true, in Chinese, with the records it used', async () => {
    const r = await s.hub.graphql(FINDING, { id: g2.id });
    expect(r.errors).toBeUndefined();
    const e = r.data.finding.explanation;
    expect(e).toMatchObject({ rule: 'G2', item: null, asOf: ASOF, holds: true, clauses: [] });
    expect(e.conditions.map((c: any) => [c.name, c.holds])).toEqual([['DISABLED', true], ['DIBAO_OR_TEKUN', true], ['NO_LIVING_SUBSIDY', true], ['ALIVE', true]]);
    const c = byName(e);
    expect(c.DISABLED).toMatchObject({ text: '持有有效的残疾人证（任一等级，d 日在有效期内）', said: '持有有效残疾人证' });
    expect(c.DISABLED.evidence).toEqual([expect.objectContaining({ feed: 'disability', values: { category: 'DISABLED' } })]);
    expect(c.DIBAO_OR_TEKUN.said).toMatch(/^是(低保|特困)/);
    expect(c.DIBAO_OR_TEKUN.evidence[0]).toMatchObject({ feed: 'civil-affairs', stream: 'households' });
  });

  test('reads why a disabled DIBAO person is not G2: the living subsidy is paid, since its first day', async () => {
    const r = await s.hub.graphql(EXPLAIN, { idNumber: near.idNumber, rule: 'G2', asOf: ASOF });
    expect(r.errors).toBeUndefined();
    expect(r.data.explain.holds).toBe(false);
    const c = byName(r.data.explain);
    expect([c.DISABLED.holds, c.DIBAO_OR_TEKUN.holds, c.NO_LIVING_SUBSIDY.holds, c.ALIVE.holds]).toEqual([true, true, false, true]);
    expect(c.NO_LIVING_SUBSIDY).toMatchObject({ said: `残疾人生活补贴自 ${near.since} 起正在发放`, values: { livingSubsidySince: near.since } });
    expect(c.NO_LIVING_SUBSIDY.evidence.length).toBeGreaterThan(0);
  });

  test('every finding of the sample city is explained as holding, and explain() for its subject says the same', async () => {
    const { rows } = await s.db.pool.query(
      `select f.id::text, f.rule, f.item, f.as_of as "asOf", p.id_number as "idNumber", f.household_id::text as "householdId",
              case when f.person_id is null and f.household_id is null then f.region_code end as "regionCode"
         from finding f left join person p on p.id = f.person_id order by f.id`,
    );
    const explainable = rows.filter((f) => ruleCatalogue.some((r) => r.code === f.rule && r.conditions?.length));
    expect(explainable.map((f) => f.rule)).toContain('G2');
    for (const f of explainable) {
      const finding = await s.hub.graphql(FINDING, { id: f.id });
      expect({ id: f.id, rule: f.rule, errors: finding.errors, holds: finding.data.finding.explanation?.holds }).toEqual({ id: f.id, rule: f.rule, errors: undefined, holds: true });
      const subject = f.idNumber ? { idNumber: f.idNumber } : f.householdId ? { householdId: f.householdId } : { regionCode: f.regionCode };
      const asked = await s.hub.graphql(EXPLAIN, { ...subject, rule: f.rule, item: f.item, asOf: f.asOf });
      expect({ id: f.id, errors: asked.errors }).toEqual({ id: f.id, errors: undefined });
      expect(asked.data.explain).toEqual(finding.data.finding.explanation);
    }
  });

  test('explains a person’s nine categories as the hub counts them, each with the records and dates that decide it', async () => {
    const held = (await s.db.pool.query(`select distinct category from weijiu_categories($1::date, '3710') where person_id = $2`, [ASOF, g2.personId])).rows.map((r) => r.category);
    expect(held).toEqual(expect.arrayContaining(['DIBAO', 'DISABLED']));
    const all = ['DIBAO', 'TEKUN', 'TEMPORARY', 'DISABLED', 'CHILD_IN_DIFFICULTY', 'LEFT_BEHIND', 'REGISTERED_POOR', 'LOW_INCOME', 'VAGRANT'];
    const answers: Record<string, any> = {};
    for (const category of all) {
      const r = await s.hub.graphql(EXPLAIN, { idNumber: g2.idNumber, category, asOf: ASOF });
      expect({ category, errors: r.errors }).toEqual({ category, errors: undefined });
      answers[category] = r.data.explain;
    }
    expect(all.filter((c) => answers[c].holds).sort()).toEqual([...held].sort());
    const dibao = byName(answers.DIBAO);
    expect(dibao.DB_ACTIVE.holds).toBe(true);
    expect(dibao.DB_ACTIVE.said).toContain(`${ASOF} 有效`);
    expect(dibao.DB_ACTIVE.evidence[0].feed).toBe('civil-affairs');
    // why not TEKUN: no enrolment at all
    expect(answers.TEKUN.holds).toBe(false);
    expect(byName(answers.TEKUN).TK_ENROLLMENT).toMatchObject({ holds: false, said: '没有名列任何特困供养（TK）登记', evidence: [] });
    const household = await s.hub.graphql(EXPLAIN, { householdId: '1', category: 'DIBAO' });
    expect(household.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'householdId' });
  });

  test('an explanation is a read of the person: one audit row names them', async () => {
    const max = async () => (await s.db.pool.query(`select coalesce(max(id), 0)::bigint as n from audit_event`)).rows[0].n;
    const before = await max();
    const r = await s.hub.graphql(EXPLAIN, { idNumber: near.idNumber, rule: 'G2' });
    expect(r.errors).toBeUndefined();
    const { rows } = await s.db.pool.query(`select person_ids::text[] as ids from audit_event where id > $1`, [before]);
    expect(rows.map((x) => x.ids)).toEqual([[near.personId]]);
  });

  test.each([
    ['no subject', { rule: 'G2' }, 'idNumber'],
    ['two subjects', { idNumber: '37100319710119412X', regionCode: '3710', rule: 'G2' }, 'regionCode'],
    ['neither rule nor category', { idNumber: '37100319710119412X' }, 'rule'],
    ['both rule and category', { idNumber: '37100319710119412X', rule: 'G2', category: 'DIBAO' }, 'category'],
    ['an unknown rule', { idNumber: '37100319710119412X', rule: 'Z9' }, 'rule'],
    ['a person rule asked of a household', { householdId: '1', rule: 'G2' }, 'householdId'],
    ['a malformed ID number', { idNumber: '12345', rule: 'G2' }, 'idNumber'],
    ['an ID number nobody holds', { idNumber: NOBODY, rule: 'G2' }, 'idNumber'],
    ['a malformed household id', { householdId: "1' or '1'='1", rule: 'G8' }, 'householdId'],
  ])('answers %s with BAD_USER_INPUT', async (_, vars, argumentName) => {
    const r = await s.hub.graphql(EXPLAIN, vars);
    expect(r.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
  });

  test('a rule whose identity has an item without a default needs it (D2: the pair)', async () => {
    const d2 = ruleCatalogue.find((r) => r.code === 'D2')!;
    expect(d2.item && !d2.item.default).toBe(true);
    const r = await s.hub.graphql(EXPLAIN, { idNumber: near.idNumber, rule: 'D2' });
    expect(r.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'item' });
    expect(r.errors[0].message).toContain('互斥的一对项目');
  });

  test('the catalogue lists each rule’s conditions by name and sentence', async () => {
    const r = await s.hub.graphql(`{ rules { code conditions { name text } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.rules.find((x: any) => x.code === 'G2').conditions).toEqual([
      { name: 'DISABLED', text: '持有有效的残疾人证（任一等级，d 日在有效期内）' },
      { name: 'DIBAO_OR_TEKUN', text: '是低保或特困人员（d 日）' },
      { name: 'NO_LIVING_SUBSIDY', text: '没有正在发放的残疾人生活补贴（CJ_LIVING，d 日有效）' },
      { name: 'ALIVE', text: '在世（d 日及之前没有死亡记录）' },
    ]);
  });
});

describe('a town', () => {
  test('inside its region reads the explanation whole', async () => {
    const finding = await s.hub.graphqlAs(tokens.TOWN, FINDING, { id: g2.id });
    expect(finding.errors).toBeUndefined();
    const office = await s.hub.graphql(FINDING, { id: g2.id });
    expect(finding.data.finding.explanation).toEqual(office.data.finding.explanation);
  });

  test('outside its region is answered as for a number nobody holds, and sees no finding to explain', async () => {
    const elsewhere = await s.hub.graphqlAs(tokens.OTHER_TOWN, EXPLAIN, { idNumber: g2.idNumber, rule: 'G2' });
    const nobody = await s.hub.graphqlAs(tokens.OTHER_TOWN, EXPLAIN, { idNumber: NOBODY, rule: 'G2' });
    expect(elsewhere.data).toBeNull();
    expect(elsewhere.errors.map((e: any) => [e.message, e.extensions.code])).toEqual(nobody.errors.map((e: any) => [e.message, e.extensions.code]));
    expect((await s.hub.graphqlAs(tokens.OTHER_TOWN, FINDING, { id: g2.id })).data.finding).toBeNull();
  });
});

describe('a department', () => {
  test('reads the explanation of a finding assigned to it: its own feed’s values and records, the other feeds’ outcomes only', async () => {
    const before = await s.hub.graphqlAs(tokens.DISABILITY, FINDING, { id: g2.id });
    expect(before.data.finding).toBeNull();
    const assigned = await s.hub.graphql(`mutation ($i: AssignFindingsInput!) { assignFindings(input: $i) { id } }`, {
      i: { ids: [g2.id], to: { department: 'disability' }, dueOn: '2099-01-01' },
    });
    expect(assigned.errors).toBeUndefined();
    const r = await s.hub.graphqlAs(tokens.DISABILITY, FINDING, { id: g2.id });
    expect(r.errors).toBeUndefined();
    const e = r.data.finding.explanation;
    expect(e.holds).toBe(true);
    const c = byName(e);
    // its own certificate: values, sentence and record
    expect(c.DISABLED).toMatchObject({ holds: true, said: '持有有效残疾人证' });
    expect(c.DISABLED.evidence.map((x: any) => x.feed)).toEqual(['disability']);
    // civil affairs' household: the outcome and the sentence of the condition, no values, no record
    expect(c.DIBAO_OR_TEKUN).toMatchObject({ holds: true, text: '是低保或特困人员（d 日）', values: null, said: null, evidence: [] });
    expect(e.conditions.flatMap((x: any) => x.evidence).every((x: any) => x.feed === 'disability')).toBe(true);
  });

  test('explains a person it looks up by ID number with its own feed’s facts; another department sees outcomes only', async () => {
    const own = await s.hub.graphqlAs(tokens.DISABILITY, EXPLAIN, { idNumber: near.idNumber, rule: 'G2' });
    expect(own.errors).toBeUndefined();
    expect(byName(own.data.explain).NO_LIVING_SUBSIDY).toMatchObject({ holds: false, said: `残疾人生活补贴自 ${near.since} 起正在发放` });
    const other = await s.hub.graphqlAs(tokens.HEALTH, EXPLAIN, { idNumber: near.idNumber, rule: 'G2' });
    expect(other.errors).toBeUndefined();
    expect(other.data.explain.holds).toBe(false);
    expect(other.data.explain.conditions.map((x: any) => [x.name, x.holds, x.values, x.said, x.evidence])).toEqual([
      ['DISABLED', true, null, null, []],
      ['DIBAO_OR_TEKUN', true, null, null, []],
      ['NO_LIVING_SUBSIDY', false, null, null, []],
      // ALIVE says nothing for the living: no record, nothing withheld
      ['ALIVE', true, null, null, []],
    ]);
  });

  test('explains no household and no region: those are not lookups by ID number', async () => {
    const r = await s.hub.graphqlAs(tokens.DISABILITY, EXPLAIN, { regionCode: '371002', rule: 'R1' });
    expect(r.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('an analyst', () => {
  test('gets no explanation: counts only', async () => {
    const r = await s.hub.graphqlAs(tokens.ANALYST, EXPLAIN, { idNumber: near.idNumber, rule: 'G2' });
    expect(r.data).toBeNull();
    expect(r.errors[0].extensions.code).toBe('FORBIDDEN');
    const list = await s.hub.graphqlAs(tokens.ANALYST, `{ findings(first: 5) { edges { node { explanation { holds } } } } }`);
    expect(list.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(list.data ?? {})).not.toContain('holds');
  });
});

describe('a page of findings', () => {
  const PAGE = (explained: boolean) => `query ($first: Int, $rules: [String!]) { findings(first: $first, filter: { rule: $rules }) { edges { node { id rule
    ${explained ? `explanation { holds conditions { name holds values said parameters { name value } evidence { feed recordKey values } } }` : ''} } } } }`;

  /** the statements the explanations of a page add to the page itself */
  async function explanationStatements(first: number, rules: string[]) {
    const before = statementCount();
    const plain = await s.hub.graphql(PAGE(false), { first, rules });
    const middle = statementCount();
    const explained = await s.hub.graphql(PAGE(true), { first, rules });
    const after = statementCount();
    expect(plain.errors).toBeUndefined();
    expect(explained.errors).toBeUndefined();
    const nodes = explained.data.findings.edges.map((e: any) => e.node);
    return { statements: after - middle - (middle - before), findings: nodes.length, explained: nodes.filter((n: any) => n.explanation?.holds === true).length, rules: new Set(nodes.map((n: any) => n.rule)).size };
  }

  test('is explained by one statement per rule, for 3 findings as for 30', async () => {
    const small = await explanationStatements(3, ['R2']);
    const large = await explanationStatements(30, ['R2']);
    expect([small.findings, large.findings]).toEqual([3, 30]);
    expect([small.explained, large.explained]).toEqual([3, 30]);
    // a region rule's subjects need no scope closed: one statement
    expect([small.statements, large.statements]).toEqual([1, 1]);
  });

  test('of several person rules: one statement closing their scope, and one per rule', async () => {
    const page = await explanationStatements(50, ['D3', 'G1', 'G2']);
    expect(page.findings).toBe(10);
    expect(page.explained).toBe(10);
    expect(page.statements).toBe(1 + page.rules);
  });
});
