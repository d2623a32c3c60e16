import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import type { BenefitArgs, BenefitRow, HouseholdRow, MemberRow, PersonRow, SyncRunRow } from './rows';
import { regionScope, type Viewer } from '../auth/viewer';
import type { Region } from '../graph/entities/Region';
import type { Programme } from '../graph/entities/Programme';
import { factLoaderFactory } from './factLoaders';
import { householdRegionOf } from './householdRegionOf';
import { createRuleLoaders, type RuleLoaders } from './ruleLoaders';

/**
 * Per-request loaders: one SQL statement per level of a query, whatever the page size, each
 * scoped by the viewer. Created for every request so nothing cached outlives it.
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

/** A DEPARTMENT reads only what its own feed says of who knows a person or household. */
function ownFeedOnly(viewer: Viewer, column: string, params: unknown[]): string {
  if (viewer.role !== 'DEPARTMENT') return 'true';
  params.push(viewer.department);
  return `${column} = $${params.length}`;
}

const personColumns = `p.id, p.id_number as "idNumber", p.name, p.sex, p.birth_date as "birthDate", p.region_code as "regionCode"`;

function byKey<T>(keys: readonly string[], rows: T[], key: (r: T) => string): Array<T | null> {
  const m = new Map(rows.map((r) => [key(r), r]));
  return keys.map((k) => m.get(k) ?? null);
}

function groupByKey<T>(keys: readonly string[], rows: T[], key: (r: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(key(r));
    if (list) list.push(r);
    else m.set(key(r), [r]);
  }
  return keys.map((k) => m.get(k) ?? []);
}

