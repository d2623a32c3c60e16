import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

/**
 * G9 in situations, as of 2026-10-31: the recent window is 2025-11-01 (d−364) … 2026-10-31 and the
 * threshold 30000 is "at least". Who the household's members are follows rules.md: the
 * civil-affairs household that lists a person first, else the poverty-relief one.
 */
const AS_OF = '2026-10-31';
const HEAD = idNo('37100319821012027');
const WIFE = idNo('37100319840315028');
const FP_HEAD = idNo('37108219420622357');
const FP_SON = idNo('37108219700101357');
const TENANT = idNo('37107119800115489');
const G9_HEAD = `G9|household|${HEAD}`;

const household = (enrollments: object[] = [{ xmdm: 'DSR', bzje: null, ksrq: '2024-01-01', zzrq: null, tkcy: null, gyfs: null, spjb: '镇街' }]) => ({
  hh_id: 'MZ-371003-900001',
  hzsfzh: HEAD,
  jtdz: '文登区测试地址1号',
  qhdm: '371003101211',
  hjxz: '农村',
  members: [
    { sfzh: HEAD, xm: '赵建国', yhzgx: '01', zlnl: '全自理' },
    { sfzh: WIFE, xm: '孙丽', yhzgx: '02', zlnl: '全自理' },
  ],
  enrollments,
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
const DB_ACTIVE = { xmdm: 'DB', bzje: '1960.00', ksrq: '2024-01-01', zzrq: null, tkcy: null, gyfs: null, spjb: '镇街' };
const DB_ENDED = { ...DB_ACTIVE, zzrq: '2026-10-30' };
const TK_WIFE = { xmdm: 'TK', bzje: '1500.00', ksrq: '2024-01-01', zzrq: null, tkcy: [WIFE], gyfs: '分散', spjb: '区市' };

let settlementNo = 0;
/** a settlement with the given out-of-pocket part */
const settled = (sfzh: string, jsrq: string, grzf: string) => ({
  jsid: `JS2026${String(++settlementNo).padStart(6, '0')}`, sfzh, xm: '赵建国', jsrq,
  zfy: '60000.00', ybbx: '20000.00', yljz: '0.00', grzf, jbzd: 'C34.9', dbbz: '1',
});
const temporaryGrant = (sfzh: string, ffrq: string) => ({
  grant_id: 'LS-2026-900001', sfzh, xm: '赵建国', xmdm: 'LS', je: '3000.00', ffrq, ksrq: null, zzrq: null,
  qhdm: '371003101211', spjb: '镇街', ldxz_pzwh: null, updated_at: '2026-01-05T10:00:00+08:00', deleted: false,
});
const death = (sfzh: string, swrq: string) => ({ swzmbh: `SZ3710032026${sfzh.slice(-4)}`, sfzh, xm: '赵建国', swrq, qhdm: '371003101211' });
const povertyRow = (成员身份证号: string, 与户主关系: string) => ({
  户编号: '371082005216901', 户主身份证号: FP_HEAD, 成员身份证号, 成员姓名: '徐老汉', 与户主关系, 识别年度: '2015',
  脱贫状态: '已脱贫', 监测对象类型: '', 主要风险: '因病', 家庭年人均纯收入: '9800.00', 区划代码: '371082005216',
});
/** both spouses' bills: 18000 + 12000 = exactly the threshold */
const bills = [settled(HEAD, '2026-03-02', '18000.00'), settled(WIFE, '2026-07-15', '12000.00')];

export const G9Cases: RuleCase[] = [
  {
    name: "a low-income family whose members' out-of-pocket costs total exactly 30000.00 in the window",
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household()] }, health: { settlements: bills } },
    expect: [G9_HEAD],
  },
  {
    name: 'a total of 29999.99: below the threshold',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household()] },
      health: { settlements: [settled(HEAD, '2026-03-02', '18000.00'), settled(WIFE, '2026-07-15', '11999.99')] },
    },
    expect: [],
    expectNot: [G9_HEAD],
  },
  {
    name: 'a settlement on d−364 (2025-11-01) is inside the window',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household()] },
      health: { settlements: [settled(HEAD, '2025-11-01', '10000.00'), settled(WIFE, '2026-07-15', '20000.00')] },
    },
    expect: [G9_HEAD],
  },
  {
    name: 'a settlement on d−365 (2025-10-31) is outside the window',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household()] },
      health: { settlements: [settled(HEAD, '2025-10-31', '10000.00'), settled(WIFE, '2026-07-15', '20000.00')] },
    },
    expect: [],
  },
  {
    name: 'a settlement after d does not count yet',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household()] },
      health: { settlements: [settled(HEAD, '2026-11-01', '10000.00'), settled(WIFE, '2026-07-15', '20000.00')] },
    },
    expect: [],
  },
  {
    name: 'the family receives DB on d (its members are DIBAO): already covered',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household([DB_ACTIVE])] }, health: { settlements: bills } },
    expect: [],
  },
  {
    name: 'one member is TEKUN on d: already covered',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household([TK_WIFE])] }, health: { settlements: bills } },
    expect: [],
  },
  {
    name: 'DB ended the day before d: nobody is DIBAO on d, an alert',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household([DB_ENDED])] }, health: { settlements: bills } },
    expect: [G9_HEAD],
  },
  {
    name: 'a member was paid temporary assistance (LS) in the window: already helped',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household()], grants: [temporaryGrant(WIFE, '2025-11-01')] }, health: { settlements: bills } },
    expect: [],
  },
  {
    name: 'the LS grant was paid on d−365: outside the window, an alert',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household()], grants: [temporaryGrant(WIFE, '2025-10-31')] }, health: { settlements: bills } },
    expect: [G9_HEAD],
  },
  {
    name: 'a poverty-relief household (its head and son) with 34571.20 of costs',
    asOf: AS_OF,
    feeds: {
      poverty: { date: AS_OF, rows: [povertyRow(FP_HEAD, '01'), povertyRow(FP_SON, '22')] },
      health: { settlements: [settled(FP_HEAD, '2026-01-20', '4571.20'), settled(FP_SON, '2026-05-20', '30000.00')] },
    },
    expect: [`G9|household|${FP_HEAD}`],
  },
  {
    name: 'a housing applicant no other household lists is a household alone',
    asOf: AS_OF,
    feeds: {
      housing: {
        date: AS_OF,
        publicHousing: [{
          序号: '1', 申请人身份证号: TENANT, 申请人姓名: '周敏', 家庭人口: '1', 保障方式: '租赁补贴', '补贴金额(元/月)': '600',
          开始日期: '2025-03-25', 结束日期: '', 房源地址: '', 区划代码: '371071007004',
        }],
      },
      health: { settlements: [settled(TENANT, '2026-02-11', '30000.00')] },
    },
    expect: [`G9|household|${TENANT}`],
  },
  {
    name: 'a person no household lists, with 40000 of costs: no household to alert',
    asOf: AS_OF,
    feeds: { health: { settlements: [settled(HEAD, '2026-03-02', '40000.00')] } },
    expect: [],
  },
  {
    name: "a person listed by a civil-affairs household and by another head's poverty-relief household counts in the civil-affairs one",
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household()] },
      poverty: { date: AS_OF, rows: [povertyRow(FP_HEAD, '01'), povertyRow(WIFE, '22')] },
      health: { settlements: [settled(WIFE, '2026-07-15', '30000.00')] },
    },
    expect: [G9_HEAD],
    expectNot: [`G9|household|${FP_HEAD}`],
  },
  {
    name: "the husband died in the window after the bills, the wife lives on: the family's hardship, an alert",
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [household()] }, health: { settlements: bills, deaths: [death(HEAD, '2026-08-01')] } },
    expect: [G9_HEAD],
  },
  {
    name: 'every member deceased on d: nobody deceased on d is a gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [household()] },
      health: { settlements: bills, deaths: [death(HEAD, '2026-08-01'), death(WIFE, AS_OF)] },
    },
    expect: [],
    expectNot: [G9_HEAD],
  },
];
