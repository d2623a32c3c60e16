import { type RuleCase } from '../cases/ruleCase';
import { household, idNo, member, tekun } from '../cases/caseBuilders';

/**
 * R4 in situations, as of 2026-10-31: the share of non-self-caring (半失能, 全失能) TK people in
 * centralised care (集中) per county, as an exact fraction — 17 of 20 is exactly 85%, compliant;
 * whom a TK enrollment active on d names; the county of their household, never of their ID number.
 */
const AS_OF = '2026-10-31';
const JINGQU = '371072';
const WENDENG = '371003';

type SelfCare = '全自理' | '半失能' | '全失能';
interface Supported {
  gyfs: '集中' | '分散';
  zlnl: SelfCare;
  zzrq?: string;
  /** the first six digits of the ID number: where the person was first registered */
  born?: string;
}

let serial = 0;
/** one TK person per household, in a village of the county */
const tkHousehold = (village: string, p: Supported) => {
  const n = ++serial;
  const id = idNo(`${p.born ?? village.slice(0, 6)}1940${String(1 + (n % 12)).padStart(2, '0')}15${String(n).padStart(3, '0')}`);
  return household(id, {
    hhId: `MZ-${village.slice(0, 6)}-9${String(n).padStart(5, '0')}`, region: village, address: `测试地址${n}号`, hukou: '农村',
    members: [member(id, { name: '特困老人', selfCare: p.zlnl })], enrollments: [tekun(id, '2020-01-01', { until: p.zzrq, care: p.gyfs })],
    updated: '2026-01-05T10:00:00+08:00',
  });
};
const many = (village: string, count: number, p: Supported) => Array.from({ length: count }, () => tkHousehold(village, p));
const JINGQU_VILLAGE = '371072009012';
const WENDENG_VILLAGE = '371003003028';
const R4_JINGQU = `R4|region|${JINGQU}|2026`;

export const R4Cases: RuleCase[] = [
  {
    name: '17 of 20 non-self-caring TK people in centralised care: exactly 85%, compliant',
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [...many(JINGQU_VILLAGE, 17, { gyfs: '集中', zlnl: '全失能' }), ...many(JINGQU_VILLAGE, 3, { gyfs: '分散', zlnl: '半失能' })],
      },
    },
    expect: [],
    expectNot: [R4_JINGQU],
    decidedBy: 'CARE_RATE_BELOW_MINIMUM',
  },
  {
    name: '16 of 20 in centralised care: 80%, below the rate',
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [...many(JINGQU_VILLAGE, 16, { gyfs: '集中', zlnl: '全失能' }), ...many(JINGQU_VILLAGE, 4, { gyfs: '分散', zlnl: '半失能' })],
      },
    },
    expect: [R4_JINGQU],
  },
  {
    name: '1 of 3 (one 全失能 in 集中, one 全失能 and one 半失能 at home)',
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [
          tkHousehold(JINGQU_VILLAGE, { gyfs: '集中', zlnl: '全失能' }),
          tkHousehold(JINGQU_VILLAGE, { gyfs: '分散', zlnl: '全失能' }),
          tkHousehold('371072105214', { gyfs: '分散', zlnl: '半失能' }),
        ],
      },
    },
    expect: [R4_JINGQU],
  },
  {
    name: 'self-caring (全自理) TK people at home are not counted: 1 of 1 centralised',
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [tkHousehold(JINGQU_VILLAGE, { gyfs: '集中', zlnl: '全失能' }), ...many(JINGQU_VILLAGE, 5, { gyfs: '分散', zlnl: '全自理' })],
      },
    },
    expect: [],
    expectNot: [R4_JINGQU],
    decidedBy: 'CARE_RATE_BELOW_MINIMUM',
  },
  {
    name: 'a county whose TK people all care for themselves has nobody to count: no finding',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: many(JINGQU_VILLAGE, 4, { gyfs: '分散', zlnl: '全自理' }) } },
    expect: [],
    expectNot: [R4_JINGQU],
    decidedBy: 'DEPENDENT_TK_PEOPLE',
  },
  {
    name: 'an enrollment that ended the day before d is not counted: 1 of 1',
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [
          tkHousehold(JINGQU_VILLAGE, { gyfs: '集中', zlnl: '全失能' }),
          tkHousehold(JINGQU_VILLAGE, { gyfs: '分散', zlnl: '全失能', zzrq: '2026-10-30' }),
        ],
      },
    },
    expect: [],
    expectNot: [R4_JINGQU],
    decidedBy: 'CARE_RATE_BELOW_MINIMUM',
  },
  {
    name: 'an enrollment that ends on d is still counted: 1 of 2',
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [
          tkHousehold(JINGQU_VILLAGE, { gyfs: '集中', zlnl: '全失能' }),
          tkHousehold(JINGQU_VILLAGE, { gyfs: '分散', zlnl: '全失能', zzrq: AS_OF }),
        ],
      },
    },
    expect: [R4_JINGQU],
  },
  {
    name: "people registered at birth in 荣成 (371082…) but living in 经区 households count for 经区",
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [
          tkHousehold(JINGQU_VILLAGE, { gyfs: '集中', zlnl: '全失能', born: '371082' }),
          tkHousehold(JINGQU_VILLAGE, { gyfs: '分散', zlnl: '全失能', born: '371082' }),
        ],
      },
    },
    expect: [R4_JINGQU],
    expectNot: ['R4|region|371082|2026'],
    decidedBy: 'DEPENDENT_TK_PEOPLE',
  },
  {
    name: 'each county on its own: 经区 1 of 2 below, 文登 2 of 2 compliant',
    asOf: AS_OF,
    feeds: {
      civilAffairs: {
        households: [
          tkHousehold(JINGQU_VILLAGE, { gyfs: '集中', zlnl: '半失能' }),
          tkHousehold(JINGQU_VILLAGE, { gyfs: '分散', zlnl: '全失能' }),
          ...many(WENDENG_VILLAGE, 2, { gyfs: '集中', zlnl: '半失能' }),
        ],
      },
    },
    expect: [R4_JINGQU],
    expectNot: [`R4|region|${WENDENG}|2026`],
    decidedBy: 'CARE_RATE_BELOW_MINIMUM',
  },
];
