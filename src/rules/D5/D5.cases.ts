import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

/**
 * D5 in situations: a child listed in the households of both separated parents. Both households
 * with DB (or one with DSR) on a common day on or before d is a finding; a second household with
 * only TK, DB periods that follow each other without a common day, a common day after d, and a
 * child no longer listed in the newest version of one household are not.
 */
const FATHER = idNo('37108219800101123');
const MOTHER = idNo('37108219820202124');
const CHILD = idNo('37108220131028472');

type Enrollment = { xmdm: 'DB' | 'DSR' | 'TK'; ksrq: string; zzrq?: string | null };
const household = (hhId: string, head: string, name: string, enrollments: Enrollment[], opts: { childListed?: boolean; updated?: string } = {}) => ({
  hh_id: hhId,
  hzsfzh: head,
  jtdz: '荣成市测试地址8号',
  qhdm: '371082103211',
  hjxz: '农村',
  members: [
    { sfzh: head, xm: name, yhzgx: '01', zlnl: '全自理' },
    ...(opts.childListed === false ? [] : [{ sfzh: CHILD, xm: '隋小雨', yhzgx: '20', zlnl: '全自理' }]),
  ],
  enrollments: enrollments.map((e) => ({
    xmdm: e.xmdm, bzje: '1000.00', ksrq: e.ksrq, zzrq: e.zzrq ?? null, tkcy: e.xmdm === 'TK' ? [head] : null,
    gyfs: e.xmdm === 'TK' ? '分散' : null, spjb: '镇街',
  })),
  updated_at: opts.updated ?? '2024-01-05T10:00:00+08:00',
  deleted: false,
});
const fathers = (enrollments: Enrollment[], opts?: { childListed?: boolean; updated?: string }) =>
  household('MZ-371082-900005', FATHER, '隋建军', enrollments, opts);
const mothers = (enrollments: Enrollment[], opts?: { childListed?: boolean; updated?: string }) =>
  household('MZ-371082-900006', MOTHER, '王丽', enrollments, opts);

const FINDING = `D5|person|${CHILD}`;

export const D5Cases: RuleCase[] = [
  {
    name: "a child listed in both parents' DB households",
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([{ xmdm: 'DB', ksrq: '2017-07-11' }]), mothers([{ xmdm: 'DB', ksrq: '2023-09-08' }])] } },
    expect: [FINDING],
    expectNot: [`D5|person|${FATHER}`, `D5|person|${MOTHER}`],
  },
  {
    name: "DB in the father's household, low-income recognition (DSR) in the mother's",
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([{ xmdm: 'DB', ksrq: '2024-01-01' }]), mothers([{ xmdm: 'DSR', ksrq: '2025-03-01' }])] } },
    expect: [FINDING],
  },
  {
    name: 'the second household has only TK',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([{ xmdm: 'DB', ksrq: '2024-01-01' }]), mothers([{ xmdm: 'TK', ksrq: '2023-08-17' }])] } },
    expect: [],
  },
  {
    name: "the father's DB ended the day before the mother's began: no common day",
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [fathers([{ xmdm: 'DB', ksrq: '2024-01-01', zzrq: '2025-06-30' }]), mothers([{ xmdm: 'DB', ksrq: '2025-07-01' }])],
      },
    },
    expect: [],
  },
  {
    name: "the father's DB ended on the day the mother's began: one common day",
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [fathers([{ xmdm: 'DB', ksrq: '2024-01-01', zzrq: '2025-07-01' }]), mothers([{ xmdm: 'DB', ksrq: '2025-07-01' }])],
      },
    },
    expect: [FINDING],
  },
  {
    name: 'the common days begin after d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [fathers([{ xmdm: 'DB', ksrq: '2024-01-01' }]), mothers([{ xmdm: 'DB', ksrq: '2026-11-01' }])] } },
    expect: [],
  },
  {
    name: "listed in both until June 2024, when the newest version of the father's household dropped the child",
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [
          fathers([{ xmdm: 'DB', ksrq: '2017-07-11' }]),
          fathers([{ xmdm: 'DB', ksrq: '2017-07-11' }], { childListed: false, updated: '2024-06-01T09:00:00+08:00' }),
          mothers([{ xmdm: 'DB', ksrq: '2023-09-08' }]),
        ],
      },
    },
    expect: [],
  },
];
