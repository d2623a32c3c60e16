import { type RuleCase } from '../cases/ruleCase';
import { dibao, household, idNo, lowIncome, member, tekun, type Enrollment, type Member } from '../cases/caseBuilders';

/**
 * D5 in situations: a child listed in the households of both separated parents. Both households
 * with DB (or one with DSR) on a common day on or before d is a finding; a second household with
 * only TK, DB periods that follow each other without a common day, a common day after d, and a
 * child no longer listed in the newest version of one household are not.
 */
const FATHER = idNo('37108219800101123');
const MOTHER = idNo('37108219820202124');
const CHILD = idNo('37108220131028472');
const FINDING = `D5|person|${CHILD}`;

/** a parent's household in 荣成市 that lists the daughter (relation 20) unless said; every enrollment at 1000 yuan */
const parentsHousehold = (hhId: string, parent: Member, enrollments: Enrollment[], o: { childListed?: boolean; updated?: string } = {}) =>
  household(parent.sfzh, {
    hhId, region: '371082103211', address: '荣成市测试地址8号', hukou: '农村', enrollments, updated: o.updated,
    members: [parent, ...(o.childListed === false ? [] : [member(CHILD, { name: '隋小雨', relation: '20' })])],
  });
const fathers = (enrollments: Enrollment[], o?: { childListed?: boolean; updated?: string }) =>
  parentsHousehold('MZ-371082-900005', member(FATHER, { name: '隋建军' }), enrollments, o);
const mothers = (enrollments: Enrollment[]) => parentsHousehold('MZ-371082-900006', member(MOTHER, { name: '王丽' }), enrollments);
/** both parents' enrollments pay 1000 yuan a month */
const AT_1000 = { amount: '1000.00' };

export const D5Cases: RuleCase[] = [
  {
    name: "a child listed in both parents' DB households",
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([dibao('2017-07-11', AT_1000)]), mothers([dibao('2023-09-08', AT_1000)])] } },
    expect: [FINDING],
    expectNot: [`D5|person|${FATHER}`, `D5|person|${MOTHER}`],
    decidedBy: 'LISTED_IN_TWO_ASSISTED_HOUSEHOLDS',
  },
  {
    name: "DB in the father's household, low-income recognition (DSR) in the mother's",
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([dibao('2024-01-01', AT_1000)]), mothers([lowIncome('2025-03-01', AT_1000)])] } },
    expect: [FINDING],
  },
  {
    name: 'the second household has only TK',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [fathers([dibao('2024-01-01', AT_1000)]), mothers([tekun(MOTHER, '2023-08-17', { ...AT_1000, approvedBy: '镇街' })])] },
    },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'LISTED_IN_TWO_ASSISTED_HOUSEHOLDS',
  },
  {
    name: "the father's DB ended on 30 June, the day before the mother's began: no common day",
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([dibao('2024-01-01', { ...AT_1000, until: '2025-06-30' })]), mothers([dibao('2025-07-01', AT_1000)])] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'COMMON_ASSISTED_DAY',
  },
  {
    name: "the father's DB ended on 1 July, the day the mother's began: one common day",
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([dibao('2024-01-01', { ...AT_1000, until: '2025-07-01' })]), mothers([dibao('2025-07-01', AT_1000)])] } },
    expect: [FINDING],
  },
  {
    name: 'the common days begin on 1 November, after d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([dibao('2024-01-01', AT_1000)]), mothers([dibao('2026-11-01', AT_1000)])] } },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'COMMON_ASSISTED_DAY',
  },
  {
    name: "listed in both until June 2024, when the newest version of the father's household dropped the child",
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [
          fathers([dibao('2017-07-11', AT_1000)]),
          fathers([dibao('2017-07-11', AT_1000)], { childListed: false, updated: '2024-06-01T09:00:00+08:00' }),
          mothers([dibao('2023-09-08', AT_1000)]),
        ],
      },
    },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'LISTED_IN_TWO_ASSISTED_HOUSEHOLDS',
  },
];
