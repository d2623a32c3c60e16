import { type RuleCase } from '../cases/ruleCase';
import { enrollmentOf, idNo } from '../cases/caseBuilders';

const HEAD = idNo('37100319700503297');
const SPOUSE = idNo('37100319720811298');
const key = `G6|household|${HEAD}`;

const WENDENG = '371003105209'; // city-wide rows: 2026 rural standard 1030 → floor 12 × 1030 = 12360
const RONGCHENG = '371082102215'; // 荣成市 keeps its own 2025 row: 1000 → floor 12000
const HUANCUI = '371002001001';

type Enrollment = ReturnType<typeof enrollment>;

/** G6 in situations: a poverty-relief snapshot (header → cell text, one row per member) and the civil-affairs household with the same head. */
const snapshot = (income: string, region = WENDENG, o: { status?: string; monitoring?: string } = {}) =>
  [HEAD, SPOUSE].map((member, i) => ({
    户编号: `${region.slice(0, 9)}901`, 户主身份证号: HEAD, 成员身份证号: member, 成员姓名: i === 0 ? '孙立国' : '王秀兰',
    与户主关系: i === 0 ? '01' : '02', 识别年度: '2016', 脱贫状态: o.status ?? '已脱贫', 监测对象类型: o.monitoring ?? '', 主要风险: '缺劳力',
    家庭年人均纯收入: income, 区划代码: region,
  }));
const household = (enrollments: Enrollment[], o: { region?: string; hjxz?: string } = {}) => ({
  hh_id: 'MZ-371003-900031',
  hzsfzh: HEAD,
  jtdz: '测试地址31号',
  qhdm: o.region ?? WENDENG,
  hjxz: o.hjxz ?? '农村',
  members: [
    { sfzh: HEAD, xm: '孙立国', yhzgx: '01', zlnl: '全自理' },
    { sfzh: SPOUSE, xm: '王秀兰', yhzgx: '02', zlnl: '全失能' },
  ],
  enrollments,
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
const enrollment = enrollmentOf(SPOUSE);
const death = (sfzh: string, n: number) => ({ swzmbh: `SZ37100320260093${n}`, sfzh, xm: '某', swrq: '2026-08-01', qhdm: WENDENG });

export const G6Cases: RuleCase[] = [
  {
    name: 'income 12359.99 under 12 × the 2026 rural standard (12360), nobody DIBAO or TEKUN',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('12359.99') } },
    expect: [key],
  },
  {
    name: 'income exactly 12 × the rural standard (12360.00) is not under it',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('12360.00') } },
    expect: [],
    expectNot: [key],
  },
  {
    name: '荣成市 keeps its own 2025 row (1000): 11999.99 is under its floor of 12000',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('11999.99', RONGCHENG) } },
    expect: [key],
  },
  {
    name: '荣成市: 12100 is at least its floor of 12000, although the newer city-wide row would give 12360',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('12100.00', RONGCHENG) } },
    expect: [],
    expectNot: [key],
  },
  {
    name: 'the standard of d: in 2025 the city-wide rural standard was 980 (floor 11760)',
    asOf: '2025-06-30',
    feeds: { poverty: { date: '2025-06-30', rows: snapshot('12000.00') } },
    expect: [],
  },
  {
    name: 'the same income in 2026, under the new floor of 12360',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('12000.00') } },
    expect: [key],
  },
  {
    name: 'an urban (城镇) household is still measured by the rural standard: 13000 is not under 12360',
    asOf: '2026-10-31',
    feeds: {
      poverty: { date: '2026-10-31', rows: snapshot('13000.00', HUANCUI) },
      civilAffairs: { households: [household([enrollment('DSR')], { region: HUANCUI, hjxz: '城镇' })] },
    },
    expect: [],
  },
  {
    name: 'the 未脱贫 or monitoring status does not matter',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('9000.00', WENDENG, { status: '未脱贫', monitoring: '脱贫不稳定户' }) } },
    expect: [key],
  },
  {
    name: 'the household already has DB on d (兜底): no gap',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('9000.00') }, civilAffairs: { households: [household([enrollment('DB')])] } },
    expect: [],
  },
  {
    name: 'one member is TEKUN on d: no gap',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('9000.00') }, civilAffairs: { households: [household([enrollment('TK')])] } },
    expect: [],
  },
  {
    name: 'DB ended the day before d: a gap again',
    asOf: '2026-10-31',
    feeds: {
      poverty: { date: '2026-10-31', rows: snapshot('9000.00') },
      civilAffairs: { households: [household([enrollment('DB', '2024-01-01', '2026-10-30')])] },
    },
    expect: [key],
  },
  {
    name: 'low-income recognition (DSR) is not 兜底',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('9000.00') }, civilAffairs: { households: [household([enrollment('DSR')])] } },
    expect: [key],
  },
  {
    name: 'the head died but the spouse lives: still a gap',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('9000.00') }, health: { deaths: [death(HEAD, 1)] } },
    expect: [key],
  },
  {
    name: 'every member died: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: snapshot('9000.00') }, health: { deaths: [death(HEAD, 1), death(SPOUSE, 2)] } },
    expect: [],
  },
];
