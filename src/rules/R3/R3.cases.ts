import { regionFigures, regionStatsOf } from '../cases/caseBuilders';
import { type RuleCase } from '../cases/ruleCase';

/**
 * R3 in situations: a county's 储备金 against 5 yuan × 常住人口 and a town's 备用金 against 50000,
 * each at the boundary (equal is enough), a cent below, and empty figures (unknown, not zero).
 */
const COUNTY = '371083';
const TOWN = '371082008';
const COUNTY_2026 = `R3|region|${COUNTY}|2026`;
const TOWN_2026 = `R3|region|${TOWN}|2026`;

/** rows of region_stats_YYYY.csv, as a county and a town carry them */
const county = (residents: string, reserve: string) => regionFigures(COUNTY, { residents, households: '176000', reserve });
const town = (backup: string, region = TOWN) => regionFigures(region, { residents: '42000', households: '16000', staff: '4', backup });
const stats = (...rows: Array<Record<string, string>>) => regionStatsOf(2026, ...rows);

export const R3Cases: RuleCase[] = [
  {
    name: 'a county reserve of 2240739.00 for 450000 residents (2250000 required)',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(county('450000', '2240739.00')) },
    expect: [COUNTY_2026],
  },
  {
    name: 'a county reserve of exactly 5 × residents: enough',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(county('450000', '2250000.00')) },
    expect: [],
    expectNot: [COUNTY_2026],
    decidedBy: 'FUND_BELOW_MINIMUM',
  },
  {
    name: 'a county reserve one cent short',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(county('450000', '2249999.99')) },
    expect: [COUNTY_2026],
  },
  {
    name: 'the county reserve is empty: unknown, not zero — not evaluated',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(county('450000', '')) },
    expect: [],
    expectNot: [COUNTY_2026],
    decidedBy: 'FIGURES_KNOWN',
  },
  {
    name: 'the county population is empty: the required reserve is unknown — not evaluated',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(county('', '1000.00')) },
    expect: [],
    expectNot: [COUNTY_2026],
    decidedBy: 'FIGURES_KNOWN',
  },
  {
    name: 'a town backup fund of 49999.99',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(town('49999.99')) },
    expect: [TOWN_2026],
  },
  {
    name: 'a town backup fund of exactly 50000: enough',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(town('50000')) },
    expect: [],
    expectNot: [TOWN_2026],
    decidedBy: 'FUND_BELOW_MINIMUM',
  },
  {
    name: 'the town backup fund is empty: unknown, not zero — not evaluated',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(town('')) },
    expect: [],
    expectNot: [TOWN_2026],
    decidedBy: 'FIGURES_KNOWN',
  },
  {
    name: 'a village row with a small backup figure is neither a county nor a town',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(town('100.00', '371082008001')) },
    expect: [],
    expectNot: ['R3|region|371082008001|2026'],
    decidedBy: 'COUNTY_OR_TOWN_FIGURES',
  },
  {
    name: 'a short county and a short town in the same file are two findings',
    asOf: '2026-10-31',
    feeds: { regionStats: stats(county('450000', '2240739.00'), town('29000.00')) },
    expect: [COUNTY_2026, TOWN_2026],
  },
];
