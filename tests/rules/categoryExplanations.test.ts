/**
 * Why a person is — or is not — DIBAO, TEKUN … on d (api.md "Explain", `category`): each of the
 * nine categories explained by its conditions must answer as weijiu_categories answers, and a near
 * miss must be explained by the condition that failed, with the date that decided it.
 */
import type { Database } from '../../src/db/database';
import { openCaseDatabase, type CaseDatabase } from '../../src/rules/cases/caseDatabase';
import {
  dibao, disabilityCertificate, household, idNo, lowIncome, member, orphanAllowance, povertyReliefHousehold, povertySnapshot, tekun, temporaryAid,
} from '../../src/rules/cases/caseBuilders';
import { clearGraph, loadCase } from '../../src/rules/cases/ruleCase';
import { CATEGORIES, categoryRule, type Category } from '../../src/rules/categories/categoryConditions';
import { traceRule, type RuleTrace } from '../../src/rules/engine/traceRule';
import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';

const D = '2026-10-31';
const CITY = '3710';

/** one person per situation, born on `born` (YYYYMMDD) */
let serial = 0;
const person = (born = '19600101') => idNo(`371003${born}${String(++serial).padStart(3, '0')}`);

const P = {
  dibao: person(),
  dibaoEnded: person(),
  disabled: person(),
  certificateExpired: person(),
  certificateRunOut: person(),
  tekun: person(),
  tekunEnded: person(),
  temporary: person(),
  temporaryLongAgo: person(),
  child: person('20120305'),
  childTurned18: person('20081031'),
  leftBehind: person(),
  leftBehindCancelled: person(),
  poor: person(),
  lowIncome: person(),
  vagrant: person(),
  vagrantLongAgo: person(),
  nobody: person(),
};

let hh = 0;
const householdOf = (head: string, enrollments: ReturnType<typeof dibao>[]) =>
  household(head, { hhId: `MZ-371003-9${String(++hh).padStart(5, '0')}`, region: '371003105209', members: [member(head)], enrollments });
const registration = (who: string, lb: string, djrq: string, zxrq: string | null = null) => ({
  reg_id: `${lb}-371003-9${String(++hh).padStart(4, '0')}`, sfzh: who, xm: '某', lb, djrq, zxrq, qhdm: '371003105209', updated_at: '2026-10-01T10:00:00+08:00',
});
const certificate = (who: string, o: Parameters<typeof disabilityCertificate>[1] = {}) =>
  disabilityCertificate(who, { issueDate: '2019-06-14', validUntil: '2029-06-13', region: '371003105209', ...o });

const feeds = {
  civilAffairs: {
    households: [
      householdOf(P.dibao, [dibao('2024-01-01')]),
      householdOf(P.dibaoEnded, [dibao('2024-01-01', { until: '2026-10-30' })]),
      householdOf(P.tekun, [tekun(P.tekun, '2020-01-01')]),
      householdOf(P.tekunEnded, [tekun(P.tekunEnded, '2020-01-01', { until: '2026-10-30' })]),
      householdOf(P.lowIncome, [lowIncome('2025-05-01')]),
      householdOf(P.nobody, []),
    ],
    grants: [
      temporaryAid(P.temporary, '2026-03-01', { id: 'LS-2026-900001' }),
      // the window of 365 days ending on d starts on 2025-11-01
      temporaryAid(P.temporaryLongAgo, '2025-10-31', { id: 'LS-2025-900002' }),
      orphanAllowance(P.child, '2020-01-01', { id: 'GE-2020-900001' }),
      orphanAllowance(P.childTurned18, '2020-01-01', { id: 'GE-2020-900002' }),
    ],
    registries: [
      registration(P.leftBehind, 'LSLR', '2018-04-01'),
      registration(P.leftBehindCancelled, 'LSLR', '2018-04-01', '2026-10-30'),
      registration(P.vagrant, 'LLQT', '2026-09-01'),
      registration(P.vagrantLongAgo, 'LLQT', '2025-01-01'),
    ],
  },
  disability: [
    certificate(P.dibao),
    certificate(P.disabled),
    certificate(P.certificateExpired, { status: 'EXPIRED' }),
    certificate(P.certificateRunOut, { validUntil: '2026-10-30' }),
  ],
  poverty: povertySnapshot('2026-09-30', povertyReliefHousehold(P.poor, [{ person: P.poor, relation: '01' }], { region: '371003105209' })),
};

