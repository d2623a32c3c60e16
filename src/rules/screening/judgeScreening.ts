import type { PoolClient } from 'pg';
import { normaliseIdNumber } from '../../identity';
import { CANONICAL_NAME_SQL, CONTINUING, EXCLUSIVE_PARTNER, JUDGED_BY_HOUSEHOLD, REASON_VERDICT, SCREENING_KIND_SQL } from './screeningWords';

/**
 * A screening judged as of a date (office.md "Screening"): one set-based statement per reason
 * over the whole list, never a query per row. Each reason holding for a row is stored with the
 * facts behind it (`[{ source_record_id, values }]`, the evidence shape of findings; facts that are
 * not feed records — another list's row — name their `feed`, `stream` and `record_key` themselves)
 * and the regions of those facts; then every row's verdict is the strongest of its reasons.
 * Runs inside the caller's transaction; the earlier judgements' reasons stay (the rows' history).
 */
export interface Judged {
  judgementId: string;
  rows: number;
  rejected: number;
}

interface ScreeningHead {
  id: string;
  programme: string;
  year: number;
  regionCode: string;
  kind: string;
}

/** The evidence of a benefit a reason rests on: whose, which programme, its period and amount. */
const heldEvidence = (h: string) => `jsonb_build_object('source_record_id', ${h}.source_record_id, 'values', jsonb_build_object(
  'person', ${h}.judged_id_number, 'programme', ${h}.programme_code, 'start', ${h}.period_start, 'end', ${h}.period_end, 'amount', ${h}.amount::text))`;

