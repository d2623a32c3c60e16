/**
 * A deterministic synthetic population of assisted households in one city (default Weihai,
 * 3710), as the civil-affairs registry (民政局) would hold it: households with their members and
 * programme enrollments, person-level grants and special-group registrations, with the mess and
 * the invalid records of real exports.
 *
 * Household i is drawn from its own random streams seeded by (seed, i), so the first N
 * households are the same whatever total is asked for, and nothing is held in memory but the
 * issued ID numbers (bitsets: about 30 MB for a whole city) and some counters.
 */
import { buildMembers, MemberFactory, TEMPLATES } from './families';
import { grantsOf } from './grants';
import { buildEnrollments, buildVersions, householdRecord } from './householdHistory';
import { type Household, Run } from './generationRun';
import { type Delivery, messUpHousehold, spoilHousehold } from './recordFaults';
import { Random, streamSeed } from './random';
import type { SimGrant, SimHousehold, SimRegistration, ExpectedInvalid } from './records';
import { registrationsOf } from './registrations';

export type {
  ApprovalLevel,
  ExpectedInvalid,
  GrantProgramme,
  HouseholdProgramme,
  QuarantineReason,
  RegisterKind,
  SelfCare,
  SimEnrollment,
  SimGrant,
  SimHousehold,
  SimMember,
  SimRegistration,
} from './records';

export interface PopulationOptions {
  seed: number;
  households: number;
  /** 4-digit prefecture code; default '3710' (Weihai) */
  city?: string;
  /** share of delivered records with a messy but valid form; default 0.02 */
  messyRate?: number;
  /** share of delivered records made invalid on purpose; default 0.005 */
  invalidRate?: number;
  /** the last day anything happened, `YYYY-MM-DD`; default '2026-10-31' (the samples' as-of date) */
  asOf?: string;
}

/** What one household contributes to each endpoint of the registry. */
export interface SimFamily {
  /** every delivered version of the household record, oldest first */
  households: SimHousehold[];
  grants: SimGrant[];
  registrations: SimRegistration[];
  invalid: ExpectedInvalid[];
}

const DEFAULT_AS_OF = '2026-10-31';

function resolveOptions(opts: PopulationOptions): Required<PopulationOptions> {
  return {
    seed: opts.seed,
    households: opts.households,
    city: opts.city ?? '3710',
    messyRate: opts.messyRate ?? 0.02,
    invalidRate: opts.invalidRate ?? 0.005,
    asOf: opts.asOf ?? DEFAULT_AS_OF,
  };
}

/** Streams the population household by household, with each household's grants and registrations. */
export function* generatePopulation(opts: PopulationOptions): Generator<SimFamily> {
  const options = resolveOptions(opts);
  const run = new Run(options);
  const { seed, messyRate, invalidRate } = options;

  for (let index = 0; index < options.households; index++) {
    const rng = new Random(streamSeed(seed, index, 1));
    const delivery: Delivery = {
      mess: new Random(streamSeed(seed, index, 2)),
      faults: new Random(streamSeed(seed, index, 3)),
      messyRate,
      invalidRate,
      invalid: [],
    };
    const village = run.villages[rng.int(0, run.villages.length - 1)];
    const county = village.countyCode;
    const programme = rng.weighted([['DB', 70], ['TK', 10], ['DSR', 20]] as const);
    const template = rng.weighted(TEMPLATES[programme]);
    const members = buildMembers(rng, new MemberFactory(rng, run, county), template, programme);
    const enrollments = buildEnrollments(rng, run, programme, template, members);
    const address = enrollments.institutional
      ? `${village.countyName}${village.townName}敬老院`
      : `${village.countyName}${village.townName}${village.placeName}${rng.int(1, 199)}号`;
    const hhId = `MZ-${county}-${`${run.next(`household-${county}`)}`.padStart(6, '0')}`;

    // A spoiled household is delivered once, so its key stands for exactly one bad record.
    const spoiled = delivery.faults.chance(invalidRate);
    const versions = buildVersions(rng, run, members, enrollments, spoiled);
    const newest = versions[versions.length - 1].state.members;
    const household: Household = { id: hhId, village, address, template, programme, members: newest };

    const households = versions.map((version) => householdRecord(household, version));
    if (spoiled) {
      const fault = spoilHousehold(delivery.faults, run, household, households[0]);
      if (fault) delivery.invalid.push(fault);
    } else {
      for (const record of households) if (delivery.mess.chance(messyRate)) messUpHousehold(delivery.mess, record);
      // Now and then the registry delivers the same record twice.
      if (rng.chance(0.005)) households.push(structuredClone(households[households.length - 1]));
    }

    const grants = grantsOf(new Random(streamSeed(seed, index, 4)), run, household, delivery);
    const registrations = registrationsOf(new Random(streamSeed(seed, index, 5)), run, household, delivery);
    yield { households, grants, registrations, invalid: delivery.invalid };
  }
}

/** The household records (every delivered version), household by household. */
export function* generateHouseholds(opts: PopulationOptions): Generator<SimHousehold> {
  for (const family of generatePopulation(opts)) yield* family.households;
}

/** Grants (LS 临时救助, GE 孤儿, SW 事实无人抚养儿童) to members of the same households. */
export function* generateGrants(opts: PopulationOptions): Generator<SimGrant> {
  for (const family of generatePopulation(opts)) yield* family.grants;
}

/** Special-group registrations of members of the same households. */
export function* generateRegistrations(opts: PopulationOptions): Generator<SimRegistration> {
  for (const family of generatePopulation(opts)) yield* family.registrations;
}

/** Every record made invalid on purpose, with its key and the reason the hub must quarantine it for. */
export function expectedInvalid(opts: PopulationOptions): ExpectedInvalid[] {
  const all: ExpectedInvalid[] = [];
  for (const family of generatePopulation(opts)) all.push(...family.invalid);
  return all;
}

export interface Population {
  households: SimHousehold[];
  grants: SimGrant[];
  registrations: SimRegistration[];
  invalid: ExpectedInvalid[];
}

/** The whole population in memory, from one pass (for demos and tests of modest size). */
export function collectPopulation(opts: PopulationOptions): Population {
  const population: Population = { households: [], grants: [], registrations: [], invalid: [] };
  for (const family of generatePopulation(opts)) {
    population.households.push(...family.households);
    population.grants.push(...family.grants);
    population.registrations.push(...family.registrations);
    population.invalid.push(...family.invalid);
  }
  return population;
}
