/**
 * The API's batched reads, each as one statement over a set of keys. The keys are SQL: a bound
 * array when a DataLoader runs the statement alone, or a column of an earlier read of the same
 * request when the request's plan (./requestPlan.ts) runs all its reads as one statement. Either
 * way the statement, its scope by the viewer and what it makes of the rows are the ones here.
 */
// the GraphQL types' classes below carry decorator metadata
import 'reflect-metadata';
import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import type { Viewer } from '../auth/viewer';
import { regionScope } from '../auth/viewer';
import { householdRegionOf } from './householdRegionOf';
import type { BenefitArgs } from './rows';
import { PersonType } from './types/Person';
import { HouseholdType, MemberType } from './types/Household';
import { BenefitType } from './types/Benefit';
import { RegionType } from './types/Region';

export interface Batch<V> {
  /** the keys' SQL type */
  keyType: 'bigint' | 'text';
  /**
   * The statement for the keys given by `keys`, a SQL array expression; its own parameters pushed
   * onto `params`. With `want`, only the columns it names need be computed (a plan knows which
   * fields are asked: a member's "listed since", a benefit's source record cost reads of their own);
   * without, every column.
   */
  sql(keys: string, params: unknown[], want?: Want): string;
  /**
   * A row as read by pg and the same row read from JSON made alike: ids and decimals as strings,
   * times as Dates (bigint and numeric are numbers in JSON, timestamps strings).
   */
  revive(row: any): void;
  /** The value of each key, from the rows. */
  assemble(keys: readonly string[], rows: any[]): V[];
  /** For a value that is one column of its row (a household's id): that column, for the next read to take its keys from. */
  valueColumn?: string;
}

const BATCH_OF = new WeakMap<DataLoader<string, any>, Batch<any>>();

/** The statement a loader runs, for a plan to run it as part of its own. */
export function batchOf(loader: DataLoader<string, any>): Batch<any> | undefined {
  return BATCH_OF.get(loader);
}

/** A DataLoader that runs the batch's statement for the keys it collected. */
export function batchLoader<V>(pool: Pool, batch: Batch<V>, read?: (rows: any[]) => void): DataLoader<string, V> {
  const loader = new DataLoader<string, V>(async (keys) => {
    const params: unknown[] = [keys];
    const { rows } = await pool.query(batch.sql(`$1::${batch.keyType}[]`, params), params);
    for (const r of rows) batch.revive(r);
    read?.(rows);
    return batch.assemble(keys, rows);
  });
  BATCH_OF.set(loader, batch);
  return loader;
}

/** The columns a plan needs of a batch's rows. */
export type Want = (column: string) => boolean;

const EVERY_COLUMN: Want = () => true;

export interface BatchScope {
  viewer: Viewer;
  city: string;
}

export function byKey<T>(keys: readonly string[], rows: T[], key: (r: T) => string): Array<T | null> {
  const m = new Map(rows.map((r) => [key(r), r]));
  return keys.map((k) => m.get(k) ?? null);
}

export function groupByKey<T>(keys: readonly string[], rows: T[], key: (r: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(key(r));
    if (list) list.push(r);
    else m.set(key(r), [r]);
  }
  return keys.map((k) => m.get(k) ?? []);
}

/** Columns that JSON gives as numbers and pg as strings (bigint ids, numeric amounts). */
export function asStrings(row: Record<string, unknown>, columns: readonly string[]): void {
  for (const c of columns) {
    const v = row[c];
    if (typeof v === 'number') row[c] = String(v);
  }
}

/** Timestamps: JSON gives strings. */
export function asDates(row: Record<string, unknown>, columns: readonly string[]): void {
  for (const c of columns) {
    const v = row[c];
    if (typeof v === 'string') row[c] = new Date(v);
  }
}

/**
 * A row made an instance of its GraphQL type's class. type-graphql copies a row into a new
 * instance of the class before every field resolver it runs on it, unless the row already is one:
 * a page of fifty findings with eight resolved fields each was four hundred copies.
 */
export function asInstanceOf(row: object, type: { prototype: object }): void {
  if (Object.getPrototypeOf(row) !== type.prototype) Object.setPrototypeOf(row, type.prototype);
}

