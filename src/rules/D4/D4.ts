import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfHouseholds, householdRegions } from '../engine/scopedFacts';

/**
 * D4 ASSET_MISMATCH 家庭经济状况不符 — a household with DB, TK or DSR active on d whose listed
 * members' economic-check facts (per person, source and item the newest `as_of` on or before d)
 * show any of: a VEHICLE of a kind not in `exempt_vehicle_kinds`; BUSINESS ≥ 1; REAL_ESTATE
 * summed over the household > `real_estate_max`; (BANK + INSURANCE summed over the household) ÷
 * number of members > `deposit_months` × the monthly DB standard for the household's region and
 * 城镇/农村 type (`hjxz`) on d. Every clause that holds is named. All listed members count,
 * deceased ones included (rules.md "member").
 */
export const D4: RuleDefinition = {
  code: 'D4',
  version: '1',
  title: 'Assets above the assistance limits',
  titleZh: '家庭经济状况不符',
  kind: 'DUAL_BENEFIT',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 二(三)2 家庭经济状况核对`,
  parameters: ['exempt_vehicle_kinds', 'real_estate_max', 'deposit_months', 'db_standard_urban', 'db_standard_rural'],
  sql: `
    with assisted as (
      select distinct b.household_id
        -- a scoped run: the benefits of the households in scope, by index
        from ${factsOfHouseholds('benefit', `f.household_id is not null and f.programme_code in ('DB', 'TK', 'DSR')
                                              and weijiu_active(f.valid_from, f.valid_to, $1::date)`)} b),
    -- the household's region and type (weijiu_household_region; in a scoped run by index)
    place as (
      select hr.household_id, hr.record_key as hh_id, hr.region_code, hr.registration_type, hr.source_record_id
        from ${householdRegions()} hr
        join assisted a on a.household_id = hr.household_id),
    -- the listed members, of either record of the household (the same head: one household)
    member as (
      select distinct m.household_id, m.person_id
        from weijiu_household_member() m
        join assisted a on a.household_id = m.household_id),
    -- per person, source and item the newest check on or before d
    newest as (
      select distinct on (f.person_id, f.source, f.item) f.person_id, f.source, f.item, f.value
        from economic_fact f
       where f.retired_at is null and f.as_of <= $1::date and f.source in ('VEHICLE', 'BUSINESS', 'REAL_ESTATE', 'BANK', 'INSURANCE')
         and f.person_id in (select person_id from member)
       order by f.person_id, f.source, f.item, f.as_of desc),
    assets as (
      select mb.household_id, count(distinct mb.person_id) as members,
             coalesce(sum(n.value) filter (where n.source in ('BANK', 'INSURANCE')), 0) as financial_assets,
             coalesce(sum(n.value) filter (where n.source = 'REAL_ESTATE'), 0) as properties,
             coalesce(max(n.value) filter (where n.source = 'BUSINESS'), 0) as businesses,
             array_agg(distinct n.item) filter (where n.source = 'VEHICLE' and n.value > 0) as vehicle_kinds
        from member mb
        left join newest n on n.person_id = mb.person_id
       group by mb.household_id),
    -- the limits once per region and type, not once per household
    limits as materialized (
      select r.region, r.registration_type, exempt.id as exempt_id, estate.id as estate_id, months.id as months_id,
             standard.id as standard_id,
             regexp_split_to_array(btrim(exempt.value), '\\s*[,，、]\\s*') as exempt_kinds,
             estate.value::numeric as real_estate_max, months.value::numeric as deposit_months, standard.value::numeric as standard
        from (select distinct coalesce(pl.region_code, $2::text) as region, pl.registration_type
                from assisted a left join place pl on pl.household_id = a.household_id) r
        cross join lateral weijiu_param('exempt_vehicle_kinds', r.region, $1::date) exempt
        cross join lateral weijiu_param('real_estate_max', r.region, $1::date) estate
        cross join lateral weijiu_param('deposit_months', r.region, $1::date) months
        -- an unknown type has no DB standard: the deposit clause is then not evaluated
        left join lateral weijiu_param(case r.registration_type when '城镇' then 'db_standard_urban'
                                                                when '农村' then 'db_standard_rural' end, r.region, $1::date) standard on true),
    assessed as (
      select s.household_id, pl.hh_id, pl.registration_type, pl.source_record_id as place_source, s.members,
             l.exempt_id, l.estate_id, l.months_id, l.standard_id, l.real_estate_max, l.deposit_months, l.standard,
             s.financial_assets, s.properties, s.businesses,
             array(select k from unnest(s.vehicle_kinds) k where not k = any(l.exempt_kinds) order by k) as vehicles
        from assets s
        left join place pl on pl.household_id = s.household_id
        join limits l on l.region = coalesce(pl.region_code, $2::text) and l.registration_type is not distinct from pl.registration_type),
    triggered as (
      select t.* from (
        select a.*, a.deposit_months * a.standard as deposit_limit_per_member,
               array_remove(array[
                 case when cardinality(a.vehicles) > 0 then 'VEHICLE' end,
                 case when a.businesses >= 1 then 'BUSINESS' end,
                 case when a.properties > a.real_estate_max then 'REAL_ESTATE' end,
                 -- compared multiplied out: exact, no rounding of the per-member share
                 case when a.financial_assets > a.deposit_months * a.standard * a.members then 'DEPOSIT' end], null) as triggers
          from assessed a) t
       where cardinality(t.triggers) > 0)
    select t.household_id::text as subject_id, null::text as item, t.triggers as clauses,
           null::date as period_start, null::date as period_end,
           coalesce(be.ev, '[]'::jsonb) || coalesce(me.ev, '[]'::jsonb) || coalesce(fe.ev, '[]'::jsonb)
             || case when t.place_source is null then '[]'::jsonb
                     else jsonb_build_array(jsonb_build_object('source_record_id', t.place_source, 'values',
                            jsonb_build_object('household', t.hh_id, 'hjxz', t.registration_type))) end as evidence,
           jsonb_build_object(
             'hhId', t.hh_id, 'triggers', t.triggers, 'hjxz', t.registration_type, 'members', t.members,
             'financialAssets', t.financial_assets::text, 'depositLimitPerMember', t.deposit_limit_per_member::text,
             'properties', t.properties::text, 'realEstateMax', t.real_estate_max::text,
             'vehicles', to_jsonb(t.vehicles), 'businesses', t.businesses::text) as detail,
           jsonb_build_array(t.exempt_id, t.estate_id, t.months_id)
             || case when t.standard_id is null then '[]'::jsonb else jsonb_build_array(t.standard_id) end as parameters
      from triggered t
      -- the evidence, looked up by index for the households found only: the benefits, the listed
      -- members and their newest checked facts
      cross join lateral (
        select jsonb_agg(jsonb_build_object('source_record_id', b.source_record_id, 'values', jsonb_build_object(
                 'programme', b.programme_code, 'start', b.valid_from, 'end', b.valid_to, 'amount', b.amount::text))) as ev
          from benefit b
         where b.household_id = t.household_id and b.retired_at is null and b.programme_code in ('DB', 'TK', 'DSR')
           and weijiu_active(b.valid_from, b.valid_to, $1::date)) be
      cross join lateral (
        select jsonb_agg(jsonb_build_object('source_record_id', m.source_record_id, 'values',
                 jsonb_build_object('household', m.record_key, 'member', p.id_number))) as ev
          from weijiu_household_member() m join person p on p.id = m.person_id where m.household_id = t.household_id) me
      cross join lateral (
        select jsonb_agg(jsonb_build_object('source_record_id', f.source_record_id, 'values', jsonb_build_object(
                 'person', p.id_number, 'source', f.source, 'item', f.item, 'value', f.value::text, 'unit', f.unit, 'asOf', f.as_of))) as ev
          from (select distinct m.person_id from weijiu_household_member() m where m.household_id = t.household_id) mp
          join person p on p.id = mp.person_id
          cross join lateral (
            select distinct on (x.source, x.item) x.* from economic_fact x
             where x.person_id = mp.person_id and x.retired_at is null and x.as_of <= $1::date
               and x.source in ('VEHICLE', 'BUSINESS', 'REAL_ESTATE', 'BANK', 'INSURANCE')
             order by x.source, x.item, x.as_of desc) f) fe`,
};
