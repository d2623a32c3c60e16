import { NO_SUCH_SUBJECT, type RuleCase } from '../cases/ruleCase';
import {
  deathCertificate, dibao, type Enrollment, household, hospitalSettlement, idNo, lowIncome, member, povertyReliefHousehold,
  povertySnapshot, publicHousingSheet, publicHousingTenant, tekun, temporaryAid,
} from '../cases/caseBuilders';

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

const VILLAGE = '371003101211';
/** the couple's rural household in 文登区, 低收入 from 2024 unless other enrollments are said */
const family = (enrollments: Enrollment[] = [lowIncome('2024-01-01')]) =>
  household(HEAD, {
    region: VILLAGE, address: '文登区测试地址1号', hukou: '农村', updated: '2026-01-05T10:00:00+08:00',
    members: [member(HEAD, { name: '赵建国' }), member(WIFE, { name: '孙丽', relation: '02' })], enrollments,
  });
const DB_ACTIVE = dibao('2024-01-01', { amount: '1960.00' });
const DB_ENDED = dibao('2024-01-01', { amount: '1960.00', until: '2026-10-30' });
const TK_WIFE = tekun(WIFE, '2024-01-01');

let settlementNo = 0;
/** a catastrophic-illness settlement of 60000 with the given out-of-pocket part, numbered in the order written */
const settled = (patient: string, settledOn: string, outOfPocket: string) =>
  hospitalSettlement(patient, settledOn, outOfPocket, {
    id: `JS2026${String(++settlementNo).padStart(6, '0')}`, name: '赵建国', insurance: '20000.00', total: '60000.00',
    diagnosis: 'C34.9', catastrophic: true,
  });
/** 临时救助 of 3000 yuan, its record written in January */
const temporaryGrant = (person: string, paidOn: string) =>
  temporaryAid(person, paidOn, {
    id: 'LS-2026-900001', name: '赵建国', amount: '3000.00', region: VILLAGE, updated: '2026-01-05T10:00:00+08:00',
  });
const death = (person: string, diedOn: string) =>
  deathCertificate(person, diedOn, { number: `SZ3710032026${person.slice(-4)}`, name: '赵建国', region: VILLAGE });
/** 徐老汉's poverty-relief household in 荣成市, identified in 2015, with the members said */
const povertyRelief = (...members: Array<[person: string, relation: string]>) =>
  povertySnapshot(AS_OF, povertyReliefHousehold(FP_HEAD, members.map(([person, relation]) => ({ person, relation, name: '徐老汉' })), {
    householdNo: '371082005216901', region: '371082005216', identifiedIn: '2015', income: '9800.00',
  }));
/** both spouses' bills: 18000 + 12000 = exactly the threshold */
const bills = [settled(HEAD, '2026-03-02', '18000.00'), settled(WIFE, '2026-07-15', '12000.00')];

