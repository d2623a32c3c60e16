import { MetadataStorage, ReferenceKind, UnderscoreNamingStrategy, type EntityProperty } from '@mikro-orm/core';
import { Benefit } from './Benefit';
import { DangerousHouse } from './DangerousHouse';
import { DeathRecord } from './DeathRecord';
import { DisabilityCertificate } from './DisabilityCertificate';
import { EconomicFact } from './EconomicFact';
import { declaredFactTables, factClassOf, factTableOf, type FactClass } from './Fact';
import { Household } from './Household';
import { HouseholdRecord } from './HouseholdRecord';
import { MedicalSettlement } from './MedicalSettlement';
import { Membership } from './Membership';
import { Person } from './Person';
import { PovertyRecord } from './PovertyRecord';
import { RegionStat } from './RegionStat';
import { Registration } from './Registration';
import { Schooling } from './Schooling';

/**
 * The fact tables, by table name: ingest merges into them, a scoped rule run looks for the people
 * and households their rows name, the API loads them. Everything those need to know of a table
 * is read from its entity's metadata here (factTableMeta), never listed again.
 */
export const factEntities = {
  household_record: HouseholdRecord,
  membership: Membership,
  benefit: Benefit,
  registration: Registration,
  disability_certificate: DisabilityCertificate,
  schooling: Schooling,
  medical_settlement: MedicalSettlement,
  death_record: DeathRecord,
  dangerous_house: DangerousHouse,
  poverty_record: PovertyRecord,
  economic_fact: EconomicFact,
  region_stat: RegionStat,
} as const satisfies Record<string, FactClass>;

/** The hub's own fact tables, by name. */
export type HubFactTableName = keyof typeof factEntities;

/**
 * A fact table's name: one of the hub's own above, or one a connector declares in its folder with
 * @FactTable (its name is only known once the connector's module has loaded). A stream naming a
 * table nobody declared fails its first batch (factTableMeta).
 */
export type FactTableName = HubFactTableName | (string & {});

/** The hub's own fact tables. */
export const factTableNames = Object.keys(factEntities) as HubFactTableName[];

/**
 * Every fact table this process knows: the hub's own and those of the connectors loaded (the hub
 * and the command line load them all, connectors/index.ts). What ingest, a scoped rule run and
 * the API iterate over.
 */
export function allFactTableNames(): FactTableName[] {
  return declaredFactTables();
}

for (const [table, cls] of Object.entries(factEntities)) {
  // the key is the type-level name; the decorator is the table: they cannot disagree
  if (factTableOf(cls) !== table) throw new Error(`factEntities.${table} is declared with @FactTable('${factTableOf(cls)}')`);
}

/** A column of a fact table's own (not one of the columns every fact shares). */
export interface FactColumn {
  /** the entity property, also the name the API gives the column */
  property: string;
  column: string;
  /** the SQL type without length or precision (varchar, numeric…): what ingest casts the incoming JSON to */
  sqlType: string;
}

export interface FactTableMeta {
  table: FactTableName;
  /** the table's own columns in declaration order, without the id and the person and household references */
  columns: FactColumn[];
  /** whether its rows name a person (person_id), and whether they must */
  person?: 'required' | 'optional';
  /** whether its rows name a household (household_id), and whether they must */
  household?: 'required' | 'optional';
}

const cache = new Map<FactTableName, FactTableMeta>();
/** the hub's ORM names columns by MikroORM's default for PostgreSQL (src/db/database.ts sets none) */
const naming = new UnderscoreNamingStrategy();

/** What the entity of a fact table declares, as the code around the table needs it. */
export function factTableMeta(table: FactTableName): FactTableMeta {
  const cached = cache.get(table);
  if (cached) return cached;
  const cls = factClassOf(table);
  if (!cls) throw new Error(`${table} is not a fact table: no entity is declared with @FactTable('${table}')`);
  const meta = MetadataStorage.getMetadataFromDecorator(cls);
  const result: FactTableMeta = { table, columns: [] };
  // decorator options as written: columnType and fieldName are read before discovery expands them
  for (const prop of Object.values(meta.properties) as Array<EntityProperty & { columnType?: string; fieldName?: string }>) {
    if (prop.primary || prop.name === 'sourceRecord') continue;
    const column = columnOf(table, prop);
    if (prop.kind === ReferenceKind.MANY_TO_ONE) {
      const target = (prop.entity as () => unknown)();
      const need = prop.nullable ? 'optional' : 'required';
      if (target === Person && column === 'person_id') {
        result.person = need;
        continue;
      }
      if (target === Household && column === 'household_id') {
        result.household = need;
        continue;
      }
    }
    if (!prop.columnType) throw new Error(`${table}.${prop.name} has no columnType: its SQL type is what ingest casts to`);
    result.columns.push({ property: prop.name, column, sqlType: prop.columnType.replace(/\(.*\)$/, '') });
  }
  cache.set(table, result);
  return result;
}

function columnOf(table: string, prop: EntityProperty & { fieldName?: string }): string {
  if (prop.fieldName) return prop.fieldName;
  if (prop.kind !== ReferenceKind.SCALAR) throw new Error(`${table}.${prop.name}: a reference names its column (fieldName)`);
  return naming.propertyToColumnName(prop.name);
}
