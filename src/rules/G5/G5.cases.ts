import { type RuleCase } from '../cases/ruleCase';
import { deathCertificate, enrollmentOf, hospitalSettlement, household, idNo, member, type Enrollment } from '../cases/caseBuilders';

/** G5 in situations: hospital settlements as the 医保 API sends them, and the household that makes the patient DIBAO or TEKUN. */
const PATIENT = idNo('37108219651208337');
const key = (year: number) => `G5|person|${PATIENT}|${year}`;

const REGION = '371082102215';
let settlementNo = 0;
/** a stay settled on `on` of which the patient paid `outOfPocket`, medical assistance `assistance` */
const settled = (on: string, outOfPocket: string, assistance?: string) =>
  hospitalSettlement(PATIENT, on, outOfPocket, { id: `JS2026900${String(++settlementNo).padStart(3, '0')}`, name: '刘桂芝', assistance });
/** the patient's household of one */
const patientsHousehold = (...enrollments: Enrollment[]) =>
  household(PATIENT, {
    hhId: 'MZ-371082-900021', region: REGION, address: '荣成市测试地址21号', hukou: '农村', enrollments, updated: '2026-01-05T10:00:00+08:00',
    members: [member(PATIENT, { name: '刘桂芝', selfCare: '半失能' })],
  });
const enrollment = enrollmentOf(PATIENT);
const dibaoSince2024 = { households: [patientsHousehold(enrollment('DB', '2024-01-01'))] };

export const G5Cases: RuleCase[] = [
  {
    name: 'a DIBAO member pays 7000 + 5000 out of pocket in 2026, no medical assistance',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settled('2026-04-18', '7000.00'), settled('2026-09-23', '5000.00')] } },
    expect: [key(2026)],
  },
  {
    name: 'exactly the threshold (10000.00) is not more than it',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settled('2026-04-18', '6000.00'), settled('2026-09-23', '4000.00')] } },
    expect: [],
    expectNot: [key(2026)],
    decidedBy: 'OOP_OVER_THRESHOLD',
  },
  {
    name: 'one fen over the threshold (10000.01)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settled('2026-04-18', '6000.00'), settled('2026-09-23', '4000.01')] } },
    expect: [key(2026)],
  },
  {
    name: 'one settlement of the year had medical assistance (yljz > 0)',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibaoSince2024,
      health: { settlements: [settled('2026-04-18', '7000.00'), settled('2026-09-23', '5000.00', '0.01')] },
    },
    expect: [],
    expectNot: [key(2026)],
    decidedBy: 'NO_MEDICAL_ASSISTANCE',
  },
  {
    name: 'medical assistance in the previous year does not cover this one',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibaoSince2024,
      health: { settlements: [settled('2025-11-02', '800.00', '1200.00'), settled('2026-04-18', '7000.00'), settled('2026-09-23', '5000.00')] },
    },
    expect: [key(2026)],
  },
  {
    name: 'DB began on 1 May: the 8000 settled on 30 April does not count, only the 5000 of 1 May',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [patientsHousehold(enrollment('DB', '2026-05-01'))] },
      health: { settlements: [settled('2026-04-30', '8000.00'), settled('2026-05-01', '5000.00')] },
    },
    expect: [],
    expectNot: [key(2026)],
    decidedBy: 'OOP_OVER_THRESHOLD',
  },
  {
    name: 'DB began on 1 May, the day of the second settlement: 7000 + 5000 from that day on',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [patientsHousehold(enrollment('DB', '2026-05-01'))] },
      health: { settlements: [settled('2026-04-30', '8000.00'), settled('2026-05-01', '7000.00'), settled('2026-06-01', '5000.00')] },
    },
    expect: [key(2026)],
  },
  {
    name: 'DB ended on 30 June: the 5000 settled on 1 July does not count',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [patientsHousehold(enrollment('DB', '2024-01-01', '2026-06-30'))] },
      health: { settlements: [settled('2026-04-18', '7000.00'), settled('2026-07-01', '5000.00')] },
    },
    expect: [],
    expectNot: [key(2026)],
    decidedBy: 'OOP_OVER_THRESHOLD',
  },
  {
    name: 'TEKUN in 2025 (ended since): the 2025 costs are a gap of 2025',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [patientsHousehold(enrollment('TK', '2024-01-01', '2025-12-31'))] },
      health: { settlements: [settled('2025-03-10', '6000.00'), settled('2025-12-31', '4500.00'), settled('2026-02-01', '9000.00')] },
    },
    expect: [key(2025)],
    expectNot: [key(2026)],
    decidedBy: 'OOP_OVER_THRESHOLD',
  },
  {
    name: 'the calendar year decides: 6000 in December and 6000 in January are two years under the threshold',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settled('2025-12-31', '6000.00'), settled('2026-01-01', '6000.00')] } },
    expect: [],
    expectNot: [key(2025), key(2026)],
    decidedBy: 'OOP_OVER_THRESHOLD',
  },
  {
    name: 'the second 6000 is settled on 1 July, the day after d: not yet counted',
    asOf: '2026-06-30',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settled('2026-06-30', '6000.00'), settled('2026-07-01', '6000.00')] } },
    expect: [],
    expectNot: [key(2026)],
    decidedBy: 'OOP_OVER_THRESHOLD',
  },
  {
    name: 'the same settlements as of 1 July, the day of the second: 12000',
    asOf: '2026-07-01',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settled('2026-06-30', '6000.00'), settled('2026-07-01', '6000.00')] } },
    expect: [key(2026)],
  },
  {
    name: 'a low-income (DSR) household is neither DIBAO nor TEKUN',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [patientsHousehold(enrollment('DSR', '2024-01-01'))] },
      health: { settlements: [settled('2026-04-18', '30000.00')] },
    },
    expect: [],
    expectNot: [key(2026)],
    decidedBy: 'OOP_OVER_THRESHOLD',
  },
  {
    name: 'the patient died on 2 October, before d: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibaoSince2024,
      health: {
        settlements: [settled('2026-04-18', '7000.00'), settled('2026-09-23', '5000.00')],
        deaths: [deathCertificate(PATIENT, '2026-10-02', { number: 'SZ371082202600921', name: '刘桂芝', region: REGION })],
      },
    },
    expect: [],
    expectNot: [key(2026)],
    decidedBy: 'ALIVE',
  },
];