export const G9Cases: RuleCase[] = [
  {
    name: "a low-income family whose members' out-of-pocket costs total exactly 30000.00 in the window",
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [family()] }, health: { settlements: bills } },
    expect: [G9_HEAD],
  },
  {
    name: 'a total of 29999.99: below the threshold',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [family()] },
      health: { settlements: [settled(HEAD, '2026-03-02', '18000.00'), settled(WIFE, '2026-07-15', '11999.99')] },
    },
    expect: [],
    expectNot: [G9_HEAD],
    decidedBy: 'COSTS_REACH_THRESHOLD',
  },
  {
    name: 'a settlement on d−364 (2025-11-01) is inside the window',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [family()] },
      health: { settlements: [settled(HEAD, '2025-11-01', '10000.00'), settled(WIFE, '2026-07-15', '20000.00')] },
    },
    expect: [G9_HEAD],
  },
  {
    name: 'a settlement on d−365 (2025-10-31) is outside the window',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [family()] },
      health: { settlements: [settled(HEAD, '2025-10-31', '10000.00'), settled(WIFE, '2026-07-15', '20000.00')] },
    },
    expect: [],
    expectNot: [G9_HEAD],
    decidedBy: 'COSTS_REACH_THRESHOLD',
  },
  {
    name: 'a settlement after d does not count yet',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [family()] },
      health: { settlements: [settled(HEAD, '2026-11-01', '10000.00'), settled(WIFE, '2026-07-15', '20000.00')] },
    },
    expect: [],
    expectNot: [G9_HEAD],
    decidedBy: 'COSTS_REACH_THRESHOLD',
  },
  {
    name: 'the family receives DB on d (its members are DIBAO): already covered',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [family([DB_ACTIVE])] }, health: { settlements: bills } },
    expect: [],
    expectNot: [G9_HEAD],
    decidedBy: 'NO_DIBAO_OR_TEKUN_MEMBER',
  },
  {
    name: 'one member is TEKUN on d: already covered',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [family([TK_WIFE])] }, health: { settlements: bills } },
    expect: [],
    expectNot: [G9_HEAD],
    decidedBy: 'NO_DIBAO_OR_TEKUN_MEMBER',
  },
  {
    name: 'DB ended the day before d: nobody is DIBAO on d, an alert',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [family([DB_ENDED])] }, health: { settlements: bills } },
    expect: [G9_HEAD],
  },
  {
    name: 'a member was paid temporary assistance (LS) in the window: already helped',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [family()], grants: [temporaryGrant(WIFE, '2025-11-01')] }, health: { settlements: bills } },
    expect: [],
    expectNot: [G9_HEAD],
    decidedBy: 'NO_TEMPORARY_AID',
  },
  {
    name: 'the LS grant was paid on d−365: outside the window, an alert',
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [family()], grants: [temporaryGrant(WIFE, '2025-10-31')] }, health: { settlements: bills } },
    expect: [G9_HEAD],
  },
  {
    name: 'a poverty-relief household (its head and son) with 34571.20 of costs',
    asOf: AS_OF,
    feeds: {
      poverty: povertyRelief([FP_HEAD, '01'], [FP_SON, '22']),
      health: { settlements: [settled(FP_HEAD, '2026-01-20', '4571.20'), settled(FP_SON, '2026-05-20', '30000.00')] },
    },
    expect: [`G9|household|${FP_HEAD}`],
  },
  {
    name: 'a housing applicant no other household lists is a household alone',
    asOf: AS_OF,
    feeds: {
      housing: publicHousingSheet(AS_OF, publicHousingTenant(TENANT, '2025-03-25', { name: '周敏', region: '371071007004' })),
      health: { settlements: [settled(TENANT, '2026-02-11', '30000.00')] },
    },
    expect: [`G9|household|${TENANT}`],
  },
  {
    name: 'a person no household lists, with 40000 of costs: no household to alert',
    asOf: AS_OF,
    feeds: { health: { settlements: [settled(HEAD, '2026-03-02', '40000.00')] } },
    expect: [],
    // nobody lists them: there is no household to explain
    expectNot: [G9_HEAD],
    decidedBy: NO_SUCH_SUBJECT,
  },
  {
    name: "a person listed by a civil-affairs household and by another head's poverty-relief household counts in the civil-affairs one",
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [family()] },
      poverty: povertyRelief([FP_HEAD, '01'], [WIFE, '22']),
      health: { settlements: [settled(WIFE, '2026-07-15', '30000.00')] },
    },
    expect: [G9_HEAD],
    expectNot: [`G9|household|${FP_HEAD}`],
    decidedBy: 'COSTS_REACH_THRESHOLD',
  },
  {
    name: "the husband died in the window after the bills, the wife lives on: the family's hardship, an alert",
    asOf: AS_OF,
    feeds: { civilAffairs: { households: [family()] }, health: { settlements: bills, deaths: [death(HEAD, '2026-08-01')] } },
    expect: [G9_HEAD],
  },
  {
    name: 'every member deceased on d: nobody deceased on d is a gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [family()] },
      health: { settlements: bills, deaths: [death(HEAD, '2026-08-01'), death(WIFE, AS_OF)] },
    },
    expect: [],
    expectNot: [G9_HEAD],
    decidedBy: 'SOMEONE_ALIVE',
  },
];
