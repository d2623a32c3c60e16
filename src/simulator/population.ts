/**
 * A deterministic synthetic population of one city (default Weihai, 3710, about 1.19 million
 * households and 2.9 million people at full size), as all eight departments hold it: the same
 * people, names and households in every feed. About 3% of households are in a civil-affairs
 * programme (低保, 特困, 低收入); everybody has hospital stays, deaths, disabilities, assets,
 * schooling, housing and poverty records at the rates of real life, with the mess and the
 * invalid records of real exports.
 *
 * Household i is drawn from its own random streams seeded by (seed, i), so the first N
 * households are the same whatever total is asked for, and nothing is held in memory but the
 * issued ID numbers (bitsets: about 30 MB for a whole city) and some counters.
 */
import { dayFromIsoDate, isoDate, yearOf } from './calendar';
import { certificatesOf, type TimedRecord } from './disability';
import { educationFileName } from './dropNames';
import { economicFactsOf, type KnownPerson } from './economicFacts';
import { schoolTerms, studentAidOf } from './education';
import type { Family } from './family';
import { buildMembers, CITY_TEMPLATES, MemberFactory, TEMPLATES } from './families';
import { type Household, type Person, Run } from './generationRun';
import { grantsOf, type GrantRates } from './grants';
import { type DatedRecord, type DeathEntry, deathsOf, settlementsOf } from './health';
import { buildEnrollments, buildVersions, type Enrollment, householdRecord, recordDeaths, type Version } from './householdHistory';
import { housingOf } from './housing';
import { liveOut } from './lifeEvents';
import { povertyRowsOf, povertyStatusOf } from './povertyRelief';
import { type Delivery, messUpHousehold, spoilHousehold } from './recordFaults';
import { Random, streamSeed } from './random';
import type {
  DropRow,
  ExpectedInvalid,
  HouseholdProgramme,
  SimDisabledPerson,
  SimGrant,
  SimHousehold,
  SimRegistration,
  SimSettlement,
  StudentAidRow,
} from './records';
import { registrationsOf, type RegistrationRates } from './registrations';
import { regionStatsOf, type RegionStats } from './regionStats';

export type {
  ApprovalLevel,
  DropRow,
  EconomicSource,
  ExpectedInvalid,
  FeedName,
  GrantProgramme,
  HouseholdProgramme,
  QuarantineReason,
  RegisterKind,
  SelfCare,
  SheetCell,
  SimDeath,
  SimDisabledPerson,
  SimEconomicFact,
  SimEnrollment,
  SimGrant,
  SimHousehold,
  SimMember,
  SimRegistration,
  SimSettlement,
  SimSubsidy,
  StudentAidRow,
} from './records';
export type { DatedRecord, DeathEntry } from './health';
export type { TimedRecord } from './disability';
export type { KnownPerson } from './economicFacts';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, min } = Math;

export interface PopulationOptions {
  seed: number;
  /** households of the city to generate (Weihai has about 1.19 million) */
  households: number;
  /** 4-digit prefecture code; default '3710' (Weihai) */
  city?: string;
  /** share of delivered records with a messy but valid form; default 0.02 */
  messyRate?: number;
  /** share of delivered records made invalid on purpose; default 0.005 */
  invalidRate?: number;
  /** the last day anything happened, `YYYY-MM-DD`; default '2026-10-31' (the samples' as-of date) */
  asOf?: string;
  /**
   * share of households in a civil-affairs programme (低保, 特困, 低收入); default 0.027, about
   * Weihai's. 1 makes every household an assisted one (civil-affairs tests).
   */
  assistedShare?: number;
  /** calendar years of health settlements (deaths are generated from the first); default the as-of year and the one before */
  healthYears?: number[];
}

export type ResolvedOptions = Required<PopulationOptions>;

/** What one household contributes to each feed. */
export interface SimFamily {
  /** the people of the household, the dead and those who moved out included */
  people: number;
  /** civil affairs: every delivered version of the household record, oldest first (none outside civil affairs) */
  households: SimHousehold[];
  grants: SimGrant[];
  registrations: SimRegistration[];
  /** health */
  settlements: DatedRecord<SimSettlement>[];
  deaths: DeathEntry[];
  /** disability: every delivered version of each certificate */
  disabledPersons: TimedRecord<SimDisabledPerson>[];
  /** economic check: the facts of each adult the oracle knows */
  economicFacts: KnownPerson[];
  /** education: rows of both terms, each naming its term */
  studentAid: StudentAidRow[];
  /** housing: rows of the 保障房 and 危房 sheets, 序号 filled in */
  publicHousing: DropRow[];
  dangerousHouses: DropRow[];
  /** poverty relief: one row per member */
  poverty: DropRow[];
  /** the records of this household made invalid on purpose, with their lines and rows */
  invalid: ExpectedInvalid[];
}

