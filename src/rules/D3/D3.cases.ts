import { type RuleCase } from '../cases/ruleCase';
import {
  deathCertificate, dibao, disabilityCertificate, household, idNo, lowIncome, member, nursingSubsidy, tekun, temporaryAid, type Enrollment,
} from '../cases/caseBuilders';

/**
 * D3 in situations, around a father's death on 15 March 2026. (i) the month following the month of
 * death ends on 30 April: a cash programme running on 1 May is a finding, one ending on 30 April is
 * not. (ii) `after_death_grace_days` = 60 (15 March + 60 days = 14 May): DB running on 15 May,
 * day 61, is a finding, DB ending on 14 May is not; a person no longer listed is not.
 * (iii) an LS grant paid the day after the death is a finding, one paid on the day of death is not.
 */
const FATHER = idNo('37100219400101123');
const SON = idNo('37100219650202124');
const DIED = '2026-03-15';
const FINDING = `D3|person|${FATHER}`;

const fatherDied = (on = DIED) => deathCertificate(FATHER, on, { number: 'SZ371002202690001', name: '王老汉' });
const father = { name: '王老汉' };

/** the son's household, which lists his father (relation 51) unless said */
const sonsHousehold = (enrollments: Enrollment[], o: { fatherListed?: boolean; updated?: string } = {}) =>
  household(SON, {
    members: [member(SON), ...(o.fatherListed === false ? [] : [member(FATHER, { ...father, relation: '51', selfCare: '全失能' })])],
    enrollments,
    updated: o.updated ?? '2025-01-05T10:00:00+08:00',
  });
/** the father's TK since 2024 */
const fathersTekun = (until: string | null) => tekun(FATHER, '2024-01-01', { until });
/** the household's DB since 2024, approved by the county */
const householdDibao = (until: string | null) => dibao('2024-01-01', { until, approvedBy: '区市' });
/** the father's grade-1 certificate with a nursing subsidy since 2020 */
const nursedCertificate = (until: string | null) =>
  disabilityCertificate(FATHER, {
    ...father, grade: 1, issueDate: '2019-05-12', validUntil: '2029-05-11', subsidies: [nursingSubsidy('2020-01-01', until)], modifiedAt: '2025-01-05T10:00:00+08:00',
  });
const aidPaid = (on: string) => temporaryAid(FATHER, on, father);

export const D3Cases: RuleCase[] = [
  {
    name: '(i) TK still running on 1 May, the first day after the month following the death',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [sonsHousehold([fathersTekun('2026-05-01')])] }, health: { deaths: [fatherDied()] } },
    expect: [FINDING],
  },
  {
    name: '(i) TK ends on 30 April, the end of the month following the death: stopped in time',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [sonsHousehold([fathersTekun('2026-04-30')])] }, health: { deaths: [fatherDied()] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'CASH_AFTER_FOLLOWING_MONTH',
  },
  {
    name: '(i) a death on 31 January: the following month ends on 28 February, TK on 1 March is a finding',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [sonsHousehold([fathersTekun('2026-03-01')])] }, health: { deaths: [fatherDied('2026-01-31')] } },
    expect: [FINDING],
  },
  {
    name: '(i) TK still open but d is 30 April: not yet after the end of the following month',
    asOf: '2026-04-30',
    feeds: { civilAffairs: { households: [sonsHousehold([fathersTekun(null)])] }, health: { deaths: [fatherDied()] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'CASH_AFTER_FOLLOWING_MONTH',
  },
  {
    name: '(i) TK still open on 1 May, d = 1 May',
    asOf: '2026-05-01',
    feeds: { civilAffairs: { households: [sonsHousehold([fathersTekun(null)])] }, health: { deaths: [fatherDied()] } },
    expect: [FINDING],
  },
  {
    name: '(i) the disability nursing subsidy still open after the death',
    asOf: '2026-10-31',
    feeds: { disability: [nursedCertificate(null)], health: { deaths: [fatherDied()] } },
    expect: [FINDING],
  },
  {
    name: '(i) the nursing subsidy ended on 30 April, the end of the following month',
    asOf: '2026-10-31',
    feeds: { disability: [nursedCertificate('2026-04-30')], health: { deaths: [fatherDied()] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'CASH_AFTER_FOLLOWING_MONTH',
  },
  {
    name: '(ii) still listed, DB running on day 61 after the death (15 May)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [sonsHousehold([householdDibao('2026-05-15')])] }, health: { deaths: [fatherDied()] } },
    expect: [FINDING],
  },
  {
    name: '(ii) still listed, DB ended on day 60 after the death (14 May): within the grace',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [sonsHousehold([householdDibao('2026-05-14')])] }, health: { deaths: [fatherDied()] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'HOUSEHOLD_AID_AFTER_GRACE',
  },
  {
    name: '(ii) DB open, but d is day 60 after the death (14 May)',
    asOf: '2026-05-14',
    feeds: { civilAffairs: { households: [sonsHousehold([householdDibao(null)])] }, health: { deaths: [fatherDied()] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'HOUSEHOLD_AID_AFTER_GRACE',
  },
  {
    name: '(ii) a low-income recognition (DSR) still covering a listed deceased member',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [sonsHousehold([lowIncome('2025-01-01', { amount: '900.00', approvedBy: '区市' })])] },
      health: { deaths: [fatherDied()] },
    },
    expect: [FINDING],
  },
  {
    name: '(ii) DB goes on for the family, but the newest version (2 April) no longer lists the deceased',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [
          sonsHousehold([householdDibao(null)]),
          sonsHousehold([householdDibao(null)], { fatherListed: false, updated: '2026-04-02T09:00:00+08:00' }),
        ],
      },
      health: { deaths: [fatherDied()] },
    },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'STILL_LISTED',
  },
  {
    name: '(iii) a temporary assistance grant paid on 16 March, the day after the death',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [aidPaid('2026-03-16')] }, health: { deaths: [fatherDied()] } },
    expect: [FINDING],
  },
  {
    name: '(iii) a grant paid on the day of death: not after it',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [aidPaid(DIED)] }, health: { deaths: [fatherDied()] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'LS_PAID_AFTER_DEATH',
  },
  {
    name: 'the death is on 1 November, after d: not deceased on d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [sonsHousehold([fathersTekun(null), householdDibao(null)])], grants: [aidPaid('2026-11-20')] },
      health: { deaths: [fatherDied('2026-11-01')] },
    },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'DECEASED',
  },
  {
    name: 'all three clauses for one person: one finding',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [sonsHousehold([fathersTekun(null), householdDibao(null)])], grants: [aidPaid('2026-06-01')] },
      health: { deaths: [fatherDied()] },
    },
    expect: [FINDING],
    expectNot: [`D3|person|${SON}`],
    decidedBy: 'DECEASED',
  },
];
