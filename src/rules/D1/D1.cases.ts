import { type RuleCase } from '../cases/ruleCase';
import { householdWithDibao, idNo, member, publicHousingSheet, publicHousingTenant, studentInTerm, temporaryAid, termFile } from '../cases/caseBuilders';

/**
 * D1 in situations. (a) repeat 临时救助 grants to one household in a calendar year: the approved
 * repeat (ldxz_pzwh), the year boundary, a grant not yet paid on d, grants to two households, a
 * person with no household. (b) the same aid in one term under two 学籍号, and its near misses.
 */
const HEAD = idNo('37100219700101123');
const WIFE = idNo('37100219720202124');
const NEIGHBOUR = idNo('37100219650303125');
const LONER = idNo('37100219800404126');
const PUPIL = idNo('37100320160106589');

const family = householdWithDibao(HEAD, { members: [member(HEAD), member(WIFE, { name: '李秀英', relation: '02' })] });
const neighbours = householdWithDibao(NEIGHBOUR, { hhId: 'MZ-371002-900002', members: [member(NEIGHBOUR, { name: '张志强' })] });

/** 临时救助 of 3000 yuan approved by the county, its id named because a household has several in a year */
const aid = (id: string, person: string, paidOn: string, repeatApproval: string | null = null) =>
  temporaryAid(person, paidOn, { id, name: '受助人', amount: '3000.00', approvedBy: '区市', repeatApproval });

/** Household findings of (a): definition D1a. */
export const D1HouseholdCases: RuleCase[] = [
  {
    // rules.md "household": else, for a housing applicant, a household of the applicant alone —
    // before weijiu_person_household held that case (only G9 had it), this was a person finding
    name: 'a public-housing tenant no register lists receives two grants in one year: their own household is the subject',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { grants: [aid('LS-2026-900001', LONER, '2026-02-10'), aid('LS-2026-900002', LONER, '2026-08-11')] },
      housing: publicHousingSheet('2026-10-31', publicHousingTenant(LONER, '2025-03-25', { name: '赵磊' })),
    },
    expect: [`D1|household|${LONER}|a|2026-08-11`],
  },
  {
    name: 'husband in January, wife in September of the same year, the second without approval: a finding on its payment day',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [family], grants: [aid('LS-2026-900001', HEAD, '2026-01-15'), aid('LS-2026-900002', WIFE, '2026-09-23')] },
    },
    expect: [`D1|household|${HEAD}|a|2026-09-23`],
    expectNot: [`D1|household|${HEAD}|a|2026-01-15`],
    decidedBy: 'SECOND_GRANT_IN_YEAR',
  },
  {
    name: 'the second grant carries the leading group approval (ldxz_pzwh): re-assistance approved',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [family],
        grants: [aid('LS-2026-900001', HEAD, '2026-01-15'), aid('LS-2026-900002', WIFE, '2026-09-23', '威救领办〔2026〕57号')],
      },
    },
    expect: [],
    expectNot: [`D1|household|${HEAD}|a|2026-09-23`],
    decidedBy: 'NO_REPEAT_APPROVAL',
  },
  {
    name: 'an approved second grant still counts as earlier: the unapproved third one is a finding',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [family],
        grants: [
          aid('LS-2026-900001', HEAD, '2026-01-15'),
          aid('LS-2026-900002', WIFE, '2026-05-20', '威救领办〔2026〕57号'),
          aid('LS-2026-900003', HEAD, '2026-10-08'),
        ],
      },
    },
    expect: [`D1|household|${HEAD}|a|2026-10-08`],
    expectNot: [`D1|household|${HEAD}|a|2026-05-20`],
    decidedBy: 'NO_REPEAT_APPROVAL',
  },
  {
    name: 'paid on 31 December and 1 January: two calendar years, no repeat',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [family], grants: [aid('LS-2025-900001', HEAD, '2025-12-31'), aid('LS-2026-900001', WIFE, '2026-01-01')] } },
    expect: [],
    expectNot: [`D1|household|${HEAD}|a|2026-01-01`],
    decidedBy: 'SECOND_GRANT_IN_YEAR',
  },
  {
    name: 'two grants paid on the same day: one finding for that day',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [family], grants: [aid('LS-2026-900001', HEAD, '2026-03-02'), aid('LS-2026-900002', WIFE, '2026-03-02')] } },
    expect: [`D1|household|${HEAD}|a|2026-03-02`],
  },
  {
    name: 'the second grant is paid after d: not yet a finding',
    asOf: '2026-09-22',
    feeds: {
      civilAffairs: { households: [family], grants: [aid('LS-2026-900001', HEAD, '2026-01-15'), aid('LS-2026-900002', WIFE, '2026-09-23')] },
    },
    expect: [],
    expectNot: [`D1|household|${HEAD}|a|2026-09-23`],
    decidedBy: 'PAID_ON_OR_BEFORE_D',
  },
  {
    name: 'one grant each to two different households in one year: no repeat',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [family, neighbours],
        grants: [aid('LS-2026-900001', HEAD, '2026-01-15'), aid('LS-2026-900002', NEIGHBOUR, '2026-09-23')],
      },
    },
    expect: [],
    expectNot: [`D1|household|${NEIGHBOUR}|a|2026-09-23`],
    decidedBy: 'SECOND_GRANT_IN_YEAR',
  },
];

