import { type RuleCase } from '../cases/ruleCase';
import { dibao, household, idNo, member, orphanAllowance, tekun, unsupportedChildAllowance } from '../cases/caseBuilders';

/** D2 in situations: each pair, the overlap that is not yet reached on d, and adjacent periods that do not overlap. */
const OLD_MAN = idNo('37100219500101123');
const CHILD = idNo('37100220150101123');
const DB_TK = `D2|person|${OLD_MAN}|DB+TK`;
const GE_SW = `D2|person|${CHILD}|GE+SW`;

/** the old man's household of one, with its enrollments */
const oldMansHousehold = (...enrollments: ReturnType<typeof dibao>[]) =>
  household(OLD_MAN, { members: [member(OLD_MAN, { name: '王老汉', selfCare: '半失能' })], enrollments, updated: '2026-01-05T10:00:00+08:00' });
const child = { name: '王小宝' };

export const D2Cases: RuleCase[] = [
  {
    name: 'a member of a DB household also supported as TK from 1 June 2025: DB and TK share every day since',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [oldMansHousehold(dibao('2025-01-01'), tekun(OLD_MAN, '2025-06-01'))] } },
    expect: [DB_TK],
  },
  {
    name: 'DB ended on 31 May, the day before TK started: no common day',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [oldMansHousehold(dibao('2025-01-01', { until: '2025-05-31' }), tekun(OLD_MAN, '2025-06-01'))] } },
    expect: [],
    expectNot: [DB_TK],
    decidedBy: 'SAME_DAY_ON_OR_BEFORE_D',
  },
  {
    name: 'the overlap begins on 1 June, the day after d: not yet a finding',
    asOf: '2025-05-31',
    feeds: { civilAffairs: { households: [oldMansHousehold(dibao('2025-01-01'), tekun(OLD_MAN, '2025-06-01'))] } },
    expect: [],
    expectNot: [DB_TK],
    decidedBy: 'SAME_DAY_ON_OR_BEFORE_D',
  },
  {
    name: 'an orphan allowance ending on 31 December and a de facto unsupported child allowance starting that day: one common day',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { grants: [orphanAllowance(CHILD, '2025-01-01', { ...child, until: '2025-12-31' }), unsupportedChildAllowance(CHILD, '2025-12-31', child)] },
    },
    expect: [GE_SW],
  },
  {
    name: 'the orphan allowance ends on 30 December, replaced by SW the next day: no common day',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { grants: [orphanAllowance(CHILD, '2025-01-01', { ...child, until: '2025-12-30' }), unsupportedChildAllowance(CHILD, '2025-12-31', child)] },
    },
    expect: [],
    expectNot: [GE_SW],
    decidedBy: 'SAME_DAY_ON_OR_BEFORE_D',
  },
];
