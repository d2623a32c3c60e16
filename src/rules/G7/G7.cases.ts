import { type RuleCase } from '../cases/ruleCase';
import { deathCertificate, household, idNo, member, tekun, type Enrollment, type Member } from '../cases/caseBuilders';

/** G7 in situations: the one combination that fires (TK, 分散, 全失能), each part of it missing, the enrollment's ends and death. */
const ELDER = idNo('37107219480312123');
const SPOUSE = idNo('37107219500505124');
const G7_ELDER = `G7|person|${ELDER}`;

const REGION = '371072009012';
const SINCE = '2022-03-01';
type SelfCare = '全自理' | '半失能' | '全失能';
const elder = (selfCare: SelfCare = '全失能') => member(ELDER, { name: '李老汉', selfCare });
const spouse = (selfCare: SelfCare) => member(SPOUSE, { name: '王老太', relation: '02', selfCare });
/** the elder's rural household with its one TK enrollment (supported at home unless said) */
const eldersHousehold = (members: Member[], support: Enrollment) =>
  household(ELDER, { region: REGION, address: '经济技术开发区测试地址1号', hukou: '农村', members, enrollments: [support], updated: '2026-01-05T10:00:00+08:00' });
const died = (on: string) => deathCertificate(ELDER, on, { number: `SZ${on.replaceAll('-', '')}01`, name: '李老汉', region: REGION });

export const G7Cases: RuleCase[] = [
  {
    name: 'a fully dependent TK person supported at home (分散, 全失能)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder()], tekun(ELDER, SINCE))] } },
    expect: [G7_ELDER],
  },
  {
    name: 'the same person in centralised care (集中): no gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder()], tekun(ELDER, SINCE, { care: '集中' }))] } },
    expect: [],
    expectNot: [G7_ELDER],
    decidedBy: 'HOME_SUPPORT',
  },
  {
    name: 'supported at home but only partly dependent (半失能): no gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder('半失能')], tekun(ELDER, SINCE))] } },
    expect: [],
    expectNot: [G7_ELDER],
    decidedBy: 'FULLY_DEPENDENT',
  },
  {
    name: 'a fully dependent spouse who is not named in the TK enrollment: not a TK person',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder('全自理'), spouse('全失能')], tekun(ELDER, SINCE))] } },
    expect: [],
    expectNot: [`G7|person|${SPOUSE}`],
    decidedBy: 'TEKUN_ACTIVE',
  },
  {
    name: 'both spouses named in the enrollment: only the fully dependent one is a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder('半失能'), spouse('全失能')], tekun([ELDER, SPOUSE], SINCE))] } },
    expect: [`G7|person|${SPOUSE}`],
  },
  {
    name: 'the enrollment ends on d (end dates are inclusive): still a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder()], tekun(ELDER, SINCE, { until: '2026-10-31' }))] } },
    expect: [G7_ELDER],
  },
  {
    name: 'the enrollment ended on 30 October, the day before d: no longer supported, no finding',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder()], tekun(ELDER, SINCE, { until: '2026-10-30' }))] } },
    expect: [],
    expectNot: [G7_ELDER],
    decidedBy: 'TEKUN_ACTIVE',
  },
  {
    name: 'the enrollment starts on 1 November, the day after d: not yet a TK person',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder()], tekun(ELDER, '2026-11-01'))] } },
    expect: [],
    expectNot: [G7_ELDER],
    decidedBy: 'TEKUN_ACTIVE',
  },
  {
    name: 'died on d: nobody deceased on d is a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder()], tekun(ELDER, SINCE))] }, health: { deaths: [died('2026-10-31')] } },
    expect: [],
    expectNot: [G7_ELDER],
    decidedBy: 'ALIVE',
  },
  {
    name: 'died on 1 November, the day after d: alive on d, still a gap as of d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [eldersHousehold([elder()], tekun(ELDER, SINCE))] }, health: { deaths: [died('2026-11-01')] } },
    expect: [G7_ELDER],
  },
];