/** 学生资助 ledger rows of the autumn term 2026: a fourth-year pupil of 环翠区 with the aid and amount said */
const TERM = '2026-2027_1';
const FIRST_SCHOOL = { name: '刘子涵', school: '环翠区实验小学', grade: '四年级', region: '371003001205' };
const SECOND_SCHOOL = { ...FIRST_SCHOOL, studentNo: 'L3710032026000001', school: '环翠区第二实验小学' };
const LIVING_AID = { aid: '义务教育生活补助', amount: '500.00' };
/** the pupil's finding of (b) for the living subsidy of that term */
const AID_IN_TERM = `D1|person|${PUPIL}|b|${TERM}|义务教育生活补助`;

/** Person findings: (a) for a recipient with no household, and (b). Definition D1b. */
export const D1PersonCases: RuleCase[] = [
  {
    name: 'a person in no household receives two grants in one year: the person is the subject',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [aid('LS-2026-900001', LONER, '2026-02-10'), aid('LS-2026-900002', LONER, '2026-08-11')] } },
    expect: [`D1|person|${LONER}|a|2026-08-11`],
  },
  {
    name: 'a household member: the household is the subject, not the person',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [family], grants: [aid('LS-2026-900001', HEAD, '2026-02-10'), aid('LS-2026-900002', HEAD, '2026-08-11')] },
    },
    expect: [],
    expectNot: [`D1|person|${HEAD}|a|2026-08-11`],
    decidedBy: 'NO_HOUSEHOLD',
  },
  {
    name: 'the same compulsory-education living subsidy in one term under two 学籍号',
    asOf: '2026-10-31',
    feeds: {
      education: termFile(TERM, studentInTerm(PUPIL, TERM, { ...FIRST_SCHOOL, ...LIVING_AID }), studentInTerm(PUPIL, TERM, { ...SECOND_SCHOOL, ...LIVING_AID })),
    },
    expect: [AID_IN_TERM],
  },
  {
    name: 'the same row delivered twice: one 学籍号, no repeat',
    asOf: '2026-10-31',
    feeds: {
      education: termFile(TERM, studentInTerm(PUPIL, TERM, { ...FIRST_SCHOOL, ...LIVING_AID }), studentInTerm(PUPIL, TERM, { ...FIRST_SCHOOL, ...LIVING_AID })),
    },
    expect: [],
    expectNot: [AID_IN_TERM],
    decidedBy: 'SAME_AID_UNDER_TWO_STUDENT_NOS',
  },
  {
    name: 'two 学籍号 with different aids: not the same aid',
    asOf: '2026-10-31',
    feeds: {
      education: termFile(
        TERM,
        studentInTerm(PUPIL, TERM, { ...FIRST_SCHOOL, ...LIVING_AID }),
        studentInTerm(PUPIL, TERM, { ...SECOND_SCHOOL, aid: '免学费', amount: '800.00' }),
      ),
    },
    expect: [],
    expectNot: [AID_IN_TERM],
    decidedBy: 'SAME_AID_UNDER_TWO_STUDENT_NOS',
  },
  {
    name: 'two 学籍号, the second enrolled without aid: no repeat',
    asOf: '2026-10-31',
    feeds: {
      education: termFile(TERM, studentInTerm(PUPIL, TERM, { ...FIRST_SCHOOL, ...LIVING_AID }), studentInTerm(PUPIL, TERM, SECOND_SCHOOL)),
    },
    expect: [],
    expectNot: [AID_IN_TERM],
    decidedBy: 'SAME_AID_UNDER_TWO_STUDENT_NOS',
  },
  {
    name: 'the term begins after d (autumn term from 1 September): not yet a finding',
    asOf: '2026-08-31',
    feeds: {
      education: termFile(TERM, studentInTerm(PUPIL, TERM, { ...FIRST_SCHOOL, ...LIVING_AID }), studentInTerm(PUPIL, TERM, { ...SECOND_SCHOOL, ...LIVING_AID })),
    },
    expect: [],
    expectNot: [AID_IN_TERM],
    decidedBy: 'TERM_BEGUN',
  },
];
