import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * D3 AFTER_DEATH 死亡后仍享受救助 — one finding per person deceased on d, naming the clauses that
 * hold: (i) a person-level cash programme (TK, GE, SW, CJ_LIVING, CJ_NURSING: the `cash`
 * programmes of level PERSON in the catalogue) is active on some day after the end of the month
 * following the month of death, and on or before d; (ii) they are still listed in the newest
 * version of a household whose DB or DSR is active on some day more than `after_death_grace_days`
 * after the death, and on or before d; (iii) an LS grant is paid to them after the day of death
 * (and on or before d).
 */
export const D3: RuleDefinition = {
  code: 'D3',
  version: '1',
  title: 'Payments or listing after death',
  titleZh: '死亡后仍享受救助',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 二(六)1 虚报、冒领社会救助资金`,
  parameters: ['after_death_grace_days'],
  sql: `
    with dead as materialized (
      -- weijiu_deceased($1): the earliest valid death record on or before d; in a scoped run those
      -- of the people in scope only, by index
      select distinct on (f.person_id) f.person_id, f.died_on, f.source_record_id
        from ${factsOfPeople('death_record', `f.died_on <= $1::date`)} f
       order by f.person_id, f.died_on),
    hit as (
      -- (i) from the first day of the second month after the month of death
      select d.person_id, 'i' as clause, b.programme_code as programme, null::text as hh_id, null::text as grant_id,
             null::bigint as parameter_id,
             jsonb_build_array(jsonb_build_object('source_record_id', b.source_record_id, 'values', jsonb_build_object(
               'clause', 'i', 'programme', b.programme_code, 'start', b.valid_from, 'end', b.valid_to, 'amount', b.amount::text))) as ev
        from dead d
        -- the dead person's own benefits, by index: few people are dead (fewer still in a scoped run);
        -- offset 0 keeps the planner from flattening this into a scan of every benefit
        cross join lateral (select b.* from benefit b where b.person_id = d.person_id and b.retired_at is null offset 0) b
        join programme pg on pg.code = b.programme_code and pg.cash and pg.level = 'PERSON'
       where greatest(coalesce(b.valid_from, '-infinity'::date), (date_trunc('month', d.died_on) + interval '2 months')::date)
             <= least(coalesce(b.valid_to, 'infinity'::date), $1::date)
      union all
      -- (ii) the grace counts from the day of death: DB or DSR on day death + grace + 1 or later
      select d.person_id, 'ii', b.programme_code, m.record_key, null, grace.id,
             jsonb_build_array(
               jsonb_build_object('source_record_id', m.source_record_id, 'values', jsonb_build_object(
                 'clause', 'ii', 'household', m.record_key, 'listed', true)),
               jsonb_build_object('source_record_id', b.source_record_id, 'values', jsonb_build_object(
                 'clause', 'ii', 'household', m.record_key, 'programme', b.programme_code, 'start', b.valid_from,
                 'end', b.valid_to, 'amount', b.amount::text, 'graceDays', grace.value)))
        from dead d
        join membership m on m.person_id = d.person_id and m.feed = 'civil-affairs' and m.retired_at is null and m.valid_to is null
        join benefit b on b.feed = m.feed and b.record_key = m.record_key and b.retired_at is null and b.programme_code in ('DB', 'DSR')
        cross join lateral weijiu_param('after_death_grace_days', coalesce(b.region_code, $2::text), $1::date) grace
       where greatest(coalesce(b.valid_from, '-infinity'::date), d.died_on + grace.value::int + 1)
             <= least(coalesce(b.valid_to, 'infinity'::date), $1::date)
      union all
      -- (iii) paid after the day of death
      select d.person_id, 'iii', null, null, b.record_key, null,
             jsonb_build_array(jsonb_build_object('source_record_id', b.source_record_id, 'values', jsonb_build_object(
               'clause', 'iii', 'grantId', b.record_key, 'paidOn', b.paid_on, 'amount', b.amount::text)))
        from dead d
        cross join lateral (
          select b.* from benefit b where b.person_id = d.person_id and b.retired_at is null and b.programme_code = 'LS' offset 0) b
       where b.paid_on > d.died_on and b.paid_on <= $1::date
         and weijiu_active(null, b.valid_to, b.paid_on)),
    clause_list as (
      select h.person_id,
             array_remove(array[case when bool_or(h.clause = 'i') then 'i' end, case when bool_or(h.clause = 'ii') then 'ii' end,
                                case when bool_or(h.clause = 'iii') then 'iii' end], null) as clauses
        from hit h group by h.person_id)
    select h.person_id::text as subject_id, null::text as item, c.clauses,
           d.died_on as period_start, null::date as period_end,
           jsonb_build_array(jsonb_build_object('source_record_id', d.source_record_id, 'values', jsonb_build_object('death', d.died_on)))
             || (select jsonb_agg(distinct fact) from jsonb_array_elements(jsonb_path_query_array(jsonb_agg(h.ev), '$[*][*]')) fact) as evidence,
           jsonb_build_object(
             'clauses', c.clauses,
             'death', d.died_on,
             'programmes', coalesce(jsonb_agg(distinct h.programme) filter (where h.clause = 'i'), '[]'::jsonb),
             'households', coalesce(jsonb_agg(distinct h.hh_id) filter (where h.clause = 'ii'), '[]'::jsonb),
             'grants', coalesce(jsonb_agg(distinct h.grant_id) filter (where h.clause = 'iii'), '[]'::jsonb)) as detail,
           coalesce(jsonb_agg(distinct h.parameter_id) filter (where h.parameter_id is not null), '[]'::jsonb) as parameters
      from hit h
      join dead d on d.person_id = h.person_id
      join clause_list c on c.person_id = h.person_id
     group by h.person_id, d.died_on, d.source_record_id, c.clauses`,
};