/** A source record as the benefit and fact reads build it (jsonb: its times are strings either way). */
export function reviveSource(source: { versionAt: unknown; receivedAt: unknown }): void {
  source.versionAt = source.versionAt ? new Date(source.versionAt as string) : null;
  source.receivedAt = new Date(source.receivedAt as string);
}

/** A DEPARTMENT reads only what its own feed says of who knows a person or household. */
export function ownFeedOnly(viewer: Viewer, column: string, params: unknown[]): string {
  if (viewer.role !== 'DEPARTMENT') return 'true';
  params.push(viewer.department);
  return `${column} = $${params.length}`;
}

export const PERSON_COLUMNS = `p.id::text as id, p.id_number as "idNumber", p.name, p.sex, p.birth_date as "birthDate", p.region_code as "regionCode"`;

export const revivePerson = (r: any) => {
  asStrings(r, ['id']);
  asInstanceOf(r, PersonType);
};

export function personsById({ viewer, city }: BatchScope): Batch<any> {
  return {
    keyType: 'bigint',
    sql: (keys, params) => `select ${PERSON_COLUMNS} from person p where p.id = any(${keys}) and ${regionScope(viewer, city, 'p.region_code', params)}`,
    revive: revivePerson,
    assemble: (keys, rows) => byKey(keys, rows, (r) => r.id),
  };
}

export function personsByIdNumber({ viewer, city }: BatchScope): Batch<any> {
  return {
    keyType: 'text',
    sql: (keys, params) => `select ${PERSON_COLUMNS} from person p where p.id_number = any(${keys}) and ${regionScope(viewer, city, 'p.region_code', params)}`,
    revive: revivePerson,
    assemble: (keys, rows) => byKey(keys, rows, (r) => r.idNumber),
  };
}

export function householdsById({ viewer, city }: BatchScope): Batch<any> {
  return {
    keyType: 'bigint',
    sql: (keys, params, want = EVERY_COLUMN) => {
      const scope = regionScope(viewer, city, householdRegionOf('h.id'), params);
      const record = want('registrationType') || want('address');
      const columns = [`h.id::text as id`, `h.head_person_id::text as "headPersonId"`];
      if (want('regionCode')) columns.push(`${householdRegionOf('h.id')} as "regionCode"`);
      if (record) columns.push(`r.registration_type as "registrationType"`, `r.address`);
      if (want('sources')) {
        const sourcesSeen = ownFeedOnly(viewer, 'hr.feed', params);
        columns.push(`coalesce((
           select jsonb_agg(jsonb_build_object('feed', hr.feed, 'recordKey', hr.record_key) order by hr.feed, hr.record_key)
             from household_record hr where hr.household_id = h.id and hr.retired_at is null and ${sourcesSeen}), '[]'::jsonb) as sources`);
      }
      return `select ${columns.join(', ')}
         from household h
         ${record ? `left join lateral (
           select registration_type, address from household_record hr
            where hr.household_id = h.id and hr.retired_at is null
            order by (hr.valid_to is null) desc, weijiu_feed_rank(hr.feed), hr.record_key
            limit 1) r on true` : ''}
        where h.id = any(${keys}) and ${scope}`;
    },
    revive: (r) => {
      asStrings(r, ['id', 'headPersonId']);
      asInstanceOf(r, HouseholdType);
    },
    assemble: (keys, rows) => byKey(keys, rows, (r) => r.id),
  };
}

/** rules.md "a person's household" as of a date (weijiu_person_household): the rules' own function. */
export function householdOfPerson(asOf: string): Batch<string | null> {
  return {
    keyType: 'bigint',
    sql: (keys, params) => {
      params.push(asOf);
      return `select ph.person_id::text as "personId", ph.household_id::text as "householdId"
                from weijiu_person_household($${params.length}::date, ${keys}) ph`;
    },
    revive: (r) => asStrings(r, ['personId', 'householdId']),
    assemble: (keys, rows) => byKey(keys, rows, (r) => r.personId).map((r) => r?.householdId ?? null),
    valueColumn: 'householdId',
  };
}

