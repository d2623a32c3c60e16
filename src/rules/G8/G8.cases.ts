import { NO_SUCH_SUBJECT, type RuleCase } from '../cases/ruleCase';
import {
  dangerousHouse, dangerousHouseSheet, deathCertificate, dibao, type Enrollment, household, idNo, lowIncome, member, tekun,
} from '../cases/caseBuilders';

/**
 * G8 in situations, as of 2026-10-31 (180 days before is 2026-05-04): the assisted programmes, the
 * ratings and renovation states, the day boundary, whose house it is, and death.
 */
const HEAD = idNo('37108219620301123');
const SPOUSE = idNo('37108219640402124');
const AS_OF = '2026-10-31';
const G8_HEAD = `G8|household|${HEAD}`;

const VILLAGE = '371082010213';
/** the couple's rural household in 荣成市, its one enrollment (from 2020, 980 yuan a month) as said */
const ruralCouple = (enrollment: Enrollment) =>
  household(HEAD, {
    region: VILLAGE, address: '荣成市测试地址1号', hukou: '农村', updated: '2026-01-05T10:00:00+08:00',
    members: [member(HEAD, { name: '张大山' }), member(SPOUSE, { name: '李秀英', relation: '02' })], enrollments: [enrollment],
  });
const onDibao = (until?: string) => ruralCouple(dibao('2020-01-01', { amount: '980.00', until }));
/** the head supported as 特困 at home, approved by the town */
const onTekun = ruralCouple(tekun(HEAD, '2020-01-01', { amount: '980.00', approvedBy: '镇街' }));
const lowIncomeCouple = ruralCouple(lowIncome('2020-01-01'));
/** the head's name and village on a 危房 row, whoever's house it is */
const HEADS_ROW = { name: '张大山', region: VILLAGE };
const died = (person: string, on: string) =>
  deathCertificate(person, on, { number: `SZ371082${person.slice(-6)}`, name: '张大山', region: VILLAGE });

export const G8Cases: RuleCase[] = [
  {
    name: 'a DB household head in a C house, unrepaired, assessed 181 days before d',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2026-05-03', '未改造', HEADS_ROW)),
    },
    expect: [G8_HEAD],
  },
  {
    name: 'assessed exactly 180 days before d: not yet "more than 180 days"',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2026-05-04', '未改造', HEADS_ROW)),
    },
    expect: [],
    expectNot: [G8_HEAD],
    decidedBy: 'UNREPAIRED_OVER_DAYS',
  },
  {
    name: 'a D house assessed years ago, still unrepaired',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'D', '2021-06-04', '未改造', HEADS_ROW)),
    },
    expect: [G8_HEAD],
  },
  {
    name: 'a B house (not dangerous) unrepaired for years: no gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'B', '2021-06-04', '未改造', HEADS_ROW)),
    },
    expect: [],
    expectNot: [G8_HEAD],
    decidedBy: 'HEAD_IN_UNREPAIRED_DANGEROUS_HOUSE',
  },
  {
    name: 'a C house being renovated (改造中): no gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2021-06-04', '改造中', HEADS_ROW)),
    },
    expect: [],
    expectNot: [G8_HEAD],
    decidedBy: 'HEAD_IN_UNREPAIRED_DANGEROUS_HOUSE',
  },
  {
    name: 'a D house already renovated (已改造): no gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'D', '2021-06-04', '已改造', HEADS_ROW)),
    },
    expect: [],
    expectNot: [G8_HEAD],
    decidedBy: 'HEAD_IN_UNREPAIRED_DANGEROUS_HOUSE',
  },
  {
    name: 'the head of a TK household in a dangerous house',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onTekun] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2022-08-26', '未改造', HEADS_ROW)),
    },
    expect: [G8_HEAD],
  },
  {
    name: 'the head of a low-income (DSR) household in a dangerous house',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [lowIncomeCouple] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2022-08-26', '未改造', HEADS_ROW)),
    },
    expect: [G8_HEAD],
  },
  {
    name: 'DB ended the day before d: no assisted household on d',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao('2026-10-30')] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2022-08-26', '未改造', HEADS_ROW)),
    },
    expect: [],
    expectNot: [G8_HEAD],
    decidedBy: 'ASSISTED',
  },
  {
    name: 'DB ends on d (inclusive): still assisted, a gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao(AS_OF)] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2022-08-26', '未改造', HEADS_ROW)),
    },
    expect: [G8_HEAD],
  },
  {
    name: 'the dangerous house is recorded under the spouse, not the head: not this rule',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(SPOUSE, 'C', '2022-08-26', '未改造', HEADS_ROW)),
    },
    expect: [],
    expectNot: [G8_HEAD, `G8|household|${SPOUSE}`],
    // the spouse heads no household: there is nobody to explain
    decidedBy: { [G8_HEAD]: 'HEAD_IN_UNREPAIRED_DANGEROUS_HOUSE', [`G8|household|${SPOUSE}`]: NO_SUCH_SUBJECT },
  },
  {
    name: 'a dangerous house of someone with no DB, TK or DSR household: not this rule',
    asOf: AS_OF,
    feeds: { housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'D', '2022-08-26', '未改造', HEADS_ROW)) },
    expect: [],
    // without a subsidy the housing feed names no household: there is no household to explain
    expectNot: [G8_HEAD],
    decidedBy: NO_SUCH_SUBJECT,
  },
  {
    name: 'the head died on d but his wife still lives in the house: a gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2022-08-26', '未改造', HEADS_ROW)),
      health: { deaths: [died(HEAD, AS_OF)] },
    },
    expect: [G8_HEAD],
  },
  {
    name: 'the head and his wife both deceased on d: nobody deceased on d is a gap',
    asOf: AS_OF,
    feeds: {
      civilAffairs: { households: [onDibao()] },
      housing: dangerousHouseSheet(AS_OF, dangerousHouse(HEAD, 'C', '2022-08-26', '未改造', HEADS_ROW)),
      health: { deaths: [died(HEAD, '2026-09-01'), died(SPOUSE, AS_OF)] },
    },
    expect: [],
    expectNot: [G8_HEAD],
    decidedBy: 'SOMEONE_ALIVE',
  },
];