export function createLoaders(deps: LoaderDeps): Loaders {
  const { pool, viewer, city, today } = deps;
  const query = async <T>(sql: string, params: unknown[]): Promise<T[]> => (await pool.query(sql, params)).rows as T[];

  const personById = new DataLoader<string, PersonRow | null>(async (ids) => {
    const params: unknown[] = [ids];
    const scope = regionScope(viewer, city, 'p.region_code', params);
    const rows = await query<PersonRow>(`select ${personColumns} from person p where p.id = any($1::bigint[]) and ${scope}`, params);
    return byKey(ids, rows, (r) => r.id);
  });

  const personByIdNumber = new DataLoader<string, PersonRow | null>(async (idNumbers) => {
    const params: unknown[] = [idNumbers];
    const scope = regionScope(viewer, city, 'p.region_code', params);
    const rows = await query<PersonRow>(`select ${personColumns} from person p where p.id_number = any($1::text[]) and ${scope}`, params);
    for (const r of rows) personById.prime(r.id, r);
    return byKey(idNumbers, rows, (r) => r.idNumber);
  });

  const householdById = new DataLoader<string, HouseholdRow | null>(async (ids) => {
    const params: unknown[] = [ids];
    const scope = regionScope(viewer, city, householdRegionOf('h.id'), params);
    const sourcesSeen = ownFeedOnly(viewer, 'hr.feed', params);
    const rows = await query<HouseholdRow>(
      `select h.id, h.head_person_id as "headPersonId", ${householdRegionOf('h.id')} as "regionCode",
              r.registration_type as "registrationType", r.address,
              coalesce(s.sources, '[]'::jsonb) as sources
         from household h
         left join lateral (
           select registration_type, address from household_record hr
            where hr.household_id = h.id and hr.retired_at is null
            order by (hr.valid_to is null) desc, weijiu_feed_rank(hr.feed), hr.record_key
            limit 1) r on true
         left join lateral (
           select jsonb_agg(jsonb_build_object('feed', hr.feed, 'recordKey', hr.record_key) order by hr.feed, hr.record_key) as sources
             from household_record hr where hr.household_id = h.id and hr.retired_at is null and ${sourcesSeen}) s on true
        where h.id = any($1::bigint[]) and ${scope}`,
      params,
    );
    return byKey(ids, rows, (r) => r.id);
  });

  /** One loader per date: a query may ask for several. */
  const perDate = <V>(load: (asOf: string, keys: readonly string[]) => Promise<V[]>) => {
    const byDate = new Map<string, DataLoader<string, V>>();
    return (asOf: string) => {
      let loader = byDate.get(asOf);
      if (!loader) byDate.set(asOf, (loader = new DataLoader<string, V>((keys) => load(asOf, keys))));
      return loader;
    };
  };

  // The rules' own functions, so that the API shows the family and region a rule judged.
  const householdOfPerson = perDate<string | null>(async (asOf, personIds) => {
    const rows = await query<{ personId: string; householdId: string }>(
      `select ph.person_id as "personId", ph.household_id as "householdId" from weijiu_person_household($2::date, $1::bigint[]) ph`,
      [personIds, asOf],
    );
    return byKey(personIds, rows, (r) => r.personId).map((r) => r?.householdId ?? null);
  });

  const regionOfPerson = perDate<string | null>(async (asOf, personIds) => {
    const rows = await query<{ personId: string; regionCode: string | null }>(
      `select pr.person_id as "personId", pr.region_code as "regionCode" from weijiu_person_region($2::date, $1::bigint[]) pr`,
      [personIds, asOf],
    );
    return byKey(personIds, rows, (r) => r.personId).map((r) => r?.regionCode ?? null);
  });

  // Members are the household's data: scoped by the household's region, like the household. They
  // are the people its newest records list (rules.md "member"), and a housing applicant whose
  // household it is on the date (rules.md "household": the applicant alone, the head).
  const membersOfHousehold = perDate<MemberRow[]>(async (asOf, householdIds) => {
    const params: unknown[] = [householdIds, asOf];
    const scope = regionScope(viewer, city, householdRegionOf('m."householdId"'), params);
    const rows = await query<MemberRow>(
      `select m.* from (
         select m.household_id as "householdId", m.person_id as "personId", m.relation_code as "relationCode",
                m.self_care as "selfCare", m.valid_to as "to", m.feed, m.record_key as "recordKey",
                coalesce(m.valid_from, (
                  select (min(sr.version_at) at time zone 'Asia/Shanghai')::date
                    from membership m2 join source_record sr on sr.id = m2.source_record_id
                   where m2.feed = m.feed and m2.record_key = m.record_key and m2.item_key = m.item_key
                     and m2.valid_to is null)) as "from"
           from weijiu_household_member($1::bigint[]) m
         union all
         select ph.household_id, ph.person_id, '01', null, null, ph.feed, ph.record_key, null
           from (select distinct b.person_id from benefit b
                  where b.household_id = any($1::bigint[]) and b.retired_at is null and b.programme_code in ('ZF_FLAT', 'ZF_RENT')
                    and b.person_id is not null) applicant
          cross join lateral (select x.* from weijiu_person_household($2::date) x where x.person_id = applicant.person_id offset 0) ph
          where ph.household_id = any($1::bigint[])
            and not exists (select 1 from weijiu_household_member() l where l.household_id = ph.household_id and l.person_id = ph.person_id)) m
        where ${scope}
        order by m."householdId", m."relationCode", m."personId"`,
      params,
    );
    return groupByKey(householdIds, rows, (r) => r.householdId);
  });

  const benefitLoaders = new Map<string, DataLoader<string, BenefitRow[]>>();
  const benefitsOf = (owner: 'person_id' | 'household_id', args: BenefitArgs) => {
    const cacheKey = `${owner}|${args.activeOn ?? ''}|${args.year ?? ''}`;
    let loader = benefitLoaders.get(cacheKey);
    if (!loader) {
      loader = new DataLoader<string, BenefitRow[]>(async (ids) => {
        const params: unknown[] = [ids];
        const where = [`b.${owner} = any($1::bigint[])`, 'b.retired_at is null'];
        if (args.activeOn) {
          params.push(args.activeOn);
          where.push(`weijiu_active(b.valid_from, b.valid_to, $${params.length}::date)`);
        }
        if (args.year) {
          params.push(`${args.year}-01-01`, `${args.year}-12-31`);
          where.push(`(b.valid_from is null or b.valid_from <= $${params.length}) and (b.valid_to is null or b.valid_to >= $${params.length - 1})`);
        }
        where.push(regionScope(viewer, city, "coalesce(b.region_code, '')", params));
        const rows = await query<BenefitRow & { ownerId: string }>(
          `select b.id, b.${owner} as "ownerId", b.programme_code as "programmeCode", b.person_id as "personId",
                  b.household_id as "householdId", b.amount, b.valid_from as "periodStart", b.valid_to as "periodEnd",
                  b.paid_on as "paidOn", b.approval_level as "approvalLevel", b.support_mode as "supportMode",
                  b.approval_ref as "approvalRef", b.region_code as "regionCode",
                  jsonb_build_object('feed', sr.feed, 'stream', sr.stream, 'recordKey', sr.record_key,
                                     'versionAt', sr.version_at, 'receivedAt', sr.first_seen_at) as source
             from benefit b join source_record sr on sr.id = b.source_record_id
            where ${where.join(' and ')}
            order by b.${owner}, b.valid_from desc nulls last, b.id`,
          params,
        );
        for (const r of rows) {
          r.source.versionAt = r.source.versionAt ? new Date(r.source.versionAt as unknown as string) : null;
          r.source.receivedAt = new Date(r.source.receivedAt as unknown as string);
        }
        return groupByKey(ids, rows, (r) => r.ownerId);
      });
      benefitLoaders.set(cacheKey, loader);
    }
    return loader;
  };

  const deathOfPerson = new DataLoader<string, string | null>(async (personIds) => {
    const params: unknown[] = [personIds];
    const rows = await query<{ personId: string; diedOn: string }>(
      `select d.person_id as "personId", min(d.died_on)::text as "diedOn" from death_record d join person p on p.id = d.person_id
        where d.person_id = any($1::bigint[]) and d.retired_at is null and ${regionScope(viewer, city, 'p.region_code', params)}
        group by d.person_id`,
      params,
    );
    return byKey(personIds, rows, (r) => r.personId).map((r) => r?.diedOn ?? null);
  });

  const regionColumns = `code, name, level, parent_code as "parentCode", county_code as "countyCode"`;
  const regionByCode = new DataLoader<string, Region | null>(async (codes) => {
    const rows = await query<Region>(
      `select ${regionColumns} from region where code = any($1::text[])`,
      [codes],
    );
    return byKey(codes, rows, (r) => r.code);
  });

  const childrenOfRegion = new DataLoader<string, Region[]>(async (codes) => {
    const rows = await query<Region>(`select ${regionColumns} from region where parent_code = any($1::text[]) order by code`, [codes]);
    return groupByKey(codes, rows, (r) => r.parentCode ?? '');
  });

  const runLoaders = new Map<number, DataLoader<string, SyncRunRow[]>>();
  const runsOfConnector = (first: number) => {
    let loader = runLoaders.get(first);
    if (!loader) {
      loader = new DataLoader<string, SyncRunRow[]>(async (names) => {
        const rows = await query<SyncRunRow>(
          `select id, connector, status, started_at as "startedAt", finished_at as "finishedAt", read, inserted, updated,
                  unchanged, ended, quarantined, error
             from (select s.*, row_number() over (partition by connector order by started_at desc, id desc) as n
                     from sync_run s where connector = any($1::text[])) r
            where n <= $2 order by connector, started_at desc, id desc`,
          [names, first],
        );
        return groupByKey(names, rows, (r) => r.connector);
      });
      runLoaders.set(first, loader);
    }
    return loader;
  };

  const programmeByCode = new DataLoader<string, Programme | null>(async (codes) => {
    const rows = await query<Programme>(
      `select code, name, name_en as "nameEn", source_feed as "sourceFeed", level, kind, cash from programme where code = any($1::text[])`,
      [codes],
    );
    return byKey(codes, rows, (r) => r.code);
  });

  const observationsOfPerson = new DataLoader<string, Array<{ feed: string; name: string; regionCode: string | null; observedAt: Date }>>(
    async (personIds) => {
      const params: unknown[] = [personIds];
      const rows = await query<{ personId: string; feed: string; name: string; regionCode: string | null; observedAt: Date }>(
        `select o.person_id as "personId", o.feed, o.name, o.region_code as "regionCode", o.observed_at as "observedAt"
           from person_observation o join person p on p.id = o.person_id
          where o.person_id = any($1::bigint[]) and ${regionScope(viewer, city, 'p.region_code', params)}
            and ${ownFeedOnly(viewer, 'o.feed', params)}
          order by o.person_id, o.feed`,
        params,
      );
      return groupByKey(personIds, rows, (r) => r.personId);
    },
  );

  return {
    rules: createRuleLoaders(pool, viewer, city),
    facts: factLoaderFactory(pool, viewer, city),
    observationsOfPerson,
    personById,
    personByIdNumber,
    householdById,
    householdOfPerson,
    regionOfPerson,
    membersOfHousehold,
    benefitsOfPerson: (args) => benefitsOf('person_id', args),
    benefitsOfHousehold: (args) => benefitsOf('household_id', args),
    deathOfPerson,
    regionByCode,
    childrenOfRegion,
    runsOfConnector,
    programmeByCode,
  };
}