/** rules.md "a person's region" as of a date (weijiu_person_region). */
export function regionOfPerson(asOf: string): Batch<string | null> {
  return {
    keyType: 'bigint',
    sql: (keys, params) => {
      params.push(asOf);
      return `select pr.person_id::text as "personId", pr.region_code as "regionCode"
                from weijiu_person_region($${params.length}::date, ${keys}) pr`;
    },
    revive: (r) => asStrings(r, ['personId']),
    assemble: (keys, rows) => byKey(keys, rows, (r) => r.personId).map((r) => r?.regionCode ?? null),
    valueColumn: 'regionCode',
  };
}

/**
 * Members are the household's data: scoped by the household's region, like the household. They
 * are the people its newest records list (rules.md "member"), and a housing applicant whose
 * household it is on the date (rules.md "household": the applicant alone, the head). `from` is
 * the first version of the record that lists them: the membership's history, by its key.
 */
export function membersOfHousehold({ viewer, city }: BatchScope, asOf: string): Batch<any[]> {
  return {
    keyType: 'bigint',
    sql: (keys, params, want = EVERY_COLUMN) => {
      params.push(asOf);
      const day = `$${params.length}::date`;
      const scope = regionScope(viewer, city, householdRegionOf('m."householdId"::bigint'), params);
      const since = want('from')
        ? `coalesce(m.valid_from, (
                  select (min(sr.version_at) at time zone 'Asia/Shanghai')::date
                    from membership m2 join source_record sr on sr.id = m2.source_record_id
                   where m2.feed = m.feed and m2.record_key = m.record_key and m2.item_key = m.item_key
                     and m2.valid_to is null))`
        : 'null::date';
      return `select m.* from (
         select m.household_id::text as "householdId", m.person_id::text as "personId", m.relation_code as "relationCode",
                m.self_care as "selfCare", m.valid_to as "to", m.feed, m.record_key as "recordKey",
                ${since} as "from"
           from weijiu_household_member(${keys}) m
         union all
         select ph.household_id::text, ph.person_id::text, '01', null, null, ph.feed, ph.record_key, null
           from weijiu_person_household(${day}, array(
                  select distinct b.person_id from benefit b
                   where b.household_id = any(${keys}) and b.retired_at is null and b.programme_code in ('ZF_FLAT', 'ZF_RENT')
                     and b.person_id is not null)) ph
          where ph.household_id = any(${keys})
            and not exists (select 1 from weijiu_household_member(array[ph.household_id]) l where l.person_id = ph.person_id)) m
        where ${scope}
        order by m."householdId", m."relationCode", m."personId", m.feed, m."recordKey"`;
    },
    revive: (r) => {
      asStrings(r, ['householdId', 'personId']);
      asInstanceOf(r, MemberType);
    },
    assemble: (keys, rows) => groupByKey(keys, rows, (r) => r.householdId),
  };
}

/** A benefit's columns (`b` the benefit), as every read of benefits gives them; its source record only when asked. */
export function benefitColumns(withSource: boolean): string {
  return `b.id::text as id, b.programme_code as "programmeCode", b.person_id::text as "personId",
          b.household_id::text as "householdId", b.amount::text as amount, b.valid_from as "periodStart", b.valid_to as "periodEnd",
          b.paid_on as "paidOn", b.approval_level as "approvalLevel", b.support_mode as "supportMode",
          b.approval_ref as "approvalRef", b.region_code as "regionCode"${withSource ? `,
          (select jsonb_build_object('feed', sr.feed, 'stream', sr.stream, 'recordKey', sr.record_key,
                                     'versionAt', sr.version_at, 'receivedAt', sr.first_seen_at)
             from source_record sr where sr.id = b.source_record_id) as source` : ''}`;
}

/** A benefit row read by pg or from JSON, made alike. */
export function reviveBenefit(r: any): void {
  asStrings(r, ['id', 'personId', 'householdId', 'amount']);
  asInstanceOf(r, BenefitType);
  if (r.source) reviveSource(r.source);
}