export async function judgeScreening(client: PoolClient, screeningId: string, asOf: string, city: string): Promise<Judged> {
  const head = (
    await client.query<ScreeningHead>(
      `select s.id, s.programme_code as programme, s.year, s.region_code as "regionCode", ${SCREENING_KIND_SQL('p')} as kind
         from screening s join programme p on p.code = s.programme_code where s.id = $1`,
      [screeningId],
    )
  ).rows[0];
  if (!head) throw new Error(`no screening ${screeningId}`);
  const yearStart = `${head.year}-01-01`;
  // "the year" is the screening's calendar year up to asOf (a list judged again after the year ends looks at that year only)
  const yearEnd = `${head.year}-12-31`;
  const upTo = asOf < yearEnd ? asOf : yearEnd;
  const judgement = (
    await client.query<{ id: string }>(`insert into screening_judgement (screening_id, as_of) values ($1, $2) returning id`, [screeningId, asOf])
  ).rows[0].id;
  await client.query(`update screening set as_of = $2 where id = $1`, [screeningId, asOf]);

  // BAD_ID depends on the day (a birth date after asOf): the numbers as delivered, read again.
  const raw = await client.query<{ id: string; raw: string | null }>(
    `select id, raw_id_number as raw from screening_row where screening_id = $1`,
    [screeningId],
  );
  const ids: string[] = [];
  const numbers: Array<string | null> = [];
  for (const r of raw.rows) {
    const n = normaliseIdNumber(r.raw ?? '', { today: asOf });
    ids.push(r.id);
    numbers.push(n.ok ? n.id : null);
  }
  await client.query(
    `update screening_row r set id_number = t.id_number, person_id = p.id
       from unnest($1::bigint[], $2::text[]) as t(row_id, id_number)
       left join person p on p.id_number = t.id_number
      where r.id = t.row_id and (r.id_number is distinct from t.id_number or r.person_id is distinct from p.id)`,
    [ids, numbers],
  );

  const byHousehold = (JUDGED_BY_HOUSEHOLD as readonly string[]).includes(head.programme);
  // The people each row judges (the person; for a household programme every member of their
  // household on asOf too), with each one's household and region as of asOf.
  const proposed = await client.query<{ people: string[] | null }>(
    `select array_agg(distinct person_id)::text[] as people from screening_row where screening_id = $1 and person_id is not null`,
    [screeningId],
  );
  const people = proposed.rows[0].people ?? [];
  await client.query(`drop table if exists sc_judged, sc_held`);
  await client.query(
    `create temp table sc_judged on commit drop as
     with r as (select r.id as row_id, r.person_id from screening_row r where r.screening_id = $1 and r.person_id is not null),
     ph as (select * from weijiu_person_household($2::date, $3::bigint[])),
     m as (select m.household_id, m.person_id from weijiu_household_member((select coalesce(array_agg(distinct household_id), '{}') from ph)) m)
     select r.row_id, r.person_id as proposed_id, r.person_id as judged_id, true as proposed, ph.household_id
       from r left join ph on ph.person_id = r.person_id
     union
     select r.row_id, r.person_id, m.person_id, false, ph.household_id
       from r join ph on ph.person_id = r.person_id join m on m.household_id = ph.household_id
      where m.person_id <> r.person_id`,
    [screeningId, asOf, people],
  );
  const judgedPeople = (await client.query<{ people: string[] | null }>(`select array_agg(distinct judged_id)::text[] as people from sc_judged`)).rows[0].people ?? [];
  await client.query(
    `alter table sc_judged add column judged_region text, add column judged_id_number text`,
  );
  await client.query(
    `update sc_judged j set judged_region = pr.region_code, judged_id_number = p.id_number
       from weijiu_person_region($1::date, $2::bigint[]) pr join person p on p.id = pr.person_id
      where pr.person_id = j.judged_id`,
    [asOf, judgedPeople],
  );
  await client.query(`create index on sc_judged (row_id)`);
  await client.query(`analyze sc_judged`);
  // The benefits covering the people judged, with their periods and screening kinds.
  await client.query(
    `create temp table sc_held on commit drop as
     select j.row_id, j.proposed, j.judged_id, j.judged_id_number, pb.programme_code, pb.period_start, pb.period_end, pb.amount,
            pb.source_record_id, coalesce(pb.region_code, j.judged_region, '') as fact_region, ${SCREENING_KIND_SQL('pg')} as screening_kind
       from sc_judged j
       join weijiu_person_benefit($1::bigint[]) pb on pb.person_id = j.judged_id
       join programme pg on pg.code = pb.programme_code
      where j.proposed or $2::boolean`,
    [judgedPeople, byHousehold],
  );
  await client.query(`analyze sc_held`);

  const insert = (select: string, params: unknown[] = []) =>
    // $1 the judgement, $2 the screening (named here so that a statement not reading it still types it)
    client.query(`with this as (select $2::bigint as screening_id) insert into screening_reason (judgement_id, row_id, code, clauses, evidence, regions) ${select}`, [
      judgement, screeningId, ...params,
    ]);
  const rowsOf = `(select x.* from screening_row x where x.screening_id = $2::bigint) r`;

  await insert(`select $1, r.id, 'BAD_ID', '{}', '[]', '{}' from ${rowsOf} where r.id_number is null`);
  await insert(`select $1, r.id, 'NOT_KNOWN', '{}', '[]', '{}' from ${rowsOf} where r.id_number is not null and r.person_id is null`);
  await insert(
    `select $1, r.id, 'DECEASED', '{}',
            jsonb_build_array(jsonb_build_object('source_record_id', d.source_record_id, 'values',
              jsonb_build_object('person', r.id_number, 'diedOn', d.died_on))),
            array[coalesce(d.region_code, '')]
       from ${rowsOf}
      cross join lateral (select dr.died_on, dr.source_record_id, dr.region_code from death_record dr
                           where dr.person_id = r.person_id and dr.retired_at is null and dr.died_on <= $3::date
                           order by dr.died_on limit 1) d
      where r.person_id is not null`,
    [asOf],
  );
  const partner = EXCLUSIVE_PARTNER[head.programme];
  if (partner) {
    await insert(
      `select $1, h.row_id, 'EXCLUSIVE_PAIR', '{}', jsonb_agg(${heldEvidence('h')}), array_agg(distinct h.fact_region)
         from sc_held h where h.proposed and h.programme_code = $4 and weijiu_active(h.period_start, h.period_end, $3::date)
        group by h.row_id`,
      [asOf, partner],
    );
  }
  const continuing = (CONTINUING as readonly string[]).includes(head.programme);
  // the continuing enrollment ALREADY_ENROLLED names: the programme itself, held on asOf by the
  // person (or, for a household programme, by their household)
  const enrolled = `(h.programme_code = $4 and (h.proposed or $5::boolean) and weijiu_active(h.period_start, h.period_end, $3::date))`;
  if (continuing) {
    await insert(
      `select $1, h.row_id, 'ALREADY_ENROLLED', '{}', jsonb_agg(${heldEvidence('h')}), array_agg(distinct h.fact_region)
         from sc_held h where ${enrolled} group by h.row_id`,
      [asOf, head.programme, byHousehold],
    );
  }
  await insert(
    `select $1, h.row_id, 'SAME_KIND_THIS_YEAR', '{}', jsonb_agg(${heldEvidence('h')} order by h.period_start), array_agg(distinct h.fact_region)
       from sc_held h
      where h.screening_kind = $6
        and case when h.programme_code = any($8::text[])
                 -- a continuing programme held on some day of the year up to asOf
                 then (h.period_start is null or h.period_start <= $10::date) and (h.period_end is null or h.period_end >= $7::date)
                 -- a grant, term aid, settlement or subsidy whose period starts in the year on or before asOf
                 else h.period_start between $7::date and $10::date end
        and not ($9::boolean and ${enrolled})
      group by h.row_id`,
    [asOf, head.programme, byHousehold, head.kind, yearStart, CONTINUING, continuing, upTo],
  );
  await insert(
    `select $1, r.id, 'LISTED_ELSEWHERE', '{}',
            jsonb_agg(jsonb_build_object('feed', 'screening', 'stream', s2.programme_code, 'record_key', s2.id || '#' || o.row_number,
              'arrived_at', s2.created_at, 'values', jsonb_build_object('screening', s2.id::text, 'title', s2.title, 'programme', s2.programme_code,
              'regionCode', s2.region_code, 'row', o.row_number, 'evaluation', ev.decision)) order by s2.id, o.row_number),
            array_agg(distinct s2.region_code::text)
       from ${rowsOf}
       join screening_row o on o.id_number = r.id_number and o.screening_id <> r.screening_id
       join screening s2 on s2.id = o.screening_id and s2.withdrawn_at is null and s2.year = $3
       join programme p2 on p2.code = s2.programme_code and ${SCREENING_KIND_SQL('p2')} = $4
       left join lateral (select e.decision from screening_evaluation e where e.row_id = o.id order by e.id desc limit 1) ev on true
      where r.id_number is not null and ev.decision is distinct from 'REJECT'
      group by r.id`,
    [head.year, head.kind],
  );
  await insert(
    `select $1, d.id, 'DUPLICATE_ROW', '{}',
            jsonb_build_array(jsonb_build_object('feed', 'screening', 'stream', $3::text, 'record_key', $2 || '#' || d.first_row,
              'values', jsonb_build_object('row', d.first_row))), '{}'
       from (select r.id, r.row_number, min(r.row_number) over (partition by r.id_number) as first_row
               from ${rowsOf} where r.id_number is not null) d
      where d.row_number > d.first_row`,
    [head.programme],
  );
  await insert(
    `select $1, r.id, 'NAME_MISMATCH', '{}',
            jsonb_agg(jsonb_build_object('source_record_id', po.source_record_id, 'feed', po.feed, 'values',
              jsonb_build_object('given', r.name, 'feed', po.feed, 'name', po.name)) order by po.feed),
            array_agg(distinct coalesce(po.region_code, ''))
       from ${rowsOf}
       join person_observation po on po.person_id = r.person_id
      where r.person_id is not null and ${CANONICAL_NAME_SQL(`coalesce(r.name, '')`)} <> ''
      group by r.id, r.name
     having not bool_or(${CANONICAL_NAME_SQL('po.name')} = ${CANONICAL_NAME_SQL('r.name')})`,
  );
  await insert(
    `select $1, j.row_id, 'OUTSIDE_REGION', '{}',
            jsonb_build_array(jsonb_build_object('source_record_id', coalesce(hs.source_record_id, ps.source_record_id), 'feed', coalesce(hs.feed, ps.feed),
              'values', jsonb_build_object('person', j.judged_id_number, 'regionCode', j.judged_region, 'screeningRegion', $3::text))),
            array[j.judged_region]
       from sc_judged j
       left join lateral (select hr.source_record_id, hr.feed from weijiu_household_region() hr where hr.household_id = j.household_id offset 0) hs on true
       left join lateral (select po.source_record_id, po.feed from person_observation po
                           where j.household_id is null and po.person_id = j.judged_id and po.region_code = j.judged_region
                           order by po.observed_at desc limit 1) ps on true
      where j.proposed and j.judged_region is not null
        and not (j.judged_region like $3::text || '%' or $3::text like j.judged_region || '%')`,
    [head.regionCode],
  );
  await insert(assetsReason, [asOf, city]);

  // The verdict of each row: the strongest of its reasons in this judgement, PASS when none.
  const rank = Object.entries(REASON_VERDICT).map(([code, verdict]) => [code, verdict]);
  const verdicts = await client.query<{ rows: number; rejected: number }>(
    `with reasons as (
       select sr.row_id, array_agg(distinct sr.code order by sr.code) as codes,
              max(case v.verdict when 'REJECT' then 3 when 'LEADING_GROUP' then 2 when 'REVIEW' then 1 else 0 end) as strength
         from screening_reason sr
         join jsonb_each_text($2::jsonb) as v(code, verdict) on v.code = sr.code
        where sr.judgement_id = $1
        group by sr.row_id),
     judged as (
       select r.id, coalesce(x.codes, '{}') as codes,
              case coalesce(x.strength, 0) when 3 then 'REJECT' when 2 then 'LEADING_GROUP' when 1 then 'REVIEW' else 'PASS' end as verdict
         from screening_row r left join reasons x on x.row_id = r.id
        where r.screening_id = $3),
     -- only the rows whose verdict or reasons change are written (on arrival: those with a reason)
     updated as (
       update screening_row r set reason_codes = j.codes, verdict = j.verdict
         from judged j
        where r.id = j.id and (r.verdict <> j.verdict or r.reason_codes <> j.codes))
     select count(*)::int as rows, count(*) filter (where verdict = 'REJECT')::int as rejected from judged`,
    [judgement, JSON.stringify(Object.fromEntries(rank)), screeningId],
  );
  await client.query(`drop table if exists sc_judged, sc_held`);
  return { judgementId: judgement, rows: verdicts.rows[0].rows, rejected: verdicts.rows[0].rejected };
}

