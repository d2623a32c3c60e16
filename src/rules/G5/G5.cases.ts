import { type RuleCase } from '../cases/ruleCase';
import { enrollmentOf, idNo } from '../cases/caseBuilders';

const PATIENT = idNo('37108219651208337');
const key = (year: number) => `G5|person|${PATIENT}|${year}`;

type Enrollment = ReturnType<typeof enrollment>;

/** G5 in situations: hospital settlements as the 医保 API sends them, and the household that makes the patient DIBAO or TEKUN. */
let jsid = 0;
const settlement = (jsrq: string, grzf: string, yljz = '0.00', sfzh = PATIENT) => ({
  jsid: `JS2026900${String(++jsid).padStart(3, '0')}`, sfzh, xm: '刘桂芝', jsrq,
  zfy: (Number(grzf) * 2 + Number(yljz)).toFixed(2), ybbx: grzf, yljz, grzf, jbzd: 'I63.9', dbbz: '0',
});
const household = (enrollments: Enrollment[]) => ({
  hh_id: 'MZ-371082-900021',
  hzsfzh: PATIENT,
  jtdz: '荣成市测试地址21号',
  qhdm: '371082102215',
  hjxz: '农村',
  members: [{ sfzh: PATIENT, xm: '刘桂芝', yhzgx: '01', zlnl: '半失能' }],
  enrollments,
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
const enrollment = enrollmentOf(PATIENT);
const dibaoSince2024 = { households: [household([enrollment('DB', '2024-01-01')])] };

export const G5Cases: RuleCase[] = [
  {
    name: 'a DIBAO member pays 7000 + 5000 out of pocket in 2026, no medical assistance',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settlement('2026-04-18', '7000.00'), settlement('2026-09-23', '5000.00')] } },
    expect: [key(2026)],
  },
  {
    name: 'exactly the threshold (10000.00) is not more than it',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settlement('2026-04-18', '6000.00'), settlement('2026-09-23', '4000.00')] } },
    expect: [],
    expectNot: [key(2026)],
  },
  {
    name: 'one fen over the threshold (10000.01)',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settlement('2026-04-18', '6000.00'), settlement('2026-09-23', '4000.01')] } },
    expect: [key(2026)],
  },
  {
    name: 'one settlement of the year had medical assistance (yljz > 0)',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibaoSince2024,
      health: { settlements: [settlement('2026-04-18', '7000.00'), settlement('2026-09-23', '5000.00', '0.01')] },
    },
    expect: [],
  },
  {
    name: 'medical assistance in the previous year does not cover this one',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibaoSince2024,
      health: { settlements: [settlement('2025-11-02', '800.00', '1200.00'), settlement('2026-04-18', '7000.00'), settlement('2026-09-23', '5000.00')] },
    },
    expect: [key(2026)],
  },
  {
    name: 'settlements before DB began do not count: only the 5000 after it',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([enrollment('DB', '2026-05-01')])] },
      health: { settlements: [settlement('2026-04-30', '8000.00'), settlement('2026-05-01', '5000.00')] },
    },
    expect: [],
  },
  {
    name: 'DB began on the day of the second settlement: 7000 + 5000 from that day on',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([enrollment('DB', '2026-05-01')])] },
      health: { settlements: [settlement('2026-04-30', '8000.00'), settlement('2026-05-01', '7000.00'), settlement('2026-06-01', '5000.00')] },
    },
    expect: [key(2026)],
  },
  {
    name: 'DB ended mid-year: a later settlement does not count',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([enrollment('DB', '2024-01-01', '2026-06-30')])] },
      health: { settlements: [settlement('2026-04-18', '7000.00'), settlement('2026-07-01', '5000.00')] },
    },
    expect: [],
  },
  {
    name: 'TEKUN in 2025 (ended since): the 2025 costs are a gap of 2025',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([enrollment('TK', '2024-01-01', '2025-12-31')])] },
      health: { settlements: [settlement('2025-03-10', '6000.00'), settlement('2025-12-31', '4500.00'), settlement('2026-02-01', '9000.00')] },
    },
    expect: [key(2025)],
    expectNot: [key(2026)],
  },
  {
    name: 'the calendar year decides: 6000 in December and 6000 in January are two years under the threshold',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settlement('2025-12-31', '6000.00'), settlement('2026-01-01', '6000.00')] } },
    expect: [],
  },
  {
    name: 'a settlement after d is not yet counted',
    asOf: '2026-06-30',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settlement('2026-06-30', '6000.00'), settlement('2026-07-01', '6000.00')] } },
    expect: [],
  },
  {
    name: 'the same settlements, as of the day of the second',
    asOf: '2026-07-01',
    feeds: { civilAffairs: dibaoSince2024, health: { settlements: [settlement('2026-06-30', '6000.00'), settlement('2026-07-01', '6000.00')] } },
    expect: [key(2026)],
  },
  {
    name: 'a low-income (DSR) household is neither DIBAO nor TEKUN',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([enrollment('DSR', '2024-01-01')])] },
      health: { settlements: [settlement('2026-04-18', '30000.00')] },
    },
    expect: [],
  },
  {
    name: 'the patient died before d: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibaoSince2024,
      health: {
        settlements: [settlement('2026-04-18', '7000.00'), settlement('2026-09-23', '5000.00')],
        deaths: [{ swzmbh: 'SZ371082202600921', sfzh: PATIENT, xm: '刘桂芝', swrq: '2026-10-02', qhdm: '371082102215' }],
      },
    },
    expect: [],
  },
];