async function personIds(db: Database, idNumbers: string[]): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ id: string; id_number: string }>(`select id::text, id_number from person where id_number = any($1)`, [idNumbers]);
  return new Map(rows.map((r) => [r.id_number, r.id]));
}

/** weijiu_categories' answer for the people, as "personId|CATEGORY" */
async function categoriesOf(db: Database, asOf: string, people: string[]): Promise<Set<string>> {
  const { rows } = await db.pool.query<{ key: string }>(
    `select distinct c.person_id || '|' || c.category as key from weijiu_categories($1::date, $2::text, $3::bigint[]) c`,
    [asOf, CITY, people],
  );
  return new Set(rows.map((r) => r.key));
}

const explain = (db: Database, personId: string, category: Category, asOf = D) =>
  traceRule(db.pool, categoryRule(category), { asOf, city: CITY, subjectId: personId });

const outcome = (trace: RuleTrace, name: string) => {
  const c = trace.conditions.find((k) => k.name === name);
  if (!c) throw new Error(`${trace.rule} has no condition ${name}: ${trace.conditions.map((k) => k.name).join(', ')}`);
  return c;
};

describe('the nine categories explained, on a case database', () => {
  let db: CaseDatabase;
  let ids: Map<string, string>;
  const id = (idNumber: string) => ids.get(idNumber)!;

  beforeAll(async () => {
    db = await openCaseDatabase();
    await clearGraph(db);
    await loadCase(db, feeds);
    ids = await personIds(db, Object.values(P));
    expect(ids.size).toBe(Object.values(P).length);
  }, 60_000);
  afterAll(async () => {
    await db.drop();
  });

  it('holds for each person and category exactly where weijiu_categories lists them', async () => {
    const listed = await categoriesOf(db, D, [...ids.values()]);
    const explained = new Set<string>();
    for (const personId of ids.values()) {
      for (const category of CATEGORIES) {
        if ((await explain(db, personId, category)).holds) explained.add(`${personId}|${category}`);
      }
    }
    expect([...explained].sort()).toEqual([...listed].sort());
    // every category holds for someone here, so the comparison is not of two empty sets
    expect(new Set([...listed].map((k) => k.split('|')[1]))).toEqual(new Set(CATEGORIES));
  }, 120_000);

  it('names each condition in Chinese and shows the source records of a category that holds', async () => {
    const trace = await explain(db, id(P.dibao), 'DIBAO');
    expect(trace).toMatchObject({ rule: 'DIBAO', subjectType: 'person', holds: true });
    expect(trace.conditions.map((c) => [c.name, c.holds])).toEqual([['DB_HOUSEHOLD_MEMBER', true], ['DB_ACTIVE', true]]);
    expect(outcome(trace, 'DB_ACTIVE').said).toBe(`低保 2024-01-01 至 今，${D} 有效`);
    expect(outcome(trace, 'DB_ACTIVE').evidence).toEqual([expect.objectContaining({ feed: 'civil-affairs', values: expect.objectContaining({ programme: 'DB' }) })]);
    for (const c of trace.conditions) expect(c.text).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each<[string, keyof typeof P, Category, string, RegExp]>([
    ['DB ended the day before d', 'dibaoEnded', 'DIBAO', 'DB_ACTIVE', /已于 2026-10-30 结束/],
    ['TK ended the day before d', 'tekunEnded', 'TEKUN', 'TK_ACTIVE', /已于 2026-10-30 结束/],
    ['the certificate is EXPIRED', 'certificateExpired', 'DISABLED', 'CERTIFICATE_VALID', /状态 EXPIRED.*有效期至 2029-06-13/],
    ['a VALID certificate ran out the day before d', 'certificateRunOut', 'DISABLED', 'CERTIFICATE_IN_FORCE', /已于 2026-10-30 结束/],
    ['the LS grant was paid a day before the window', 'temporaryLongAgo', 'TEMPORARY', 'LS_PAID_RECENTLY', /2025-11-01 至 2026-10-31.*2025-10-31 发放，早于此期间/],
    ['the orphan turned 18 on d', 'childTurned18', 'CHILD_IN_DIFFICULTY', 'UNDER_18', /2008-10-31 出生，2026-10-31 已满 18 周岁/],
    ['the left-behind registration was cancelled the day before d', 'leftBehindCancelled', 'LEFT_BEHIND', 'REGISTRATION_ACTIVE', /已于 2026-10-30 结束/],
    ['the vagrant was registered long before the window', 'vagrantLongAgo', 'VAGRANT', 'REGISTERED_RECENTLY', /2025-01-01 登记，早于此期间/],
    ['nobody: no TK enrollment at all', 'nobody', 'TEKUN', 'TK_ENROLLMENT', /没有名列任何特困供养/],
    ['nobody: not on the poverty list', 'nobody', 'REGISTERED_POOR', 'IN_NEWEST_POVERTY_LIST', /不在建档立卡名单中/],
  ])('%s (%s): not %s, decided by the condition that failed', async (_, who, category, decidedBy, said) => {
    const trace = await explain(db, id(P[who]), category);
    expect(trace.holds).toBe(false);
    const failing = trace.conditions.filter((c) => !c.holds).map((c) => c.name);
    expect(failing[0]).toBe(decidedBy);
    expect(outcome(trace, decidedBy).said).toMatch(said);
  });

  it('a person with no record of a programme has no active one either', async () => {
    const trace = await explain(db, id(P.nobody), 'TEKUN');
    expect(trace.conditions.map((c) => [c.name, c.holds])).toEqual([['TK_ENROLLMENT', false], ['TK_ACTIVE', false]]);
  });

  it('holds on the last day of its programme, and for a child with an active orphan allowance', async () => {
    expect((await explain(db, id(P.dibaoEnded), 'DIBAO', '2026-10-30')).holds).toBe(true);
    expect((await explain(db, id(P.child), 'CHILD_IN_DIFFICULTY')).holds).toBe(true);
  });
});

describe('the nine categories explained, on the sample city', () => {
  let db: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openTestDatabase();
    await loadSampleSet(db);
  }, 180_000);
  afterAll(async () => {
    await db.drop();
  });

  it('agree with weijiu_categories for people of every category and people of none', async () => {
    // for each category, three people who hold it and three who come nearest (its programme or
    // register names them, or they hold another category)
    const { rows } = await db.pool.query<{ id: string }>(
      `with listed as (select distinct c.person_id, c.category from weijiu_categories($1::date, $2::text) c),
            some_of_each as (select person_id from (select person_id, row_number() over (partition by category order by person_id) n from listed) x where n <= 3),
            near as (select person_id from (select b.person_id, row_number() over (partition by b.programme_code order by b.person_id desc) n
                                              from benefit b where b.person_id is not null and b.retired_at is null
                                               and not weijiu_active(b.valid_from, b.valid_to, $1::date)) x where n <= 3
                     union select person_id from registration where retired_at is null and valid_to < $1::date
                     union select person_id from disability_certificate where retired_at is null and status <> 'VALID'
                     union (select id from person order by id limit 3))
       select distinct person_id::text as id from (select person_id from some_of_each union select person_id from near) x order by 1 limit 120`,
      [SAMPLE_AS_OF, CITY],
    );
    const people = rows.map((r) => r.id);
    expect(people.length).toBeGreaterThan(27);
    const listed = await categoriesOf(db, SAMPLE_AS_OF, people);
    const explained = new Set<string>();
    for (const personId of people) {
      for (const category of CATEGORIES) {
        if ((await explain(db, personId, category, SAMPLE_AS_OF)).holds) explained.add(`${personId}|${category}`);
      }
    }
    expect([...explained].sort()).toEqual([...listed].sort());
  }, 300_000);
});
