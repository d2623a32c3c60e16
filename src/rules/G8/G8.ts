import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfHouseholds } from '../engine/scopedFacts';

/**
 * G8 DANGEROUS_HOUSE_GAP 低保特困低收入家庭住危房 — the head of a household with DB, TK or DSR
 * active on d has a 危房 record rated C or D, 改造状态 未改造, assessed more than
 * `dangerous_house_days` days before d (exactly that many days is not yet a gap). Nobody deceased on
 * d is a gap: a household is reported while its head or a listed member is alive on d (a widow
 * still lives in the house her late husband's record names).
 */
export const G8: RuleDefinition = {
  code: 'G8',
  version: '1',
  title: 'Assisted household living in an unrepaired dangerous house',
  titleZh: '低保特困低收入家庭危房未改造',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: ['dangerous_house_days'],
  sql: `
    with assisted as materialized (
      -- DB and DSR are household benefits; a TK enrollment names its household too
      -- (a scoped run: of the households in scope, by index)
      select b.household_id, b.programme_code, b.record_key, b.valid_from, b.valid_to, b.source_record_id
        from ${factsOfHouseholds('benefit', `f.household_id is not null and f.programme_code in ('DB', 'TK', 'DSR')
                                               and weijiu_active(f.valid_from, f.valid_to, $1::date)`)} b),
    house as materialized (
      -- the unrepaired C and D houses of the heads of those households
      select h.id as household_id, h.head_person_id, dh.source_record_id, dh.rating, dh.assessed_on, dh.renovation_status
        from dangerous_house dh
        join household h on h.head_person_id = dh.person_id
       where dh.retired_at is null and dh.rating in ('C', 'D') and dh.renovation_status = '未改造'
         and weijiu_active(dh.valid_from, dh.valid_to, $1::date)
         and h.id in (select household_id from assisted)),
    overdue as materialized (
      select x.*, days.id as parameter_id
        from house x
        join person hp on hp.id = x.head_person_id
        -- the household's region (rules.md), by index
        left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = x.household_id offset 0) hr on true
        cross join lateral weijiu_param('dangerous_house_days', coalesce(hr.region_code, hp.region_code, $2::text), $1::date) days
       where x.assessed_on < $1::date - days.value::int),
    lived_in as (
      -- someone of the household (its head or a listed member) is alive on d
      select o.* from overdue o
       where exists (select 1
                       from (select o.head_person_id as person_id
                             union
                             select m.person_id from weijiu_household_member() m where m.household_id = o.household_id) people
                      where not exists (select 1 from death_record dr
                                         where dr.person_id = people.person_id and dr.retired_at is null and dr.died_on <= $1::date)))
    select o.household_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           null::date as period_start, null::date as period_end,
           o.house_evidence || a.benefit_evidence as evidence,
           jsonb_build_object('hh_id', a.hh_id, 'programmes', a.programmes, 'assessed', o.assessed) as detail,
           jsonb_build_array(o.parameter_id) as parameters
      from (select household_id, min(parameter_id) as parameter_id,
                   jsonb_agg(to_jsonb(assessed_on) order by assessed_on) as assessed,
                   jsonb_agg(jsonb_build_object('source_record_id', source_record_id, 'values',
                     jsonb_build_object('rating', rating, 'assessed', assessed_on, 'renovation', renovation_status))
                     order by assessed_on) as house_evidence
              from lived_in group by household_id) o
      join (select household_id, min(record_key) as hh_id,
                   jsonb_agg(distinct programme_code) as programmes,
                   jsonb_agg(jsonb_build_object('source_record_id', source_record_id, 'values',
                     jsonb_build_object('programme', programme_code, 'start', valid_from, 'end', valid_to))) as benefit_evidence
              from assisted where household_id in (select household_id from lived_in) group by household_id) a
        on a.household_id = o.household_id`,
};
