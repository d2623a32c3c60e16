import { type RuleCase } from '../cases/ruleCase';
import { economicCheckFact as fact, enrollmentOf, household, idNo, member } from '../cases/caseBuilders';

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

/** DB, TK (of the head) or DSR from 2024, 1200 yuan a month, approved by the town */
const assistance = enrollmentOf(HEAD, '1200.00');
const COUPLE = [member(HEAD), member(WIFE, { name: '李秀英', relation: '02' })];
/** an urban couple on DB */
const couple = household(HEAD, { members: COUPLE, enrollments: [assistance('DB')] });
const ruralSingle = household(HEAD, { hukou: '农村', enrollments: [assistance('DB')] });
const urbanSingle = household(HEAD, { enrollments: [assistance('DB')] });
const tkCouple = household(HEAD, { members: COUPLE, enrollments: [assistance('TK')] });
/** DB ended the day before d */
const formerCouple = household(HEAD, { members: COUPLE, enrollments: [assistance('DB', '2024-01-01', '2026-10-30')] });
/** a 荣成市 urban household of one on DB */
const rongcheng = household(RC_HEAD, { region: '371082103211', members: [member(RC_HEAD, { name: '隋建华' })], enrollments: [assistance('DB')] });

const FINDING = `D4|household|${HEAD}`;

export const D4Cases: RuleCase[] = [
  {
    name: 'VEHICLE: a member owns a small car',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(WIFE, 'VEHICLE', '1')] },
    expect: [FINDING],
  },
  {
    name: 'VEHICLE: a motorised wheelchair for the disabled is exempt',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(WIFE, 'VEHICLE', '1', { item: '残疾人机动轮椅车' })] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'NON_EXEMPT_VEHICLE',
  },
  {
    name: 'VEHICLE: the car sold, the newest check shows none',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [couple] },
      economicCheck: [fact(WIFE, 'VEHICLE', '1', { checkedOn: '2025-12-31' }), fact(WIFE, 'VEHICLE', '0')],
    },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'NON_EXEMPT_VEHICLE',
  },
  {
    name: 'BUSINESS: one active business registration (1 = the threshold, 以上 includes it)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'BUSINESS', '1')] },
    expect: [FINDING],
  },
  {
    name: 'BUSINESS: an older check showed a business, the newest shows none',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'BUSINESS', '1', { checkedOn: '2025-12-31' }), fact(HEAD, 'BUSINESS', '0')] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'BUSINESS_REGISTERED',
  },
  {
    name: 'BUSINESS registered after d: a fact dated after d does not count',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'BUSINESS', '1', { checkedOn: '2026-11-30' })] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'BUSINESS_REGISTERED',
  },
  {
    name: 'REAL_ESTATE: husband and wife own one property each, two for the household',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'REAL_ESTATE', '1'), fact(WIFE, 'REAL_ESTATE', '1')] },
    expect: [FINDING],
  },
  {
    name: 'REAL_ESTATE: one property, at the maximum',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'REAL_ESTATE', '1')] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'REAL_ESTATE_OVER_MAX',
  },
  {
    name: 'DEPOSIT: an urban couple with bank and insurance of exactly 2 × 27840 = 55680.00',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'BANK', '40000.00'), fact(WIFE, 'INSURANCE', '15680.00')] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'DEPOSITS_OVER_LIMIT',
  },
  {
    name: 'DEPOSIT: one fen more, 55680.01',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'BANK', '40000.01'), fact(WIFE, 'INSURANCE', '15680.00')] },
    expect: [FINDING],
  },
  {
    name: 'DEPOSIT: the newest bank balance counts, not an older larger one',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [couple] }, economicCheck: [fact(HEAD, 'BANK', '90000.00', { checkedOn: '2025-12-31' }), fact(HEAD, 'BANK', '1200.00')] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'DEPOSITS_OVER_LIMIT',
  },
  {
    name: 'DEPOSIT: 25000 for one rural member is above the rural limit 24720',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [ruralSingle] }, economicCheck: [fact(HEAD, 'BANK', '25000.00')] },
    expect: [FINDING],
  },
  {
    name: 'DEPOSIT: the same 25000 for one urban member is below the urban limit 27840',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [urbanSingle] }, economicCheck: [fact(HEAD, 'BANK', '25000.00')] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'DEPOSITS_OVER_LIMIT',
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
    expectNot: [`D4|household|${RC_HEAD}`],
    decidedBy: 'DEPOSITS_OVER_LIMIT',
  },
  {
    name: 'a TK household with a car: TK counts as assistance',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [tkCouple] }, economicCheck: [fact(HEAD, 'VEHICLE', '1')] },
    expect: [FINDING],
  },
  {
    name: 'DB ended before d: no longer an assisted household',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [formerCouple] }, economicCheck: [fact(HEAD, 'VEHICLE', '1')] },
    expect: [],
    expectNot: [FINDING],
    decidedBy: 'ASSISTED',
  },
  {
    name: 'a car, a business and two properties: one finding',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [couple] },
      economicCheck: [
        fact(HEAD, 'VEHICLE', '1'), fact(HEAD, 'BUSINESS', '1'), fact(WIFE, 'REAL_ESTATE', '2'),
        fact(HEAD, 'BANK', '3000.00'),
      ],
    },
    expect: [FINDING],
  },
];