const DEFAULT_AS_OF = '2026-10-31';

/** Shares of the civil-affairs programmes among assisted households (Weihai: about 1.5% 低保, 0.6% 特困, 0.6% 低收入). */
const PROGRAMME_MIX: readonly (readonly [HouseholdProgramme, number])[] = [['DB', 55], ['TK', 20], ['DSR', 25]];

/** Rates of the situations the rules look for, kept low as in real ledgers. */
const RATES = {
  /** the civil-affairs registry never learns of a member's death (rule D3) */
  missedDeath: 0.05,
  assistedGrants: { temporary: 0.1, afterDeath: 0.3, bothChildAllowances: 0.04 } satisfies GrantRates,
  otherGrants: { temporary: 0.003, afterDeath: 0.3, bothChildAllowances: 0.04 } satisfies GrantRates,
  assistedRegistrations: { leftBehindElder: 0.25, leftBehindWoman: 0.2, leftBehindChild: 0.25, childInDifficulty: 0.15, vagrant: 0.05 } satisfies RegistrationRates,
  ruralRegistrations: { leftBehindElder: 0.05, leftBehindWoman: 0.03, leftBehindChild: 0.08, childInDifficulty: 0.04, vagrant: 0.002 } satisfies RegistrationRates,
  urbanRegistrations: { leftBehindElder: 0.01, leftBehindWoman: 0.01, leftBehindChild: 0.03, childInDifficulty: 0.03, vagrant: 0.002 } satisfies RegistrationRates,
  health: { assistanceGap: 0.05 },
  disability: { nursingGap: 0.03, livingGap: 0.05, missedDeath: 0.05 },
  economic: { overTheLine: 0.03 },
  education: { doubleEnrolment: 0.01 },
  housing: { keptSubsidy: 0.05 },
};

export function resolveOptions(opts: PopulationOptions): ResolvedOptions {
  const asOf = opts.asOf ?? DEFAULT_AS_OF;
  const year = yearOf(dayFromIsoDate(asOf));
  return {
    seed: opts.seed,
    households: opts.households,
    city: opts.city ?? '3710',
    messyRate: opts.messyRate ?? 0.02,
    invalidRate: opts.invalidRate ?? 0.005,
    asOf,
    assistedShare: opts.assistedShare ?? 0.027,
    healthYears: [...(opts.healthYears ?? [year - 1, year])].sort((a, b) => a - b),
  };
}

/** Where each file row lands: the lines of the CSV files and the rows of the sheets, counted as the writers write them. */
class Placement {
  private readonly counts = new Map<string, number>();

  /** the next data row's number, the header and the rows above it counted as `headerRows` */
  next(file: string, headerRows: number): number {
    const count = (this.counts.get(file) ?? 0) + 1;
    this.counts.set(file, count);
    return count + headerRows;
  }
}

/** Streams the population household by household, with every feed's records of each household. */
export function* generatePopulation(opts: PopulationOptions): Generator<SimFamily> {
  yield* generate(resolveOptions(opts), false);
}

