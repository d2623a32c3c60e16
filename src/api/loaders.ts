import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import type { BenefitArgs, BenefitRow, HouseholdRow, MemberRow, PersonRow, SyncRunRow } from './rows';
import type { Viewer } from '../auth/viewer';
import type { Region } from '../graph/entities/Region';
import type { Programme } from '../graph/entities/Programme';
import { factLoaderFactory } from './factLoaders';
import { createRuleLoaders, type RuleLoaders } from './ruleLoaders';
import * as batches from './batches';
import { batchLoader, type Batch } from './batches';

/**
 * Per-request loaders: one SQL statement per level of a query, whatever the page size, each
 * scoped by the viewer (./batches.ts). Created for every request so nothing cached outlives it.
 * A request's plan (./requestPlan.ts) usually fills them all with one statement beforehand;
 * what it did not foresee they still read, a level at a time.
 */
export interface Loaders {
  personById: DataLoader<string, PersonRow | null>;
  personByIdNumber: DataLoader<string, PersonRow | null>;
  householdById: DataLoader<string, HouseholdRow | null>;
  /** rules.md "a person's household" as of a date (weijiu_person_household) */
  householdOfPerson(asOf: string): DataLoader<string, string | null>;
  /** rules.md "a person's region" as of a date (weijiu_person_region) */
  regionOfPerson(asOf: string): DataLoader<string, string | null>;
  membersOfHousehold(asOf: string): DataLoader<string, MemberRow[]>;
  benefitsOfPerson(args: BenefitArgs): DataLoader<string, BenefitRow[]>;
  benefitsOfHousehold(args: BenefitArgs): DataLoader<string, BenefitRow[]>;
  deathOfPerson: DataLoader<string, string | null>;
  regionByCode: DataLoader<string, Region | null>;
  childrenOfRegion: DataLoader<string, Region[]>;
  runsOfConnector(first: number): DataLoader<string, SyncRunRow[]>;
  programmeByCode: DataLoader<string, Programme | null>;
  /** findings, decisions, parameters, categories and coverage */
  rules: RuleLoaders;
  /** each department's facts about people */
  facts: ReturnType<typeof factLoaderFactory>;
  observationsOfPerson: DataLoader<string, Array<{ feed: string; name: string; regionCode: string | null; observedAt: Date }>>;
}

export interface LoaderDeps {
  pool: Pool;
  viewer: Viewer;
  city: string;
  /** the date "today" means for this request (Asia/Shanghai) */
  today: string;
}

/** One loader per distinct argument (a date, a page size): a query may ask for several. */
function perArgument<A, V>(key: (a: A) => string, make: (a: A) => DataLoader<string, V>): (a: A) => DataLoader<string, V> {
  const made = new Map<string, DataLoader<string, V>>();
  return (a) => {
    const k = key(a);
    let loader = made.get(k);
    if (!loader) made.set(k, (loader = make(a)));
    return loader;
  };
}

export function createLoaders(deps: LoaderDeps): Loaders {
  const { pool, viewer, city } = deps;
  const scope = { viewer, city };
  const load = <V>(batch: Batch<V>, read?: (rows: any[]) => void) => batchLoader(pool, batch, read);

  const personById = load<PersonRow | null>(batches.personsById(scope));
  const personByIdNumber = load<PersonRow | null>(batches.personsByIdNumber(scope), (rows) => {
    for (const r of rows) personById.prime(r.id, r);
  });
  const benefitsOf = (owner: 'person_id' | 'household_id') =>
    perArgument((a: BenefitArgs) => `${a.activeOn ?? ''}|${a.year ?? ''}`, (a) => load<BenefitRow[]>(batches.benefitsOf(scope, owner, a)));

  return {
    rules: createRuleLoaders(pool, viewer, city),
    facts: factLoaderFactory(pool, viewer, city),
    observationsOfPerson: load(batches.observationsOfPerson(scope)),
    personById,
    personByIdNumber,
    householdById: load<HouseholdRow | null>(batches.householdsById(scope)),
    householdOfPerson: perArgument((d: string) => d, (d) => load(batches.householdOfPerson(d))),
    regionOfPerson: perArgument((d: string) => d, (d) => load(batches.regionOfPerson(d))),
    membersOfHousehold: perArgument((d: string) => d, (d) => load<MemberRow[]>(batches.membersOfHousehold(scope, d))),
    benefitsOfPerson: benefitsOf('person_id'),
    benefitsOfHousehold: benefitsOf('household_id'),
    deathOfPerson: load(batches.deathOfPerson(scope)),
    regionByCode: load<Region | null>(batches.regionsByCode),
    childrenOfRegion: load<Region[]>(batches.childrenOfRegion),
    runsOfConnector: perArgument((n: number) => String(n), (n) => load<SyncRunRow[]>(batches.runsOfConnector(n))),
    programmeByCode: load<Programme | null>(batches.programmesByCode),
  };
}
