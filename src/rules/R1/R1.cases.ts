import { regionFigures, regionStatsOf } from '../cases/caseBuilders';
import type { RuleCase } from '../cases/ruleCase';

/**
 * R1 in situations: a town of 50,000 residents (50,000 and under) needs 3 full-time civil-affairs
 * staff, one of 50,001 needs 5; equal to the minimum is enough. An empty figure is unknown, not
 * zero; only towns (9-digit codes), and only the figures of the year of d.
 */
const TOWN = '371002001';
const R1_2026 = `R1|region|${TOWN}|2026`;

const town = (residents: string, staff: string, o: { region?: string; year?: number } = {}) =>
  regionFigures(o.region ?? TOWN, { year: o.year, residents, households: '16000', staff });

export const R1Cases: RuleCase[] = [
  {
    name: 'exactly 50000 residents (50,000 and under) with 2 staff: 3 are required',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('50000', '2')) },
    expect: [R1_2026],
  },
  {
    name: 'exactly 50000 residents with 3 staff: enough',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('50000', '3')) },
    expect: [],
    expectNot: [R1_2026],
    decidedBy: 'STAFF_BELOW_MINIMUM',
  },
  {
    name: '50001 residents with 3 staff: over the split, 5 are required',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('50001', '3')) },
    expect: [R1_2026],
  },
  {
    name: '50001 residents with 4 staff: one short of 5',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('50001', '4')) },
    expect: [R1_2026],
  },
  {
    name: '50001 residents with 5 staff: enough',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('50001', '5')) },
    expect: [],
    expectNot: [R1_2026],
    decidedBy: 'STAFF_BELOW_MINIMUM',
  },
  {
    name: 'a small town with no staff at all: a finding',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('1200', '0')) },
    expect: [R1_2026],
  },
  {
    name: 'the staff count is empty: unknown, not zero — not evaluated',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('42000', '')) },
    expect: [],
    expectNot: [R1_2026],
    decidedBy: 'STAFF_KNOWN',
  },
  {
    name: 'the resident count is empty: unknown, so the minimum is unknown — not evaluated',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('', '1')) },
    expect: [],
    expectNot: [R1_2026],
    decidedBy: 'RESIDENTS_KNOWN',
  },
  {
    name: 'a county (6-digit code) with one staff member is not a town',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('42000', '1', { region: '371002' })) },
    expect: [],
    expectNot: ['R1|region|371002|2026'],
    decidedBy: 'TOWN_FIGURES',
  },
  {
    name: 'a village (12-digit code) with one staff member is not a town',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('2100', '0', { region: '371002001001' })) },
    expect: [],
    expectNot: ['R1|region|371002001001|2026'],
    decidedBy: 'TOWN_FIGURES',
  },
  {
    name: "only last year's figures: nothing to evaluate for the year of d",
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2025, town('50000', '2', { year: 2025 })) },
    expect: [],
    expectNot: [R1_2026, `R1|region|${TOWN}|2025`],
    decidedBy: 'TOWN_FIGURES',
  },
  {
    name: 'as of a day in 2025 the 2025 figures are used, and the year is the item',
    asOf: '2025-06-30',
    feeds: { regionStats: regionStatsOf(2025, town('50000', '2', { year: 2025 })) },
    expect: [`R1|region|${TOWN}|2025`],
  },
  {
    name: 'two towns in one file: only the one short of staff is found',
    asOf: '2026-10-31',
    feeds: { regionStats: regionStatsOf(2026, town('30000', '3'), town('60000', '4', { region: '371002002' })) },
    expect: ['R1|region|371002002|2026'],
    expectNot: [R1_2026],
    decidedBy: 'STAFF_BELOW_MINIMUM',
  },
];
