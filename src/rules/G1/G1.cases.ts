import { idNo, type RuleCase } from '../../../tests/support/ruleCases';

const PERSON = idNo('37100219800101123');
const key = `G1|person|${PERSON}`;

type Subsidy = { type: 'LIVING' | 'NURSING'; monthlyAmount: string; startDate: string; endDate: string | null };

/** G1 in situations: a 残联 certificate in the register's own shape, its 两项补贴, and deaths. */
const certificate = (grade: number, o: { status?: string; issueDate?: string; validUntil?: string; subsidies?: Subsidy[] } = {}) => ({
  certNo: `${PERSON}4${grade}`,
  idCard: PERSON,
  name: '李建国',
  category: 4,
  grade,
  issueDate: o.issueDate ?? '2020-05-12',
  validUntil: o.validUntil ?? '2030-05-11',
  status: o.status ?? 'VALID',
  regionCode: '371002001001',
  subsidies: o.subsidies ?? [],
  modifiedAt: '2026-01-05T10:00:00+08:00',
});
const nursing = (startDate: string, endDate: string | null = null): Subsidy => ({ type: 'NURSING', monthlyAmount: '100.00', startDate, endDate });
const living = (startDate: string): Subsidy => ({ type: 'LIVING', monthlyAmount: '100.00', startDate, endDate: null });
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
  },
  {
    name: 'grade 2 with a nursing subsidy active on d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(2, { subsidies: [nursing('2024-01-01')] })] },
    expect: [],
  },
  {
    name: 'the nursing subsidy ends on d itself: still active (end dates are inclusive)',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { subsidies: [nursing('2024-01-01', '2026-10-31')] })] },
    expect: [],
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
  },
  {
    name: 'a REVOKED grade 1 certificate',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { status: 'REVOKED' })] },
    expect: [],
  },
  {
    name: 'a VALID certificate whose validUntil passed the day before d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1, { validUntil: '2026-10-30' })] },
    expect: [],
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
  },
  {
    name: 'the holder died on d: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1)], health: { deaths: [death('2026-10-31')] } },
    expect: [],
    expectNot: [key],
  },
  {
    name: 'the holder dies after d: still a gap on d',
    asOf: '2026-10-31',
    feeds: { disability: [certificate(1)], health: { deaths: [death('2026-11-01')] } },
    expect: [key],
  },
];
