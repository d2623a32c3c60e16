import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

/**
 * G8 in situations, as of 2026-10-31 (180 days before is 2026-05-04): the assisted programmes, the
 * ratings and renovation states, the day boundary, whose house it is, and death.
 */
const HEAD = idNo('37108219620301123');
const SPOUSE = idNo('37108219640402124');
const AS_OF = '2026-10-31';
const G8_HEAD = `G8|household|${HEAD}`;

const household = (enrollment: { xmdm: 'DB' | 'TK' | 'DSR'; ksrq?: string; zzrq?: string | null }) => ({
  hh_id: 'MZ-371082-900001',
  hzsfzh: HEAD,
  jtdz: '荣成市测试地址1号',
  qhdm: '371082010213',
  hjxz: '农村',
  members: [
    { sfzh: HEAD, xm: '张大山', yhzgx: '01', zlnl: '全自理' },
    { sfzh: SPOUSE, xm: '李秀英', yhzgx: '02', zlnl: '全自理' },
  ],
  enrollments: [
    {
      xmdm: enrollment.xmdm, bzje: enrollment.xmdm === 'DSR' ? null : '980.00', ksrq: enrollment.ksrq ?? '2020-01-01', zzrq: enrollment.zzrq ?? null,
      tkcy: enrollment.xmdm === 'TK' ? [HEAD] : null, gyfs: enrollment.xmdm === 'TK' ? '分散' : null, spjb: '镇街',
    },
  ],
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
/** a row of the 危房 sheet, as the housing bureau writes it */
const house = (鉴定等级: string, 鉴定日期: string, 改造状态: string, 户主身份证号 = HEAD) => ({
  序号: '1', 户主身份证号, 户主姓名: '张大山', 鉴定等级, 鉴定日期, 改造状态, 补助金额: '', 区划代码: '371082010213',
});
const death = (sfzh: string, swrq: string) => ({ swzmbh: `SZ371082${sfzh.slice(-6)}`, sfzh, xm: '张大山', swrq, qhdm: '371082010213' });
const ledger = (...rows: Array<Record<string, string>>) => ({ date: AS_OF, dangerousHouses: rows });

export const G8Cases: RuleCase[] = [
  {
    name: 'a DB household head in a C house, unrepaired, assessed 181 days before d',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB' })] }, housing: ledger(house('C', '2026-05-03', '未改造')) },
    expect: [G8_HEAD],
  },
  {
    name: 'assessed exactly 180 days before d: not yet "more than 180 days"',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB' })] }, housing: ledger(house('C', '2026-05-04', '未改造')) },
    expect: [],
    expectNot: [G8_HEAD],
  },
  {
    name: 'a D house assessed years ago, still unrepaired',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB' })] }, housing: ledger(house('D', '2021-06-04', '未改造')) },
    expect: [G8_HEAD],
  },
  {
    name: 'a B house (not dangerous) unrepaired for years: no gap',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB' })] }, housing: ledger(house('B', '2021-06-04', '未改造')) },
    expect: [],
  },
  {
    name: 'a C house being renovated (改造中): no gap',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB' })] }, housing: ledger(house('C', '2021-06-04', '改造中')) },
    expect: [],
  },
  {
    name: 'a D house already renovated (已改造): no gap',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB' })] }, housing: ledger(house('D', '2021-06-04', '已改造')) },
    expect: [],
  },
  {
    name: 'the head of a TK household in a dangerous house',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'TK' })] }, housing: ledger(house('C', '2022-08-26', '未改造')) },
    expect: [G8_HEAD],
  },
  {
    name: 'the head of a low-income (DSR) household in a dangerous house',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DSR' })] }, housing: ledger(house('C', '2022-08-26', '未改造')) },
    expect: [G8_HEAD],
  },
  {
    name: 'DB ended the day before d: no assisted household on d',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB', zzrq: '2026-10-30' })] }, housing: ledger(house('C', '2022-08-26', '未改造')) },
    expect: [],
  },
  {
    name: 'DB ends on d (inclusive): still assisted, a gap',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB', zzrq: AS_OF })] }, housing: ledger(house('C', '2022-08-26', '未改造')) },
    expect: [G8_HEAD],
  },
  {
    name: 'the dangerous house is recorded under the spouse, not the head: not this rule',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household({ xmdm: 'DB' })] }, housing: ledger(house('C', '2022-08-26', '未改造', SPOUSE)) },
    expect: [],
    expectNot: [G8_HEAD, `G8|household|${SPOUSE}`],
  },
  {
    name: 'a dangerous house of someone with no DB, TK or DSR household: not this rule',
    asOf: AS_OF,
    feeds: { housing: ledger(house('D', '2022-08-26', '未改造')) },
    expect: [],
  },
  {
    name: 'the head died on d but his wife still lives in the house: a gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household({ xmdm: 'DB' })] },
      housing: ledger(house('C', '2022-08-26', '未改造')),
      health: { deaths: [death(HEAD, AS_OF)] },
    },
    expect: [G8_HEAD],
  },
  {
    name: 'the head and his wife both deceased on d: nobody deceased on d is a gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household({ xmdm: 'DB' })] },
      housing: ledger(house('C', '2022-08-26', '未改造')),
      health: { deaths: [death(HEAD, '2026-09-01'), death(SPOUSE, AS_OF)] },
    },
    expect: [],
    expectNot: [G8_HEAD],
  },
];
