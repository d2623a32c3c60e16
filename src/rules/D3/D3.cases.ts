import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

/**
 * D3 in situations, around a death on 15 March 2026. (i) the month following the month of death
 * ends on 30 April: a cash programme running on 1 May is a finding, one ending on 30 April is not.
 * (ii) `after_death_grace_days` = 60 (15 March + 60 days = 14 May): DB running on 15 May, day 61,
 * is a finding, DB ending on 14 May is not; a person no longer listed is not.
 * (iii) an LS grant paid the day after the death is a finding, one paid on the day of death is not.
 */
const ELDER = idNo('37100219400101123');
const SON = idNo('37100219650202124');
const DIED = '2026-03-15';

const death = (swrq = DIED, sfzh = ELDER) => ({ swzmbh: 'SZ371002202690001', sfzh, xm: '王老汉', swrq, qhdm: '371002001001' });

type Enrollment = { xmdm: string; ksrq: string; zzrq: string | null; tkcy?: string[] };
const household = (enrollments: Enrollment[], opts: { elderListed?: boolean; updated?: string } = {}) => ({
  hh_id: 'MZ-371002-900001',
  hzsfzh: SON,
  jtdz: '环翠区测试地址1号',
  qhdm: '371002001001',
  hjxz: '城镇',
  members: [
    { sfzh: SON, xm: '王建国', yhzgx: '01', zlnl: '全自理' },
    ...(opts.elderListed === false ? [] : [{ sfzh: ELDER, xm: '王老汉', yhzgx: '51', zlnl: '全失能' }]),
  ],
  enrollments: enrollments.map((e) => ({
    xmdm: e.xmdm, bzje: e.xmdm === 'TK' ? '1500.00' : '900.00', ksrq: e.ksrq, zzrq: e.zzrq, tkcy: e.tkcy ?? null,
    gyfs: e.xmdm === 'TK' ? '分散' : null, spjb: '区市',
  })),
  updated_at: opts.updated ?? '2025-01-05T10:00:00+08:00',
  deleted: false,
});
const tk = (zzrq: string | null): Enrollment => ({ xmdm: 'TK', ksrq: '2024-01-01', zzrq, tkcy: [ELDER] });
const db = (zzrq: string | null, ksrq = '2024-01-01'): Enrollment => ({ xmdm: 'DB', ksrq, zzrq });

const nursing = (endDate: string | null) => ({
  certNo: `${ELDER}41`, idCard: ELDER, name: '王老汉', category: 4, grade: 1, issueDate: '2019-05-12', validUntil: '2029-05-11',
  status: 'VALID', regionCode: '371002001001',
  subsidies: [{ type: 'NURSING', monthlyAmount: '100.00', startDate: '2020-01-01', endDate }],
  modifiedAt: '2025-01-05T10:00:00+08:00',
});

const ls = (ffrq: string) => ({
  grant_id: 'LS-2026-900001', sfzh: ELDER, xm: '王老汉', xmdm: 'LS', je: '2000.00', ffrq, ksrq: null, zzrq: null,
  qhdm: '371002001001', spjb: '镇街', ldxz_pzwh: null, updated_at: `${ffrq}T18:00:00+08:00`, deleted: false,
});

const FINDING = `D3|person|${ELDER}`;

export const D3Cases: RuleCase[] = [
  {
    name: '(i) TK still running on 1 May, the first day after the month following the death',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([tk('2026-05-01')])] }, health: { deaths: [death()] } },
    expect: [FINDING],
  },
  {
    name: '(i) TK ends on 30 April, the end of the month following the death: stopped in time',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([tk('2026-04-30')])] }, health: { deaths: [death()] } },
    expect: [],
  },
  {
    name: '(i) a death on 31 January: the following month ends on 28 February, TK on 1 March is a finding',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([tk('2026-03-01')])] }, health: { deaths: [death('2026-01-31')] } },
    expect: [FINDING],
  },
  {
    name: '(i) TK still open but d is 30 April: not yet after the end of the following month',
    asOf: '2026-04-30',
    feeds: { civilAffairs: { households: [household([tk(null)])] }, health: { deaths: [death()] } },
    expect: [],
  },
  {
    name: '(i) TK still open on 1 May, d = 1 May',
    asOf: '2026-05-01',
    feeds: { civilAffairs: { households: [household([tk(null)])] }, health: { deaths: [death()] } },
    expect: [FINDING],
  },
  {
    name: '(i) the disability nursing subsidy still open after the death',
    asOf: '2026-10-31',
    feeds: { disability: [nursing(null)], health: { deaths: [death()] } },
    expect: [FINDING],
  },
  {
    name: '(i) the nursing subsidy ended at the end of the following month',
    asOf: '2026-10-31',
    feeds: { disability: [nursing('2026-04-30')], health: { deaths: [death()] } },
    expect: [],
  },
  {
    name: '(ii) still listed, DB running on day 61 after the death (15 May)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([db('2026-05-15')])] }, health: { deaths: [death()] } },
    expect: [FINDING],
  },
  {
    name: '(ii) still listed, DB ended on day 60 after the death (14 May): within the grace',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([db('2026-05-14')])] }, health: { deaths: [death()] } },
    expect: [],
  },
  {
    name: '(ii) DB open, but d is day 60 after the death',
    asOf: '2026-05-14',
    feeds: { civilAffairs: { households: [household([db(null)])] }, health: { deaths: [death()] } },
    expect: [],
  },
  {
    name: '(ii) a low-income recognition (DSR) still covering a listed deceased member',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([{ xmdm: 'DSR', ksrq: '2025-01-01', zzrq: null }])] }, health: { deaths: [death()] } },
    expect: [FINDING],
  },
  {
    name: '(ii) DB goes on for the family, but the newest version no longer lists the deceased',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [household([db(null)]), household([db(null)], { elderListed: false, updated: '2026-04-02T09:00:00+08:00' })],
      },
      health: { deaths: [death()] },
    },
    expect: [],
  },
  {
    name: '(iii) a temporary assistance grant paid the day after the death',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [ls('2026-03-16')] }, health: { deaths: [death()] } },
    expect: [FINDING],
  },
  {
    name: '(iii) a grant paid on the day of death: not after it',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [ls(DIED)] }, health: { deaths: [death()] } },
    expect: [],
  },
  {
    name: 'the death is after d: not deceased on d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([tk(null), db(null)])], grants: [ls('2026-11-20')] }, health: { deaths: [death('2026-11-01')] } },
    expect: [],
  },
  {
    name: 'all three clauses for one person: one finding',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([tk(null), db(null)])], grants: [ls('2026-06-01')] },
      health: { deaths: [death()] },
    },
    expect: [FINDING],
    expectNot: [`D3|person|${SON}`],
  },
];
