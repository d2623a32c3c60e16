import { enrollmentOf, idNo, type RuleCase } from '../../../tests/support/ruleCases';

const PERSON = idNo('37100319710119412');
const key = `G2|person|${PERSON}`;

type Subsidy = { type: 'LIVING' | 'NURSING'; monthlyAmount: string; startDate: string; endDate: string | null };
type Enrollment = ReturnType<typeof enrollment>;

/** G2 in situations: the civil-affairs household that makes the person DIBAO or TEKUN, and their 残联 certificate. */
const household = (enrollments: Enrollment[]) => ({
  hh_id: 'MZ-371003-900001',
  hzsfzh: PERSON,
  jtdz: '文登区测试地址2号',
  qhdm: '371003105209',
  hjxz: '农村',
  members: [{ sfzh: PERSON, xm: '张秀英', yhzgx: '01', zlnl: '半失能' }],
  enrollments,
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
const enrollment = enrollmentOf(PERSON, '980.00');
const certificate = (o: { grade?: number; status?: string; subsidies?: Subsidy[] } = {}) => ({
  certNo: `${PERSON}4${o.grade ?? 3}`,
  idCard: PERSON,
  name: '张秀英',
  category: 4,
  grade: o.grade ?? 3,
  issueDate: '2019-06-14',
  validUntil: '2029-06-13',
  status: o.status ?? 'VALID',
  regionCode: '371003105209',
  subsidies: o.subsidies ?? [],
  modifiedAt: '2026-01-05T10:00:00+08:00',
});
const living = (startDate: string, endDate: string | null = null): Subsidy => ({ type: 'LIVING', monthlyAmount: '100.00', startDate, endDate });
const nursing = (startDate: string): Subsidy => ({ type: 'NURSING', monthlyAmount: '100.00', startDate, endDate: null });

export const G2Cases: RuleCase[] = [
  {
    name: 'a disabled DIBAO member without the living subsidy',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] }, disability: [certificate()] },
    expect: [key],
  },
  {
    name: 'a disabled TEKUN person without the living subsidy',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('TK', '2024-01-01')])] }, disability: [certificate()] },
    expect: [key],
  },
  {
    name: 'any grade counts: grade 4',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] }, disability: [certificate({ grade: 4 })] },
    expect: [key],
  },
  {
    name: 'the living subsidy is active on d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] }, disability: [certificate({ subsidies: [living('2024-03-01')] })] },
    expect: [],
    expectNot: [key],
  },
  {
    name: 'the living subsidy ended the day before d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] },
      disability: [certificate({ subsidies: [living('2024-03-01', '2026-10-30')] })],
    },
    expect: [key],
  },
  {
    name: 'the nursing subsidy does not stand in for the living subsidy',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] }, disability: [certificate({ grade: 1, subsidies: [nursing('2024-03-01')] })] },
    expect: [key],
  },
  {
    name: 'a low-income (DSR) household is neither DIBAO nor TEKUN',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DSR', '2024-01-01')])] }, disability: [certificate()] },
    expect: [],
  },
  {
    name: 'DB ended the day before d: no longer DIBAO',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01', '2026-10-30')])] }, disability: [certificate()] },
    expect: [],
  },
  {
    name: 'DB ends on d: still DIBAO on d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01', '2026-10-31')])] }, disability: [certificate()] },
    expect: [key],
  },
  {
    name: 'a DIBAO member whose certificate has EXPIRED is not disabled',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] }, disability: [certificate({ status: 'EXPIRED' })] },
    expect: [],
  },
  {
    name: 'a DIBAO member without a certificate',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] } },
    expect: [],
  },
  {
    name: 'deceased before d: never a gap',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] },
      disability: [certificate()],
      health: { deaths: [{ swzmbh: 'SZ371003202600901', sfzh: PERSON, xm: '张秀英', swrq: '2026-09-15', qhdm: '371003105209' }] },
    },
    expect: [],
    expectNot: [key],
  },
];