export function benefitsOf({ viewer, city }: BatchScope, owner: 'person_id' | 'household_id', args: BenefitArgs): Batch<any[]> {
  return {
    keyType: 'bigint',
    sql: (keys, params, want = EVERY_COLUMN) => {
      const where = [`b.${owner} = any(${keys})`, 'b.retired_at is null'];
      if (args.activeOn) {
        params.push(args.activeOn);
        where.push(`weijiu_active(b.valid_from, b.valid_to, $${params.length}::date)`);
      }
      if (args.year) {
        params.push(`${args.year}-01-01`, `${args.year}-12-31`);
        where.push(`(b.valid_from is null or b.valid_from <= $${params.length}) and (b.valid_to is null or b.valid_to >= $${params.length - 1})`);
      }
      where.push(regionScope(viewer, city, "coalesce(b.region_code, '')", params));
      return `select ${benefitColumns(want('source'))}, b.${owner}::text as "ownerId"
             from benefit b
            where ${where.join(' and ')}
            order by b.${owner}, b.valid_from desc nulls last, b.id`;
    },
    revive: (r) => {
      asStrings(r, ['ownerId']);
      reviveBenefit(r);
    },
    assemble: (keys, rows) => groupByKey(keys, rows, (r) => r.ownerId),
  };
}

export function deathOfPerson({ viewer, city }: BatchScope): Batch<string | null> {
  return {
    keyType: 'bigint',
    sql: (keys, params) => `select d.person_id::text as "personId", min(d.died_on)::text as "diedOn" from death_record d join person p on p.id = d.person_id
        where d.person_id = any(${keys}) and d.retired_at is null and ${regionScope(viewer, city, 'p.region_code', params)}
        group by d.person_id`,
    revive: (r) => asStrings(r, ['personId']),
    assemble: (keys, rows) => byKey(keys, rows, (r) => r.personId).map((r) => r?.diedOn ?? null),
  };
}

const REGION_COLUMNS = `code, name, level, parent_code as "parentCode", county_code as "countyCode"`;

export const regionsByCode: Batch<any> = {
  keyType: 'text',
  sql: (keys) => `select ${REGION_COLUMNS} from region where code = any(${keys})`,
  revive: (r) => asInstanceOf(r, RegionType),
  assemble: (keys, rows) => byKey(keys, rows, (r) => r.code),
};

export const childrenOfRegion: Batch<any[]> = {
  keyType: 'text',
  sql: (keys) => `select ${REGION_COLUMNS} from region where parent_code = any(${keys}) order by code`,
  revive: (r) => asInstanceOf(r, RegionType),
  assemble: (keys, rows) => groupByKey(keys, rows, (r) => r.parentCode ?? ''),
};

export const programmesByCode: Batch<any> = {
  keyType: 'text',
  sql: (keys) => `select code, name, name_en as "nameEn", source_feed as "sourceFeed", level, kind, cash from programme where code = any(${keys})`,
  revive: () => undefined,
  assemble: (keys, rows) => byKey(keys, rows, (r) => r.code),
};

export function runsOfConnector(first: number): Batch<any[]> {
  return {
    keyType: 'text',
    sql: (keys, params) => {
      params.push(first);
      return `select id::text as id, connector, status, started_at as "startedAt", finished_at as "finishedAt", read, inserted, updated,
                  unchanged, ended, quarantined, error
             from (select s.*, row_number() over (partition by connector order by started_at desc, id desc) as n
                     from sync_run s where connector = any(${keys})) r
            where n <= $${params.length} order by connector, started_at desc, id desc`;
    },
    revive: (r) => asDates(r, ['startedAt', 'finishedAt']),
    assemble: (keys, rows) => groupByKey(keys, rows, (r) => r.connector),
  };
}

export function observationsOfPerson({ viewer, city }: BatchScope): Batch<any[]> {
  return {
    keyType: 'bigint',
    sql: (keys, params) => `select o.person_id::text as "personId", o.feed, o.name, o.region_code as "regionCode", o.observed_at as "observedAt"
           from person_observation o join person p on p.id = o.person_id
          where o.person_id = any(${keys}) and ${regionScope(viewer, city, 'p.region_code', params)}
            and ${ownFeedOnly(viewer, 'o.feed', params)}
          order by o.person_id, o.feed`,
    revive: (r) => {
      asStrings(r, ['personId']);
      asDates(r, ['observedAt']);
    },
    assemble: (keys, rows) => groupByKey(keys, rows, (r) => r.personId),
  };
}
