/**
 * What every part of one generation run shares: the as-of day, the city's villages, issued ID
 * numbers and record counters, and the people and households being generated.
 */
import { dayFromCivil, dayFromIsoDate } from './calendar';
import { IssuedIdNumbers } from './issuedIdNumbers';
import type { Sex } from './names';
import type { Random } from './random';
import type { HouseholdProgramme, SelfCare } from './records';
import { loadCityRegions, type Village } from './regions';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { min } = Math;

/** Programme histories begin in 2015. */
export const HISTORY_START = dayFromCivil(2015, 1, 1);
export const YEAR = 365.2425;
const OFFICE_OPENS = 8 * 3600;
const OFFICE_CLOSES = 18 * 3600;

/** The kinds of family the population is drawn from. */
export type Template =
  | 'singleElder'
  | 'elderCouple'
  | 'singleAdult'
  | 'singleParent'
  | 'coupleWithChildren'
  | 'withParents'
  | 'threeGenerations'
  | 'grandparentsRaising';

export interface Person {
  id: string;
  name: string;
  sex: Sex;
  birth: number;
  relation: string;
  selfCare: SelfCare;
}

export interface Household {
  id: string;
  village: Village;
  address: string;
  template: Template;
  programme: HouseholdProgramme;
  /** the newest state's members (what grants and registers refer to) */
  members: Person[];
}

/** Counters and lookups shared by all households of one generation run. */
export class Run {
  readonly asOf: number;
  readonly villages: Village[];
  readonly knownVillageCodes: Set<string>;
  readonly ids: IssuedIdNumbers;
  private readonly counters = new Map<string, number>();

  constructor(settings: { city: string; asOf: string }) {
    this.asOf = dayFromIsoDate(settings.asOf);
    this.ids = new IssuedIdNumbers(settings.city);
    this.villages = loadCityRegions(settings.city).villages;
    this.knownVillageCodes = new Set(this.villages.map((village) => village.code));
  }

  /** 1, 2, 3… per counter name. */
  next(counter: string): number {
    const value = (this.counters.get(counter) ?? 0) + 1;
    this.counters.set(counter, value);
    return value;
  }
}

/** Yuan as the registry writes them: `1230.00`. */
export function amount(yuan: number): string {
  return yuan.toFixed(2);
}

/** A second of office hours, for updated_at. */
export function timeOfDay(rng: Random): number {
  return rng.int(OFFICE_OPENS, OFFICE_CLOSES - 1);
}

/** A day in [earliest, earliest + maxLag], not after the as-of day; null when earliest is past it. */
export function dayAfter(rng: Random, run: Run, earliest: number, maxLag: number): number | null {
  if (earliest > run.asOf) return null;
  return min(run.asOf, earliest + rng.int(0, maxLag));
}
