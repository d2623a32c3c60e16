import { type RuleCase } from '../cases/ruleCase';
import { disabilityCertificate, idNo, livingSubsidy, nursingSubsidy, type Subsidy } from '../cases/caseBuilders';

const PERSON = idNo('37100219800101123');
const key = `G1|person|${PERSON}`;

/** G1 in situations: a 残联 certificate in the register's own shape, its 两项补贴, and deaths. */
const certificate = (grade: number, o: { status?: string; issueDate?: string; validUntil?: string; subsidies?: Subsidy[] } = {}) =>
  disabilityCertificate(PERSON, { grade, ...o });
const nursing = nursingSubsidy;
const living = (startDate: string) => livingSubsidy(startDate);
const death = (swrq: string) => ({ swzmbh: 'SZ371002202600901', sfzh: PERSON, xm: '李建国', swrq, qhdm: '371002001001' });

export const G1Cases: RuleCase[] = [
  {
    name: 'grade 1, no nursing subsidy',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1)] },
    expect: [key],
  },
  {
    name: 'grade 2, no nursing subsidy',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(2)] },
    expect: [key],
  },
  {
    name: 'grade 3 is not severe: no finding without the nursing subsidy',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(3)] },
    expect: [],
    expectNot: [key],
    decidedBy: 'SEVERELY_DISABLED',
  },
  {
    name: 'grade 2 with a nursing subsidy active on d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(2, { subsidies: [nursing('2024-01-01')] })] },
    expect: [],
    expectNot: [key],
    decidedBy: 'NO_NURSING_SUBSIDY',
  },
  {
    name: 'the nursing subsidy ends on d itself: still active (end dates are inclusive)',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { subsidies: [nursing('2024-01-01', '2026-10-31')] })] },
    expect: [],
    expectNot: [key],
    decidedBy: 'NO_NURSING_SUBSIDY',
  },
  {
    name: 'the nursing subsidy ended the day before d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { subsidies: [nursing('2024-01-01', '2026-10-30')] })] },
    expect: [key],
  },
  {
    name: 'the nursing subsidy only starts after d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { subsidies: [nursing('2026-11-01')] })] },
    expect: [key],
  },
  {
    name: 'the living subsidy is not the nursing subsidy',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { subsidies: [living('2024-01-01')] })] },
    expect: [key],
  },
  {
    name: 'an EXPIRED grade 1 certificate',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { status: 'EXPIRED' })] },
    expect: [],
    expectNot: [key],
    decidedBy: 'SEVERELY_DISABLED',
  },
  {
    name: 'a REVOKED grade 1 certificate',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { status: 'REVOKED' })] },
    expect: [],
    expectNot: [key],
    decidedBy: 'SEVERELY_DISABLED',
  },
  {
    name: 'a VALID certificate whose validUntil passed the day before d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { validUntil: '2026-10-30' })] },
    expect: [],
    expectNot: [key],
    decidedBy: 'SEVERELY_DISABLED',
  },
  {
    name: 'a VALID certificate valid until d itself',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { validUntil: '2026-10-31' })] },
    expect: [key],
  },
  {
    name: 'a certificate issued after d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { issueDate: '2026-11-01', validUntil: '2036-10-31' })] },
    expect: [],
    expectNot: [key],
    decidedBy: 'SEVERELY_DISABLED',
  },
  {
    name: 'the holder died on d: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1)], health: { deaths: [death('2026-10-31')] } },
    expect: [],
    expectNot: [key],
    decidedBy: 'ALIVE',
  },
  {
    name: 'the holder dies after d: still a gap on d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1)], health: { deaths: [death('2026-11-01')] } },
    expect: [key],
  },
];
