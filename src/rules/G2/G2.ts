import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { dibaoTekunOf, isDeceased } from '../engine/scopedFacts';

/**
 * G2 LIVING_SUBSIDY_GAP 困难残疾人未享受生活补贴 — a living person who is DISABLED (a VALID
 * certificate of any grade, issued on or before d, validUntil ≥ d) and DIBAO or TEKUN on d, with
 * no CJ_LIVING active on d.
 */
export const G2: RuleDefinition = {
  code: 'G2',
  version: '1',
  title: 'Disabled recipient without the living subsidy',
  titleZh: '困难残疾人未享受生活补贴',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  sql: `
    with category as materialized (
      -- weijiu_categories DISABLED, DIBAO and TEKUN (of the people in scope in a scoped run, by index)
      select c.person_id, c.category, c.source_record_id from ${dibaoTekunOf({ disabled: true })} c),
    eligible as (
      select person_id from category group by person_id
      having bool_or(category = 'DISABLED') and bool_or(category in ('DIBAO', 'TEKUN')))
    select e.person_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           null::date as period_start, null::date as period_end,
           jsonb_agg(jsonb_build_object('source_record_id', c.source_record_id, 'values',
             jsonb_build_object('category', c.category)) order by c.category, c.source_record_id) as evidence,
           jsonb_build_object('categories', jsonb_agg(distinct c.category)) as detail,
           '[]'::jsonb as parameters
      from eligible e
      join category c on c.person_id = e.person_id
     where not exists (select 1 from benefit b
                        where b.person_id = e.person_id and b.retired_at is null and b.programme_code = 'CJ_LIVING'
                          and weijiu_active(b.valid_from, b.valid_to, $1::date))
       and not ${isDeceased('e.person_id')}
     group by e.person_id`,
};