function* generate(options: ResolvedOptions, civilAffairsOnly: boolean): Generator<SimFamily> {
  const run = new Run(options);
  const { seed, messyRate, invalidRate, assistedShare } = options;
  const terms = schoolTerms(run.asOf);
  const placement = new Placement();

  for (let index = 0; index < options.households; index++) {
    const rng = new Random(streamSeed(seed, index, 1));
    const delivery: Delivery = {
      mess: new Random(streamSeed(seed, index, 2)),
      faults: new Random(streamSeed(seed, index, 3)),
      messyRate,
      invalidRate,
      invalid: [],
    };
    const village = run.layout.pick(rng.next());
    const county = village.countyCode;
    const programme = rng.chance(assistedShare) ? rng.weighted(PROGRAMME_MIX) : null;
    const template = programme ? rng.weighted(TEMPLATES[programme]) : rng.weighted(CITY_TEMPLATES[village.urban ? 'urban' : 'rural']);
    const people = buildMembers(rng, new MemberFactory(rng, run, county), template, programme);
    const enrollments = programme ? buildEnrollments(rng, run, programme, template, people) : null;
    const address = enrollments?.institutional
      ? `${village.countyName}${village.townName}敬老院`
      : `${village.countyName}${village.townName}${village.placeName}${rng.int(1, 199)}号`;
    const lives = new Random(streamSeed(seed, index, 6));
    const assistedFrom = enrollments ? max(...enrollments.current.map((e) => e.start)) + 30 : -Infinity;
    liveOut(lives, run, people, programme !== null, assistedFrom);

    const family: Family = {
      index, id: null, village, address, template, programme, members: people, people, enrollments: [],
      activeAtEnd: false, spoiled: false, childAllowances: new Set<Person>(), poverty: null, delivery,
    };
    let households: SimHousehold[] = [];
    if (programme && enrollments) {
      family.id = `MZ-${county}-${`${run.next(`household-${county}`)}`.padStart(6, '0')}`;
      // A spoiled household is delivered once, so its key stands for exactly one bad record.
      family.spoiled = delivery.faults.chance(invalidRate);
      const versions = buildVersions(rng, run, people, enrollments, family.spoiled);
      if (!family.spoiled) recordDeaths(lives, run, versions, people, RATES.missedDeath);
      settleFamily(run, family, versions);
      households = civilAffairsRecords(rng, run, family, versions);
    }

    const assisted = programme !== null;
    const grants = grantsOf(new Random(streamSeed(seed, index, 4)), run, family, delivery, assisted ? RATES.assistedGrants : RATES.otherGrants, family.childAllowances);
    const registrationRates = assisted ? RATES.assistedRegistrations : village.urban ? RATES.urbanRegistrations : RATES.ruralRegistrations;
    const registrations = registrationsOf(new Random(streamSeed(seed, index, 5)), run, family, delivery, registrationRates);
    if (civilAffairsOnly) {
      yield emptyFamily(people.length, households, grants, registrations, delivery.invalid);
      continue;
    }

    family.poverty = povertyStatusOf(new Random(streamSeed(seed, index, 7)), run, family);
    const settlements = settlementsOf(new Random(streamSeed(seed, index, 8)), run, family, RATES.health);
    const deaths = deathsOf(new Random(streamSeed(seed, index, 9)), run, family);
    const disabledPersons = certificatesOf(new Random(streamSeed(seed, index, 10)), run, family, RATES.disability);
    const economicFacts = economicFactsOf(new Random(streamSeed(seed, index, 11)), run, family, RATES.economic);
    const studentAid = studentAidOf(new Random(streamSeed(seed, index, 12)), run, family, terms, RATES.education);
    const housing = housingOf(new Random(streamSeed(seed, index, 13)), run, family, RATES.housing);
    const poverty = povertyRowsOf(run, family);

    // Lines and rows as the writers will write them: CSV header on line 1, sheet title row 1 and header row 2.
    for (const row of studentAid) {
      const line = placement.next(educationFileName(row.term), 1);
      if (row.fault) row.fault.line = line;
    }
    for (const [rows, sheet] of [[housing.publicHousing, '保障房'], [housing.dangerousHouses, '危房']] as const) {
      for (const row of rows) {
        const at = placement.next(sheet, 2);
        row.cells[0] = at - 2;
        if (row.fault) row.fault.row = at;
      }
    }
    for (const row of poverty) {
      const line = placement.next('poverty', 1);
      if (row.fault) row.fault.line = line;
    }

    yield {
      people: people.length, households, grants, registrations, settlements, deaths, disabledPersons, economicFacts, studentAid,
      publicHousing: housing.publicHousing, dangerousHouses: housing.dangerousHouses, poverty, invalid: delivery.invalid,
    };
  }
}

/** The newest state the registry recorded, as the other departments' records follow it. */
function settleFamily(run: Run, family: Family, versions: Version[]): void {
  const newest = versions[versions.length - 1];
  family.members = newest.state.members;
  // Everything of a deleted record ends on the day of its deletion.
  family.enrollments = newest.deleted
    ? newest.state.enrollments.map((e): Enrollment => ({ ...e, end: min(e.end ?? Infinity, newest.day) }))
    : newest.state.enrollments;
  family.activeAtEnd =
    !family.spoiled && !newest.deleted && family.enrollments.some((e) => e.start <= run.asOf && (e.end === null || e.end >= run.asOf));
}

