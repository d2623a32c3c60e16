import { type RuleCase } from '../cases/ruleCase';
import {
  deathCertificate, enrollmentOf, household, idNo, member, povertyReliefHousehold, povertySnapshot, studentInTerm, termFile, type Enrollment,
} from '../cases/caseBuilders';

/** G4 in situations: term files of the 学生资助 ledger, the household that makes the pupil DIBAO or TEKUN, poverty-relief households. */
const PUPIL = idNo('37108220151021573');
const PARENT = idNo('37108219850312573');
const NEWEST = '2026-2027_1';
const LAST = '2025-2026_2';
const key = (term = NEWEST) => `G4|person|${PUPIL}|${term}`;

const REGION = '371082102215';
/** the pupil's row in the newest term file: 在读 with no aid unless said */
const pupil = (o: Parameters<typeof studentInTerm>[2] = {}) => studentInTerm(PUPIL, NEWEST, o);
const newestTerm = (...rows: Array<Record<string, string>>) => termFile(NEWEST, ...rows);
/** the term file before the newest, with the pupil's row */
const lastTerm = (o: Parameters<typeof studentInTerm>[2] = {}) => termFile(LAST, studentInTerm(PUPIL, LAST, o));
/** the parent's household, which lists the pupil as a son (10) */
const parentsHousehold = (...enrollments: Enrollment[]) =>
  household(PARENT, {
    hhId: 'MZ-371082-900011', region: REGION, address: '荣成市测试地址11号', hukou: '农村', enrollments, updated: '2026-01-05T10:00:00+08:00',
    members: [member(PARENT, { name: '王建军' }), member(PUPIL, { name: '王子涵', relation: '10' })],
  });
const enrollment = enrollmentOf(PUPIL);
const dibao = { households: [parentsHousehold(enrollment('DB'))] };
const povertyRelief = (status: '已脱贫' | '未脱贫', monitoring = '') =>
  povertySnapshot('2026-10-31', povertyReliefHousehold(PARENT, [{ person: PARENT, relation: '01' }, { person: PUPIL, relation: '10' }], { region: REGION, status, monitoring, risk: '因学' }));

export const G4Cases: RuleCase[] = [
  {
    name: 'a DIBAO pupil 在读 with no aid in the newest term',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao, education: newestTerm(pupil()) },
    expect: [key()],
  },
  {
    name: 'a DIBAO pupil with 义务教育生活补助 in the newest term',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao, education: newestTerm(pupil({ aid: '义务教育生活补助' })) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'NO_AID_IN_TERM',
  },
  {
    name: 'aid (免学费) under a second 学籍号 in the same term counts',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao, education: newestTerm(pupil(), pupil({ studentNo: 'L3710822026000001', aid: '免学费' })) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'NO_AID_IN_TERM',
  },
  {
    name: 'a DIBAO pupil 休学 (suspended) is not 在读',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao, education: newestTerm(pupil({ status: '休学' })) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'ENROLLED_IN_NEWEST_TERM',
  },
  {
    name: 'a TEKUN pupil with no aid',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [parentsHousehold(enrollment('TK'))] }, education: newestTerm(pupil()) },
    expect: [key()],
  },
  {
    name: 'DB ended on 30 October, the day before d: not DIBAO on d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [parentsHousehold(enrollment('DB', '2024-01-01', '2026-10-30'))] }, education: newestTerm(pupil()) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'DIBAO_TEKUN_OR_POOR_HOUSEHOLD',
  },
  {
    name: 'a low-income (DSR) pupil is neither DIBAO nor TEKUN',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [parentsHousehold(enrollment('DSR'))] }, education: newestTerm(pupil()) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'DIBAO_TEKUN_OR_POOR_HOUSEHOLD',
  },
  {
    name: 'a member of a poverty-relief household 未脱贫',
    asOf: '2026-10-31',
    feeds: { poverty: povertyRelief('未脱贫'), education: newestTerm(pupil()) },
    expect: [key()],
  },
  {
    name: 'a member of a household 已脱贫 but monitored (边缘易致贫户)',
    asOf: '2026-10-31',
    feeds: { poverty: povertyRelief('已脱贫', '边缘易致贫户'), education: newestTerm(pupil()) },
    expect: [key()],
  },
  {
    name: 'a member of a household 已脱贫 and not monitored',
    asOf: '2026-10-31',
    feeds: { poverty: povertyRelief('已脱贫'), education: newestTerm(pupil()) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'DIBAO_TEKUN_OR_POOR_HOUSEHOLD',
  },
  {
    name: 'a pupil in no programme',
    asOf: '2026-10-31',
    feeds: { education: newestTerm(pupil()) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'DIBAO_TEKUN_OR_POOR_HOUSEHOLD',
  },
  {
    name: 'the newest term file is for a term that begins after d (1 September): no term to judge yet',
    asOf: '2026-08-31',
    feeds: { civilAffairs: dibao, education: newestTerm(pupil()) },
    expect: [],
    expectNot: [key()],
    decidedBy: 'ENROLLED_IN_NEWEST_TERM',
  },
  {
    name: 'the term begins on d (1 September)',
    asOf: '2026-09-01',
    feeds: { civilAffairs: dibao, education: newestTerm(pupil()) },
    expect: [key()],
  },
  {
    name: 'the pupil died: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibao,
      education: newestTerm(pupil()),
      health: { deaths: [deathCertificate(PUPIL, '2026-10-01', { number: 'SZ371082202600911', name: '王子涵', region: REGION })] },
    },
    expect: [],
    expectNot: [key()],
    decidedBy: 'ALIVE',
  },
];

/** Situations that need two term files (a case loads one term file; G4.test.ts loads these in order). */
export interface TermsCase {
  name: string;
  asOf: string;
  feeds: RuleCase['feeds'];
  terms: Array<ReturnType<typeof termFile>>;
  expect: string[];
  expectNot?: string[];
  /** the condition that decides the near misses (RuleCase's decidedBy) */
  decidedBy?: string;
}

export const G4TermsCases: TermsCase[] = [
  {
    name: 'aid last term but none in the newest term',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao },
    terms: [lastTerm({ aid: '义务教育生活补助' }), newestTerm(pupil())],
    expect: [key()],
  },
  {
    name: 'no aid last term, aid in the newest: only the newest term is judged',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao },
    terms: [lastTerm(), newestTerm(pupil({ aid: '义务教育生活补助' }))],
    expect: [],
    expectNot: [key(LAST)],
    decidedBy: 'ENROLLED_IN_NEWEST_TERM',
  },
  {
    name: 'as of a day in the spring term, the autumn file delivered early is not yet the newest',
    asOf: '2026-06-30',
    feeds: { civilAffairs: dibao },
    terms: [lastTerm(), newestTerm(pupil({ aid: '义务教育生活补助' }))],
    expect: [key(LAST)],
  },
];
