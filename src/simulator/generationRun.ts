/**
 * What every part of one generation run shares: the as-of day, the city's villages, issued ID
 * numbers and record counters, and the people and households being generated.
 */
import { dayFromCivil, dayFromIsoDate, yearOf } from './calendar';
import { CityLayout } from './cityLayout';
import { IssuedIdNumbers } from './issuedIdNumbers';
import type { Sex } from './names';
import type { Random } from './random';
import type { HouseholdProgramme, SelfCare } from './records';
import { type CityRegions, loadCityRegions, type Village } from './regions';

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
  | 'couple'
  | 'singleParent'
  | 'coupleWithChildren'
  | 'withParents'
  | 'threeGenerations'
  | 'grandparentsRaising';

/** 残疾 a disability as the federation certifies it: category 1–7, grade 1 (most severe) – 4 */
export interface Disability {
  category: number;
  grade: number;
}

export interface Person {
  id: string;
  name: string;
  sex: Sex;
  birth: number;
  relation: string;
  selfCare: SelfCare;
  /** the day of death, when it fell before the as-of day */
  death: number | null;
  disability: Disability | null;
  /** a long-term illness: more hospital stays */
  chronic: boolean;
}

export interface Household {
  /** hh_id in the civil-affairs registry; null for a household in no civil-affairs programme */
  id: string | null;
  village: Village;
  address: string;
  template: Template;
  /** the civil-affairs programme the household was drawn for, if any */
  programme: HouseholdProgramme | null;
  /** the newest state's members (what grants and registers refer to) */
  members: Person[];
}

export interface RunSettings {
  city: string;
  asOf: string;
  seed: number;
  /** calendar years of health settlements, ascending */
  healthYears: number[];
}

/** Counters and lookups shared by all households of one generation run. */
export class Run {
  readonly asOf: number;
  readonly asOfYear: number;
  readonly regions: CityRegions;
  readonly villages: Village[];
  readonly knownVillageCodes: Set<string>;
  readonly layout: CityLayout;
  readonly ids: IssuedIdNumbers;
  readonly healthYears: number[];
  /** deaths are generated from the first day of the first health year */
  readonly deathsFrom: number;
  private readonly counters = new Map<string, number>();

  constructor(settings: RunSettings) {
    this.asOf = dayFromIsoDate(settings.asOf);
    this.asOfYear = yearOf(this.asOf);
    this.ids = new IssuedIdNumbers(settings.city);
    this.regions = loadCityRegions(settings.city);
    this.villages = this.regions.villages;
    this.knownVillageCodes = new Set(this.villages.map((village) => village.code));
    this.layout = new CityLayout(this.regions, settings.seed);
    this.healthYears = settings.healthYears;
    this.deathsFrom = dayFromCivil(settings.healthYears[0], 1, 1);
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
