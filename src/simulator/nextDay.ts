/**
 * The registries move on by a day: for every feed about `share` of its records change the way
 * that registry's records change in life, the servers serve the new state at once, and the file
 * drops receive the files those departments would drop the next day. The same city and the same
 * sequence of days give the same bytes. A death of the day is one person everywhere: certified
 * in the health registry, and left out of the day's changes of the disability register, grants
 * and the economic check (the other registries learn of it weeks later, as in life).
 *
 * Memory: the spooled records are read back one at a time; what is held is the newest version
 * per key of the civil-affairs and disability records (keys and positions), the records chosen
 * to change, and the housing ledger's rows (kept since generation).
 */
import { dayFromIsoDate, isoDate } from './calendar';
import { civilAffairsNextDay, civilAffairsPeople } from './civilAffairsNextDay';
import type { CivilAffairsData } from './civilAffairsRegistry';
import { DisabilityNextDay } from './disabilityNextDay';
import { economicCheckNextDay } from './economicCheckNextDay';
import { educationNextDay } from './educationNextDay';
import { deathsNextDay, knownDeaths, settlementsNextDay } from './healthNextDay';
import { housingNextDay } from './housingNextDay';
import { NewbornIds, type NextDay } from './nextDayContext';
import { povertyReliefNextDay } from './povertyReliefNextDay';
import { type CityRegions, loadCityRegions, type Village } from './regions';
import type { SimulatedCity } from './simulation';

export interface AdvanceOptions {
  /** share of each feed's records that change; default 0.01 */
  share?: number;
}

export interface AdvanceCounts {
  /** the new as-of day, `YYYY-MM-DD` */
  asOf: string;
  /** records new or changed per feed, keyed like SimulationCounts.records (a snapshot's rows left out count as changed) */
  records: Record<string, number>;
}

export class CityDays {
  private day: number;
  private readonly newborns = new NewbornIds();
  private running: Promise<unknown> = Promise.resolve();
  private readonly regions: CityRegions;
  private readonly villages: Map<string, Village>;

  constructor(private readonly city: SimulatedCity, private readonly civilAffairs: CivilAffairsData) {
    this.day = dayFromIsoDate(city.asOf);
    this.regions = loadCityRegions(city.options.city);
    this.villages = new Map(this.regions.villages.map((village) => [village.code, village]));
  }

  get asOf(): string {
    return isoDate(this.day);
  }

  /** Moves every registry on by one day; calls are taken one after another. */
  advance(opts: AdvanceOptions = {}): Promise<AdvanceCounts> {
    const share = opts.share ?? 0.01;
    if (!(share >= 0 && share <= 1)) return Promise.reject(new RangeError(`share must be between 0 and 1, not ${share}`));
    const result = this.running.then(() => this.nextDay(share));
    this.running = result.catch(() => undefined);
    return result;
  }

  private async nextDay(share: number): Promise<AdvanceCounts> {
    const { city } = this;
    const { options } = city;
    const { dead, sequences } = knownDeaths(city.health);
    const next: NextDay = {
      day: this.day + 1, seed: options.seed, share, messyRate: options.messyRate, invalidRate: options.invalidRate,
      regions: this.regions, villages: this.villages, knownVillageCodes: new Set(this.villages.keys()),
      dead, newborns: this.newborns, expectedInvalid: city.expectedInvalid,
    };
    const records: Record<string, number> = {};

    const people = civilAffairsPeople(next, this.civilAffairs);
    const disability = new DisabilityNextDay(next, city.disability);
    records['health/deaths'] = deathsNextDay(next, city.health, [...disability.elderly, ...people.elderly], sequences);
    records['disability/persons'] = disability.publish();
    records['health/settlements'] = settlementsNextDay(next, city.health);
    const poverty = povertyReliefNextDay(next, city.drops.folders.poverty, people.members);
    Object.assign(records, civilAffairsNextDay(next, this.civilAffairs, people, poverty.newcomers, poverty.listed));
    const economic = economicCheckNextDay(next, city.economic);
    records['economic-check/people'] = economic.people;
    records['economic-check/facts'] = economic.facts;
    records['education/rows'] = educationNextDay(next, city.drops.folders.education, city.counts.records['education/rows'] ?? 0, city.drops.rows);
    const housing = await housingNextDay(next, city.drops.folders.housing, options.city, city.drops.housingRows);
    records['housing/保障房'] = housing.publicHousing;
    records['housing/危房'] = housing.dangerousHouses;
    records['poverty-relief/rows'] = poverty.rows;
    // A year's region figures do not change from one day to the next.
    records['region-stats/rows'] = 0;

    this.day = next.day;
    return { asOf: this.asOf, records };
  }
}