function civilAffairsRecords(rng: Random, run: Run, family: Family, versions: Version[]): SimHousehold[] {
  const { delivery } = family;
  const household: Household = family;
  const households = versions.map((version) => householdRecord(household, version));
  if (family.spoiled) {
    const fault = spoilHousehold(delivery.faults, run, household, households[0]);
    if (fault) delivery.invalid.push(fault);
  } else {
    for (const record of households) if (delivery.mess.chance(delivery.messyRate)) messUpHousehold(delivery.mess, record);
    // Now and then the registry delivers the same record twice.
    if (rng.chance(0.005)) households.push(structuredClone(households[households.length - 1]));
  }
  return households;
}

function emptyFamily(people: number, households: SimHousehold[], grants: SimGrant[], registrations: SimRegistration[], invalid: ExpectedInvalid[]): SimFamily {
  return {
    people, households, grants, registrations, settlements: [], deaths: [], disabledPersons: [], economicFacts: [], studentAid: [],
    publicHousing: [], dangerousHouses: [], poverty: [], invalid,
  };
}

/** The household records (every delivered version), household by household. */
export function* generateHouseholds(opts: PopulationOptions): Generator<SimHousehold> {
  for (const family of generate(resolveOptions(opts), true)) yield* family.households;
}

/** Grants (LS 临时救助, GE 孤儿, SW 事实无人抚养儿童) to members of the same households. */
export function* generateGrants(opts: PopulationOptions): Generator<SimGrant> {
  for (const family of generate(resolveOptions(opts), true)) yield* family.grants;
}

/** Special-group registrations of members of the same households. */
export function* generateRegistrations(opts: PopulationOptions): Generator<SimRegistration> {
  for (const family of generate(resolveOptions(opts), true)) yield* family.registrations;
}

/** The region-stats file of the as-of year: every region of the city, figures by the city's layout. */
export function generateRegionStats(opts: PopulationOptions): RegionStats {
  const options = resolveOptions(opts);
  const run = new Run(options);
  return regionStatsOf(run.regions, run.layout, { seed: options.seed, year: run.asOfYear, messyRate: options.messyRate, invalidRate: options.invalidRate });
}

/** Every record made invalid on purpose, in every feed, with its key and the reason the hub must quarantine it for. */
export function expectedInvalid(opts: PopulationOptions): ExpectedInvalid[] {
  const all: ExpectedInvalid[] = [];
  for (const family of generatePopulation(opts)) all.push(...family.invalid);
  all.push(...generateRegionStats(opts).invalid);
  return all;
}

export interface Population {
  /** people of all households, the dead and those who moved out included */
  residents: number;
  households: SimHousehold[];
  grants: SimGrant[];
  registrations: SimRegistration[];
  settlements: DatedRecord<SimSettlement>[];
  deaths: DeathEntry[];
  disabledPersons: TimedRecord<SimDisabledPerson>[];
  economicFacts: KnownPerson[];
  studentAid: StudentAidRow[];
  publicHousing: DropRow[];
  dangerousHouses: DropRow[];
  poverty: DropRow[];
  regionStats: RegionStats;
  invalid: ExpectedInvalid[];
}

/** The whole population in memory, from one pass (for demos and tests of modest size). */
export function collectPopulation(opts: PopulationOptions): Population {
  const regionStats = generateRegionStats(opts);
  const population: Population = {
    residents: 0,
    households: [], grants: [], registrations: [], settlements: [], deaths: [], disabledPersons: [], economicFacts: [],
    studentAid: [], publicHousing: [], dangerousHouses: [], poverty: [], regionStats, invalid: [],
  };
  for (const family of generatePopulation(opts)) {
    population.residents += family.people;
    for (const key of ['households', 'grants', 'registrations', 'settlements', 'deaths', 'disabledPersons', 'economicFacts', 'studentAid', 'publicHousing', 'dangerousHouses', 'poverty', 'invalid'] as const) {
      (population[key] as unknown[]).push(...(family[key] as unknown[]));
    }
  }
  population.invalid.push(...regionStats.invalid);
  return population;
}

/** The as-of day and the terms and years the feeds cover, for configuring a hub against them. */
export function coverage(opts: PopulationOptions): { asOf: string; healthYears: number[]; terms: string[]; snapshot: string } {
  const options = resolveOptions(opts);
  const asOf = dayFromIsoDate(options.asOf);
  return { asOf: options.asOf, healthYears: options.healthYears, terms: schoolTerms(asOf).map((t) => t.name), snapshot: isoDate(asOf) };
}
