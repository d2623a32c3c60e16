/**
 * What every registry's next day shares: the new day, its random streams, the share of records
 * that change, the rates of mess and faults, the city's villages, who has died, and the ID
 * numbers given to the people born since the city was generated.
 */
import { addYears, compactDate, dayFromCivil, isoDate, yearOf } from './calendar';
import { canonicalId, idNumber } from './idNumber';
import { pickGivenName, type Sex } from './names';
import { Random, streamSeed } from './random';
import type { ExpectedInvalid, FeedName } from './records';
import type { CityRegions, Village } from './regions';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { floor } = Math;

/** Tags of the next day's random streams, one per registry and purpose. */
export const STREAM = {
  civilAffairs: 1,
  grants: 2,
  registrations: 3,
  settlements: 4,
  deaths: 5,
  disability: 6,
  economic: 7,
  poverty: 8,
  housing: 9,
  education: 10,
  faults: 11,
  mess: 12,
  newHouseholds: 13,
} as const;

/** The ID numbers of people born since generation: none of the generated people is born in the last 30 days before it. */
export class NewbornIds {
  private readonly issued = new Set<string>();

  issue(rng: Random, region6: string, birth: number, sex: Sex): string {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const sequence = sex === 'M' ? rng.int(0, 499) * 2 + 1 : rng.int(1, 499) * 2;
      const id = idNumber(region6, compactDate(birth), sequence);
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
    throw new Error(`no free ID sequence left for ${region6} on ${isoDate(birth)}`);
  }
}

export interface NextDay {
  /** the new as-of day */
  day: number;
  seed: number;
  /** share of each feed's records that change */
  share: number;
  messyRate: number;
  invalidRate: number;
  regions: CityRegions;
  villages: ReadonlyMap<string, Village>;
  knownVillageCodes: ReadonlySet<string>;
  /** people with a death certificate (canonical IDs), today's deaths included once chosen */
  dead: Set<string>;
  newborns: NewbornIds;
  /** the records made invalid on purpose so far; a day's new ones are pushed here */
  expectedInvalid: ExpectedInvalid[];
}

/** An independent random stream of the day for one purpose. */
export function streamOf(next: NextDay, purpose: number): Random {
  return new Random(streamSeed(next.seed, 0x4e44, next.day, purpose));
}

/** The keys of the records of one feed (and endpoint or file) that were made invalid on purpose. */
export function invalidKeys(next: NextDay, feed: FeedName, where?: string): Set<string> {
  const keys = new Set<string>();
  for (const entry of next.expectedInvalid) if (entry.feed === feed && (where === undefined || entry.where === where)) keys.add(entry.key);
  return keys;
}

/** A whole number of changes expected to be `expected` on average: the fraction decided by a draw. */
export function countOf(rng: Random, expected: number): number {
  const whole = floor(expected);
  return whole + (rng.chance(expected - whole) ? 1 : 0);
}

/** Cents of an amount in any delivered form (`1,234.50`, `¥1234.5`, `1234.50元`), or null when not a plain non-negative amount. */
export function centsOf(value: unknown): number | null {
  if (typeof value === 'number') return value >= 0 ? Math.round(value * 100) : null;
  if (typeof value !== 'string') return null;
  const plain = value.trim().replace(/^[¥￥]/, '').replace(/元$/, '').replace(/,/g, '');
  return /^\d+(\.\d{1,2})?$/.test(plain) ? Math.round(Number(plain) * 100) : null;
}

/** Yuan as the registries write them: `1230.00`. */
export function yuanOf(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** The birth day in a canonical ID. */
export function birthOf(id: string): number {
  return dayFromCivil(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

export function sexOf(id: string): Sex {
  return Number(id[16]) % 2 === 1 ? 'M' : 'F';
}

/** Whole years of age on a day, from a canonical ID. */
export function ageOf(id: string, day: number): number {
  const birth = birthOf(id);
  let age = yearOf(day) - yearOf(birth);
  if (addYears(birth, age) > day) age -= 1;
  return age;
}

/** A village code as delivered (12 digits, maybe with a spreadsheet's `.0`) when it is a known village; else null. */
export function knownVillage(next: NextDay, code: unknown): Village | null {
  const plain = String(code ?? '').trim().replace(/\.0$/, '');
  return next.villages.get(plain) ?? null;
}

/** A newborn of the last weeks, registered in the county of the household. */
export function newborn(next: NextDay, rng: Random, county: string, surname: string): { id: string; name: string; birth: number; sex: Sex } {
  const sex: Sex = rng.chance(0.51) ? 'M' : 'F';
  const birth = next.day - rng.int(1, 25);
  const id = next.newborns.issue(rng, county, birth, sex);
  return { id, name: surname + pickGivenName(rng, sex, yearOf(birth)), birth, sex };
}

export { canonicalId };
