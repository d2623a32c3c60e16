import { type RuleCase } from '../cases/ruleCase';
import {
  disabilityCertificate, enrollmentOf, household as householdRecord, idNo, livingSubsidy, member, nursingSubsidy, type Enrollment, type Subsidy,
} from '../cases/caseBuilders';

const PERSON = idNo('37100319710119412');
const key = `G2|person|${PERSON}`;

/** G2 in situations: the civil-affairs household that makes the person DIBAO or TEKUN, and their 残联 certificate. */
const household = (enrollments: Enrollment[]) =>
  householdRecord(PERSON, {
    hhId: 'MZ-371003-900001',
    region: '371003105209',
    address: '文登区测试地址2号',
    hukou: '农村',
    members: [member(PERSON, { name: '张秀英', selfCare: '半失能' })],
    enrollments,
    updated: '2026-01-05T10:00:00+08:00',
  });
const enrollment = enrollmentOf(PERSON, '980.00');
/** grade 3, valid, no subsidy unless said */
const certificate = (o: { grade?: number; status?: string; subsidies?: Subsidy[] } = {}) =>
  disabilityCertificate(PERSON, { name: '张秀英', issueDate: '2019-06-14', validUntil: '2029-06-13', region: '371003105209', ...o });
const living = livingSubsidy;
const nursing = (startDate: string) => nursingSubsidy(startDate);

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
    decidedBy: 'NO_LIVING_SUBSIDY',
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
    expectNot: [key],
    decidedBy: 'DIBAO_OR_TEKUN',
  },
  {
    name: 'DB ended the day before d: no longer DIBAO',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01', '2026-10-30')])] }, disability: [certificate()] },
    expect: [],
    expectNot: [key],
    decidedBy: 'DIBAO_OR_TEKUN',
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
    expectNot: [key],
    decidedBy: 'DISABLED',
  },
  {
    name: 'a DIBAO member without a certificate',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01')])] } },
    expect: [],
    expectNot: [key],
    decidedBy: 'DISABLED',
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
    decidedBy: 'ALIVE',
  },
];
