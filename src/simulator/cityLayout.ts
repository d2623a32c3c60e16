/**
 * Where the city's households live: a size for every village and community (村/社区) of the
 * region table, so that a household is placed in proportion to it and the region-stats feed
 * reports the same city the other feeds describe. Urban communities (社区) are about ten times
 * the size of a village; each county's total follows its resident population (常住人口).
 */
import { Random, streamSeed } from './random';
import type { CityRegions, Village } from './regions';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { round } = Math;

/** 常住人口 of Weihai's county-level areas (about 2.94 million in all). */
const WEIHAI_RESIDENTS: Record<string, number> = {
  '371002': 610_000,
  '371003': 560_000,
  '371071': 230_000,
  '371072': 260_000,
  '371073': 110_000,
  '371082': 720_000,
  '371083': 450_000,
};

/** Residents of a county the table does not know (another city). */
const DEFAULT_COUNTY_RESIDENTS = 400_000;
/** People per household: Weihai averages about 2.47. */
const URBAN_HOUSEHOLD_SIZE = 2.38;
const RURAL_HOUSEHOLD_SIZE = 2.62;

export interface VillageSize {
  village: Village;
  /** 户数 at full city size */
  households: number;
  /** 常住人口 */
  residents: number;
}

export class CityLayout {
  readonly sizes: VillageSize[];
  /** cumulative share of the city's households, village by village, ending at 1 */
  private readonly cumulative: Float64Array;
  readonly countyResidents: Map<string, number>;

  constructor(regions: CityRegions, seed: number) {
    const rng = new Random(streamSeed(seed, 0xc17));
    const weights = regions.villages.map((v) => (v.urban ? 10 : 1) * (0.45 + rng.next() * 1.1));
    const countyWeight = new Map<string, number>();
    regions.villages.forEach((v, i) => countyWeight.set(v.countyCode, (countyWeight.get(v.countyCode) ?? 0) + weights[i]));
    this.countyResidents = new Map(regions.counties.map((c) => [c.code, WEIHAI_RESIDENTS[c.code] ?? DEFAULT_COUNTY_RESIDENTS]));

    this.sizes = regions.villages.map((village, i) => {
      const residents = round(((this.countyResidents.get(village.countyCode) ?? DEFAULT_COUNTY_RESIDENTS) * weights[i]) / (countyWeight.get(village.countyCode) as number));
      const size = village.urban ? URBAN_HOUSEHOLD_SIZE : RURAL_HOUSEHOLD_SIZE;
      return { village, residents, households: Math.max(1, round(residents / (size * (0.94 + rng.next() * 0.12)))) };
    });
    const total = this.sizes.reduce((sum, s) => sum + s.households, 0);
    this.cumulative = new Float64Array(this.sizes.length);
    let running = 0;
    this.sizes.forEach((s, i) => {
      running += s.households;
      this.cumulative[i] = running / total;
    });
    this.cumulative[this.sizes.length - 1] = 1;
  }

  /** The village of a household, for a uniform draw in [0, 1). */
  pick(draw: number): Village {
    const c = this.cumulative;
    let low = 0;
    let high = c.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (c[middle] <= draw) low = middle + 1;
      else high = middle;
    }
    return this.sizes[low].village;
  }

  /** 户数 of the whole city at full size (about 1.19 million for Weihai). */
  get totalHouseholds(): number {
    return this.sizes.reduce((sum, s) => sum + s.households, 0);
  }
}
