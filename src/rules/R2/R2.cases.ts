import { regionFigures, regionStatsOf } from '../cases/caseBuilders';
import { type RuleCase } from '../cases/ruleCase';

/**
 * R2 in situations: 800户以下 includes 800 (one coordinator needed), 801 needs two; an empty figure
 * is unknown, not zero; only villages (12-digit codes) and only the figures of the year of d.
 */
const VILLAGE = '371002002019';
const R2_2026 = `R2|region|${VILLAGE}|2026`;

/** a village's row of region_stats_YYYY.csv; only the village columns are filled */
const row = (region: string, households: string, coordinators: string, year = '2026') =>
  regionFigures(region, { year: Number(year), residents: '2100', households, coordinators });
const stats = regionStatsOf;

export const R2Cases: RuleCase[] = [
  {
    name: 'exactly 800 households (800户以下) and no coordinator: one is required',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2026, row(VILLAGE, '800', '0')) },
    expect: [R2_2026],
  },
  {
    name: 'exactly 800 households with one coordinator: enough',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2026, row(VILLAGE, '800', '1')) },
    expect: [],
    expectNot: [R2_2026],
    decidedBy: 'COORDINATORS_BELOW_MINIMUM',
  },
  {
    name: '801 households with one coordinator: two are required',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2026, row(VILLAGE, '801', '1')) },
    expect: [R2_2026],
  },
  {
    name: '801 households with two coordinators: enough',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2026, row(VILLAGE, '801', '2')) },
    expect: [],
    expectNot: [R2_2026],
    decidedBy: 'COORDINATORS_BELOW_MINIMUM',
  },
  {
    name: 'the coordinator count is empty: unknown, not zero — not evaluated',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2026, row(VILLAGE, '300', '')) },
    expect: [],
    expectNot: [R2_2026],
    decidedBy: 'COORDINATORS_KNOWN',
  },
  {
    name: 'the household count is empty: unknown, so the minimum is unknown — not evaluated',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2026, row(VILLAGE, '', '0')) },
    expect: [],
    expectNot: [R2_2026],
    decidedBy: 'HOUSEHOLDS_KNOWN',
  },
  {
    name: 'a town (9-digit code) without coordinators is not a village',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2026, row('371002002', '800', '0')) },
    expect: [],
    expectNot: ['R2|region|371002002|2026'],
    decidedBy: 'VILLAGE_FIGURES',
  },
  {
    name: "only last year's figures: nothing to evaluate for the year of d",
    asOf: '2026-10-31',
    feeds: { regionStats: stats(2025, row(VILLAGE, '800', '0', '2025')) },
    expect: [],
    expectNot: [R2_2026, `R2|region|${VILLAGE}|2025`],
    decidedBy: 'VILLAGE_FIGURES',
  },
  {
    name: 'as of a day in 2025 the 2025 figures are used, and the year is the item',
    asOf: '2025-06-30',
    feeds: { regionStats: stats(2025, row(VILLAGE, '800', '0', '2025')) },
    expect: [`R2|region|${VILLAGE}|2025`],
  },
];
