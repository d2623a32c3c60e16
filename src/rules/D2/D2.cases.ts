import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

const OLD_MAN = idNo('37100219500101123');
const CHILD = idNo('37100220150101123');

/** D2 in situations: each pair, the overlap that is not yet reached on d, and adjacent periods that do not overlap. */
const household = (enrollments: object[], updated = '2026-01-05T10:00:00+08:00') => ({
  hh_id: 'MZ-371002-900001',
  hzsfzh: OLD_MAN,
  jtdz: '环翠区测试地址1号',
  qhdm: '371002001001',
  hjxz: '城镇',
  members: [{ sfzh: OLD_MAN, xm: '王老汉', yhzgx: '01', zlnl: '半失能' }],
  enrollments,
  updated_at: updated,
  deleted: false,
});
const db = (ksrq: string, zzrq: string | null = null) => ({ xmdm: 'DB', bzje: '900.00', ksrq, zzrq, tkcy: null, gyfs: null, spjb: '镇街' });
const tk = (ksrq: string, zzrq: string | null = null) => ({ xmdm: 'TK', bzje: '1500.00', ksrq, zzrq, tkcy: [OLD_MAN], gyfs: '分散', spjb: '区市' });
const grant = (id: string, xmdm: 'GE' | 'SW', ksrq: string, zzrq: string | null) => ({
  grant_id: id, sfzh: CHILD, xm: '王小宝', xmdm, je: '1800.00', ffrq: null, ksrq, zzrq, qhdm: '371002001001',
  spjb: '区市', ldxz_pzwh: null, updated_at: '2026-01-05T10:00:00+08:00', deleted: false,
});

export const D2Cases: RuleCase[] = [
  {
    name: 'a member of a DB household also supported as TK from the same day',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([db('2025-01-01'), tk('2025-06-01')])] } },
    expect: [`D2|person|${OLD_MAN}|DB+TK`],
  },
  {
    name: 'DB ended the day before TK started: no common day',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([db('2025-01-01', '2025-05-31'), tk('2025-06-01')])] } },
    expect: [],
    expectNot: [`D2|person|${OLD_MAN}|DB+TK`],
  },
  {
    name: 'the overlap begins after d: not yet a finding',
    asOf: '2025-05-31',
    feeds: { civilAffairs: { households: [household([db('2025-01-01'), tk('2025-06-01')])] } },
    expect: [],
  },
  {
    name: 'an orphan allowance and a de facto unsupported child allowance on the same day',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [grant('GE-2025-900001', 'GE', '2025-01-01', '2025-12-31'), grant('SW-2025-900001', 'SW', '2025-12-31', null)] } },
    expect: [`D2|person|${CHILD}|GE+SW`],
  },
  {
    name: 'GE replaced by SW the next day: no overlap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [grant('GE-2025-900001', 'GE', '2025-01-01', '2025-12-30'), grant('SW-2025-900001', 'SW', '2025-12-31', null)] } },
    expect: [],
  },
];
