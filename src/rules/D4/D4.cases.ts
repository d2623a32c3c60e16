import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

/**
 * D4 in situations, as of 31 October 2026. Each clause and its near miss: an exempt vehicle, a
 * business closed in the newest check, one property, deposits exactly at the limit. The limit per
 * member is `deposit_months` (24) × the monthly DB standard of the household's region and type on
 * d: city-wide 1160 urban (27840) and 1030 rural (24720); 荣成市 keeps its own 2025 row, 1140
 * urban (27360). Facts dated after d do not count; nor do households without DB, TK or DSR on d.
 */
const HEAD = idNo('37100219700101123');
const WIFE = idNo('37100219720202124');
const RC_HEAD = idNo('37108219700101123');

const household = (opts: { hjxz?: '城镇' | '农村'; xmdm?: 'DB' | 'TK' | 'DSR'; zzrq?: string | null; single?: boolean } = {}) => ({
  hh_id: 'MZ-371002-900001',
  hzsfzh: HEAD,
  jtdz: '环翠区测试地址1号',
  qhdm: '371002001001',
  hjxz: opts.hjxz ?? '城镇',
  members: [
    { sfzh: HEAD, xm: '王建国', yhzgx: '01', zlnl: '全自理' },
    ...(opts.single ? [] : [{ sfzh: WIFE, xm: '李秀英', yhzgx: '02', zlnl: '全自理' }]),
  ],
  enrollments: [
    {
      xmdm: opts.xmdm ?? 'DB', bzje: '1200.00', ksrq: '2024-01-01', zzrq: opts.zzrq ?? null,
      tkcy: opts.xmdm === 'TK' ? [HEAD] : null, gyfs: opts.xmdm === 'TK' ? '分散' : null, spjb: '镇街',
    },
  ],
  updated_at: '2024-01-05T10:00:00+08:00',
  deleted: false,
});
const rongcheng = {
  ...household({ single: true }),
  hh_id: 'MZ-371082-900001',
  hzsfzh: RC_HEAD,
  qhdm: '371082103211',
  members: [{ sfzh: RC_HEAD, xm: '隋建华', yhzgx: '01', zlnl: '全自理' }],
};

const UNITS = { BANK: '元', INSURANCE: '元', REAL_ESTATE: '套', VEHICLE: '辆', BUSINESS: '户' } as const;
const ITEMS = { BANK: '活期及定期存款余额', INSURANCE: '商业保险现金价值', REAL_ESTATE: '不动产登记', BUSINESS: '市场主体登记' } as const;
/** one answer of the 家庭经济状况核对 oracle */
const fact = (sfzh: string, source: keyof typeof UNITS, value: string, as_of = '2026-09-30', item?: string) => ({
  sfzh, source, item: item ?? (ITEMS as Record<string, string>)[source], value, unit: UNITS[source], as_of,
});

const FINDING = `D4|household|${HEAD}`;

export const D4Cases: RuleCase[] = [
  {
    name: 'VEHICLE: a member owns a small car',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(WIFE, 'VEHICLE', '1', '2026-09-30', '小型汽车')] },
    expect: [FINDING],
  },
  {
    name: 'VEHICLE: a motorised wheelchair for the disabled is exempt',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(WIFE, 'VEHICLE', '1', '2026-09-30', '残疾人机动轮椅车')] },
    expect: [],
  },
  {
    name: 'VEHICLE: the car sold, the newest check shows none',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household()] },
      economicCheck: [fact(WIFE, 'VEHICLE', '1', '2025-12-31', '小型汽车'), fact(WIFE, 'VEHICLE', '0', '2026-09-30', '小型汽车')],
    },
    expect: [],
  },
  {
    name: 'BUSINESS: one active business registration (1 = the threshold, 以上 includes it)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'BUSINESS', '1')] },
    expect: [FINDING],
  },
  {
    name: 'BUSINESS: an older check showed a business, the newest shows none',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'BUSINESS', '1', '2025-12-31'), fact(HEAD, 'BUSINESS', '0')] },
    expect: [],
  },
  {
    name: 'BUSINESS registered after d: a fact dated after d does not count',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'BUSINESS', '1', '2026-11-30')] },
    expect: [],
  },
  {
    name: 'REAL_ESTATE: husband and wife own one property each, two for the household',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'REAL_ESTATE', '1'), fact(WIFE, 'REAL_ESTATE', '1')] },
    expect: [FINDING],
  },
  {
    name: 'REAL_ESTATE: one property, at the maximum',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'REAL_ESTATE', '1')] },
    expect: [],
  },
  {
    name: 'DEPOSIT: an urban couple with bank and insurance of exactly 2 × 27840 = 55680.00',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'BANK', '40000.00'), fact(WIFE, 'INSURANCE', '15680.00')] },
    expect: [],
  },
  {
    name: 'DEPOSIT: one fen more, 55680.01',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'BANK', '40000.01'), fact(WIFE, 'INSURANCE', '15680.00')] },
    expect: [FINDING],
  },
  {
    name: 'DEPOSIT: the newest bank balance counts, not an older larger one',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household()] }, economicCheck: [fact(HEAD, 'BANK', '90000.00', '2025-12-31'), fact(HEAD, 'BANK', '1200.00')] },
    expect: [],
  },
  {
    name: 'DEPOSIT: 25000 for one rural member is above the rural limit 24720',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ hjxz: '农村', single: true })] }, economicCheck: [fact(HEAD, 'BANK', '25000.00')] },
    expect: [FINDING],
  },
  {
    name: 'DEPOSIT: the same 25000 for one urban member is below the urban limit 27840',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ single: true })] }, economicCheck: [fact(HEAD, 'BANK', '25000.00')] },
    expect: [],
  },
  {
    name: 'DEPOSIT: in 荣成市 its own urban standard 1140 applies, 27500 is above 27360',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [rongcheng] }, economicCheck: [fact(RC_HEAD, 'BANK', '27500.00')] },
    expect: [`D4|household|${RC_HEAD}`],
  },
  {
    name: 'DEPOSIT: in 荣成市 exactly 27360 is at the limit',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [rongcheng] }, economicCheck: [fact(RC_HEAD, 'BANK', '27360.00')] },
    expect: [],
  },
  {
    name: 'a TK household with a car: TK counts as assistance',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ xmdm: 'TK' })] }, economicCheck: [fact(HEAD, 'VEHICLE', '1', '2026-09-30', '小型汽车')] },
    expect: [FINDING],
  },
  {
    name: 'DB ended before d: no longer an assisted household',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household({ zzrq: '2026-10-30' })] }, economicCheck: [fact(HEAD, 'VEHICLE', '1', '2026-09-30', '小型汽车')] },
    expect: [],
  },
  {
    name: 'a car, a business and two properties: one finding',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household()] },
      economicCheck: [
        fact(HEAD, 'VEHICLE', '1', '2026-09-30', '小型汽车'), fact(HEAD, 'BUSINESS', '1'), fact(WIFE, 'REAL_ESTATE', '2'),
        fact(HEAD, 'BANK', '3000.00'),
      ],
    },
    expect: [FINDING],
  },
];
