import { type RuleCase } from '../cases/ruleCase';
import { deathCertificate, enrollmentOf, household, idNo, member, povertyReliefHousehold, povertySnapshot, type Enrollment } from '../cases/caseBuilders';

/** G6 in situations: a poverty-relief household (head and spouse) of a given income and the civil-affairs household with the same head. */
const HEAD = idNo('37100319700503297');
const SPOUSE = idNo('37100319720811298');
const key = `G6|household|${HEAD}`;

const WENDENG = '371003105209'; // city-wide rows: 2026 rural standard 1030 → floor 12 × 1030 = 12360
const RONGCHENG = '371082102215'; // 荣成市 keeps its own 2025 row: 1000 → floor 12000
const HUANCUI = '371002001001';

/** the couple as a registered-poor household (缺劳力) with a yearly net income a head of `income`, in 文登区 unless said */
const registeredPoor = (income: string, region = WENDENG, o: { status?: '已脱贫' | '未脱贫'; monitoring?: string } = {}) =>
  povertyReliefHousehold(HEAD, [{ person: HEAD, relation: '01', name: '孙立国' }, { person: SPOUSE, relation: '02', name: '王秀兰' }], {
    ...o, householdNo: `${region.slice(0, 9)}901`, region, risk: '缺劳力', income,
  });
/** the couple's civil-affairs household, rural in 文登区 unless said */
const civilAffairsHousehold = (enrollments: Enrollment[], o: { region?: string; hukou?: '城镇' | '农村' } = {}) =>
  household(HEAD, {
    hhId: 'MZ-371003-900031', region: o.region ?? WENDENG, address: '测试地址31号', hukou: o.hukou ?? '农村', enrollments, updated: '2026-01-05T10:00:00+08:00',
    members: [member(HEAD, { name: '孙立国' }), member(SPOUSE, { name: '王秀兰', relation: '02', selfCare: '全失能' })],
  });
const enrollment = enrollmentOf(SPOUSE);
const diedInAugust = (person: string, n: number) => deathCertificate(person, '2026-08-01', { number: `SZ37100320260093${n}`, region: WENDENG });

export const G6Cases: RuleCase[] = [
  {
    name: 'income 12359.99 under 12 × the 2026 rural standard (12360), nobody DIBAO or TEKUN',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('12359.99')) },
    expect: [key],
  },
  {
    name: 'income exactly 12 × the rural standard (12360.00) is not under it',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('12360.00')) },
    expect: [],
    expectNot: [key],
    decidedBy: 'UNDER_DIBAO_FLOOR',
  },
  {
    name: '荣成市 keeps its own 2025 row (1000): 11999.99 is under its floor of 12000',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('11999.99', RONGCHENG)) },
    expect: [key],
  },
  {
    name: '荣成市: 12100 is at least its floor of 12000, although the newer city-wide row would give 12360',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('12100.00', RONGCHENG)) },
    expect: [],
    expectNot: [key],
    decidedBy: 'UNDER_DIBAO_FLOOR',
  },
  {
    name: 'the standard of d: in 2025 the city-wide rural standard was 980 (floor 11760)',
    asOf: '2025-06-30',
    feeds: { poverty: povertySnapshot('2025-06-30', registeredPoor('12000.00')) },
    expect: [],
    expectNot: [key],
    decidedBy: 'UNDER_DIBAO_FLOOR',
  },
  {
    name: 'the same income in 2026, under the new floor of 12360',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('12000.00')) },
    expect: [key],
  },
  {
    name: 'an urban (城镇) household is still measured by the rural standard: 13000 is not under 12360',
    asOf: '2026-10-31',
    feeds: {
      poverty: povertySnapshot('2026-10-31', registeredPoor('13000.00', HUANCUI)),
      civilAffairs: { households: [civilAffairsHousehold([enrollment('DSR')], { region: HUANCUI, hukou: '城镇' })] },
    },
    expect: [],
    expectNot: [key],
    decidedBy: 'UNDER_DIBAO_FLOOR',
  },
  {
    name: 'the 未脱贫 or monitoring status does not matter',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('9000.00', WENDENG, { status: '未脱贫', monitoring: '脱贫不稳定户' })) },
    expect: [key],
  },
  {
    name: 'the household already has DB on d (兜底): no gap',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('9000.00')), civilAffairs: { households: [civilAffairsHousehold([enrollment('DB')])] } },
    expect: [],
    expectNot: [key],
    decidedBy: 'NO_DIBAO_OR_TEKUN_MEMBER',
  },
  {
    name: 'one member is TEKUN on d: no gap',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('9000.00')), civilAffairs: { households: [civilAffairsHousehold([enrollment('TK')])] } },
    expect: [],
    expectNot: [key],
    decidedBy: 'NO_DIBAO_OR_TEKUN_MEMBER',
  },
  {
    name: 'DB ended on 30 October, the day before d: a gap again',
    asOf: '2026-10-31',
    feeds: {
      poverty: povertySnapshot('2026-10-31', registeredPoor('9000.00')),
      civilAffairs: { households: [civilAffairsHousehold([enrollment('DB', '2024-01-01', '2026-10-30')])] },
    },
    expect: [key],
  },
  {
    name: 'low-income recognition (DSR) is not 兜底',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('9000.00')), civilAffairs: { households: [civilAffairsHousehold([enrollment('DSR')])] } },
    expect: [key],
  },
  {
    name: 'the head died but the spouse lives: still a gap',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('9000.00')), health: { deaths: [diedInAugust(HEAD, 1)] } },
    expect: [key],
  },
  {
    name: 'every member died: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: { poverty: povertySnapshot('2026-10-31', registeredPoor('9000.00')), health: { deaths: [diedInAugust(HEAD, 1), diedInAugust(SPOUSE, 2)] } },
    expect: [],
    expectNot: [key],
    decidedBy: 'SOMEONE_ALIVE',
  },
];
