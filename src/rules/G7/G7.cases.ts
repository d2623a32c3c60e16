import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

/** G7 in situations: the one combination that fires (TK, 分散, 全失能), each part of it missing, the enrollment's ends and death. */
const ELDER = idNo('37107219480312123');
const SPOUSE = idNo('37107219500505124');

type SelfCare = '全自理' | '半失能' | '全失能';
const household = (opts: { zlnl?: SelfCare; spouseZlnl?: SelfCare; gyfs?: '集中' | '分散'; ksrq?: string; zzrq?: string | null; tkcy?: string[] }) => ({
  hh_id: 'MZ-371072-900001',
  hzsfzh: ELDER,
  jtdz: '经济技术开发区测试地址1号',
  qhdm: '371072009012',
  hjxz: '农村',
  members: [
    { sfzh: ELDER, xm: '李老汉', yhzgx: '01', zlnl: opts.zlnl ?? '全失能' },
    ...(opts.spouseZlnl ? [{ sfzh: SPOUSE, xm: '王老太', yhzgx: '02', zlnl: opts.spouseZlnl }] : []),
  ],
  enrollments: [
    { xmdm: 'TK', bzje: '1500.00', ksrq: opts.ksrq ?? '2022-03-01', zzrq: opts.zzrq ?? null, tkcy: opts.tkcy ?? [ELDER], gyfs: opts.gyfs ?? '分散', spjb: '区市' },
  ],
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
const death = (sfzh: string, swrq: string) => ({ swzmbh: `SZ${swrq.replaceAll('-', '')}01`, sfzh, xm: '李老汉', swrq, qhdm: '371072009012' });

const G7_ELDER = `G7|person|${ELDER}`;

export const G7Cases: RuleCase[] = [
  {
    name: 'a fully dependent TK person supported at home (分散, 全失能)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({})] } },
    expect: [G7_ELDER],
  },
  {
    name: 'the same person in centralised care (集中): no gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ gyfs: '集中' })] } },
    expect: [],
    expectNot: [G7_ELDER],
  },
  {
    name: 'supported at home but only partly dependent (半失能): no gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ zlnl: '半失能' })] } },
    expect: [],
  },
  {
    name: 'a fully dependent spouse who is not named in the TK enrollment: not a TK person',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ zlnl: '全自理', spouseZlnl: '全失能' })] } },
    expect: [],
    expectNot: [`G7|person|${SPOUSE}`],
  },
  {
    name: 'both spouses named in the enrollment: only the fully dependent one is a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ zlnl: '半失能', spouseZlnl: '全失能', tkcy: [ELDER, SPOUSE] })] } },
    expect: [`G7|person|${SPOUSE}`],
  },
  {
    name: 'the enrollment ends on d (end dates are inclusive): still a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ zzrq: '2026-10-31' })] } },
    expect: [G7_ELDER],
  },
  {
    name: 'the enrollment ended the day before d: no longer supported, no finding',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ zzrq: '2026-10-30' })] } },
    expect: [],
  },
  {
    name: 'the enrollment starts the day after d: not yet a TK person',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ ksrq: '2026-11-01' })] } },
    expect: [],
  },
  {
    name: 'died on d: nobody deceased on d is a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({})] }, health: { deaths: [death(ELDER, '2026-10-31')] } },
    expect: [],
    expectNot: [G7_ELDER],
  },
  {
    name: 'died the day after d: alive on d, still a gap as of d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({})] }, health: { deaths: [death(ELDER, '2026-11-01')] } },
    expect: [G7_ELDER],
  },
];