/**
 * ASSETS: D4's clauses on the economic facts of the members of the person's household on asOf
 * (each person, source and item the newest fact with as_of ≤ asOf), whether or not the household
 * receives DB, TK or DSR; a person without a household on their own facts, with the urban standard.
 * $3 = asOf, $4 = the city.
 */
const assetsReason = `
    with unit as (
      -- the people whose facts count for each row: the household's listed members, or the person alone
      select j.row_id, j.judged_id as person_id, j.judged_id_number from sc_judged j),
    newest as (
      select distinct on (f.person_id, f.source, f.item) f.person_id, f.source, f.item, f.value, f.unit, f.as_of, f.source_record_id
        from economic_fact f
       where f.retired_at is null and f.as_of <= $3::date and f.source in ('VEHICLE', 'BUSINESS', 'REAL_ESTATE', 'BANK', 'INSURANCE')
         and f.person_id in (select person_id from unit)
       order by f.person_id, f.source, f.item, f.as_of desc),
    place as (
      select j.row_id, coalesce(hr.region_code, j.judged_region, $4::text) as region,
             case when j.household_id is null then '城镇' else hr.registration_type end as registration_type
        from sc_judged j
        left join lateral (select r.region_code, r.registration_type from weijiu_household_region() r where r.household_id = j.household_id offset 0) hr on true
       where j.proposed),
    assets as (
      select u.row_id, count(distinct u.person_id) as members,
             coalesce(sum(n.value) filter (where n.source in ('BANK', 'INSURANCE')), 0) as financial_assets,
             coalesce(sum(n.value) filter (where n.source = 'REAL_ESTATE'), 0) as properties,
             coalesce(max(n.value) filter (where n.source = 'BUSINESS'), 0) as businesses,
             array_agg(distinct n.item) filter (where n.source = 'VEHICLE' and n.value > 0) as vehicle_kinds,
             jsonb_agg(jsonb_build_object('source_record_id', n.source_record_id, 'values', jsonb_build_object(
               'person', u.judged_id_number, 'source', n.source, 'item', n.item, 'value', n.value::text, 'unit', n.unit, 'asOf', n.as_of)))
               filter (where n.person_id is not null) as evidence
        from unit u
        left join newest n on n.person_id = u.person_id
       group by u.row_id),
    limits as materialized (
      select r.region, r.registration_type,
             regexp_split_to_array(btrim(exempt.value), '\\s*[,，、]\\s*') as exempt_kinds,
             estate.value::numeric as real_estate_max, months.value::numeric as deposit_months, standard.value::numeric as standard
        from (select distinct region, registration_type from place) r
        cross join lateral weijiu_param('exempt_vehicle_kinds', r.region, $3::date) exempt
        cross join lateral weijiu_param('real_estate_max', r.region, $3::date) estate
        cross join lateral weijiu_param('deposit_months', r.region, $3::date) months
        left join lateral weijiu_param(case r.registration_type when '城镇' then 'db_standard_urban'
                                                                when '农村' then 'db_standard_rural' end, r.region, $3::date) standard on true),
    judged as (
      select a.row_id, a.evidence, pl.region,
             array_remove(array[
               case when exists (select 1 from unnest(a.vehicle_kinds) k where not k = any(l.exempt_kinds)) then 'VEHICLE' end,
               case when a.businesses >= 1 then 'BUSINESS' end,
               case when a.properties > l.real_estate_max then 'REAL_ESTATE' end,
               case when a.financial_assets > l.deposit_months * l.standard * a.members then 'DEPOSIT' end], null) as clauses
        from assets a
        join place pl on pl.row_id = a.row_id
        join limits l on l.region = pl.region and l.registration_type is not distinct from pl.registration_type)
    select $1, j.row_id, 'ASSETS', j.clauses, j.evidence, array[j.region]
      from judged j where cardinality(j.clauses) > 0`;
