import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { deceasedOn, dibaoTekunOf, factsOfHouseholds, householdRegions } from '../engine/scopedFacts';

/**
 * G6 DIBAO_FLOOR_GAP 脱贫户收入低于低保标准未兜底 — a household of the newest poverty-relief
 * snapshot whose 家庭年人均纯收入 is below `dibao_floor_months` × the monthly *rural* DB standard
 * (`db_standard_rural`) of its region on d, whatever its urban/rural type, and none of whose
 * members (listed in any of its records) is DIBAO or TEKUN on d (兜底保障). A household whose
 * members are all deceased on d is no gap.
 */
export const G6: RuleDefinition = {
  code: 'G6',
  version: '1',
  title: 'Registered-poor household under the DIBAO floor',
  titleZh: '脱贫户收入低于低保标准未兜底',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: ['dibao_floor_months', 'db_standard_rural'],
  sql: `
    with snapshot as (
      -- the household's figures are repeated on each member row: the head's row speaks for it
      select pr.household_id,
             (array_agg(pr.household_no order by pr.person_id = h.head_person_id desc, pr.record_key))[1] as household_no,
             (array_agg(pr.income_per_capita order by pr.person_id = h.head_person_id desc, pr.record_key))[1] as income,
             (array_agg(pr.region_code order by pr.person_id = h.head_person_id desc, pr.record_key))[1] as region_code,
             -- no valid death record on or before d (weijiu_deceased); a second one only repeats the row
             bool_or(dead.id is null) as anyone_alive
        -- (a scoped run: of the households in scope, by index)
        from ${factsOfHouseholds('poverty_record', 'f.valid_to is null and f.household_id is not null')} pr
        join household h on h.id = pr.household_id
        left join death_record dead on dead.person_id = pr.person_id and dead.retired_at is null and dead.died_on <= $1::date
       group by pr.household_id),
    located as materialized (
      select s.*, coalesce(hr.region_code, s.region_code, $2::text) as region
        from snapshot s left join ${householdRegions()} hr on hr.household_id = s.household_id
       where s.anyone_alive and s.income is not null),
    dibao_floor as materialized (
      -- once per region, not per household
      select r.region, months.id as months_id, months.value as months, standard.id as standard_id, standard.value as standard,
             months.value::numeric * standard.value::numeric as floor
        from (select distinct region from located) r
        cross join lateral weijiu_param('dibao_floor_months', r.region, $1::date) months
        cross join lateral weijiu_param('db_standard_rural', r.region, $1::date) standard),
    covered as (
      -- a member DIBAO or TEKUN on d takes the household out: it already has 兜底
      -- (a scoped run: the members of a household in scope are people in scope)
      select distinct m.household_id from ${factsOfHouseholds('membership', 'f.valid_to is null')} m
        join ${dibaoTekunOf()} c on c.person_id = m.person_id),
    hit as (
      select l.household_id, l.household_no, l.income, l.region, f.months_id, f.months, f.standard_id, f.standard, f.floor
        from located l
        join dibao_floor f on f.region = l.region
        left join covered c on c.household_id = l.household_id
       where l.income < f.floor and c.household_id is null)
    select h.household_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           null::date as period_start, null::date as period_end,
           -- the household's rows of the snapshot: its income, and who is listed (and alive)
           jsonb_agg(jsonb_build_object('source_record_id', pr.source_record_id, 'values',
               jsonb_build_object('household', pr.household_no, 'relation', pr.relation_code,
                                  'income', pr.income_per_capita::text, 'deceased', dead.died_on is not null))
             order by pr.relation_code, pr.record_key) as evidence,
           jsonb_build_object('hbh', h.household_no, 'income', h.income::text, 'floor', h.floor::text,
                              'months', h.months, 'ruralStandard', h.standard, 'region', h.region) as detail,
           jsonb_build_array(h.months_id, h.standard_id) as parameters
      from hit h
      join poverty_record pr on pr.household_id = h.household_id and pr.retired_at is null and pr.valid_to is null
      left join lateral (${deceasedOn('pr.person_id')}) dead on true
     group by h.household_id, h.household_no, h.income, h.region, h.months_id, h.months, h.standard_id, h.standard, h.floor`,
};
