import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * D5 DUPLICATE_MEMBERSHIP 重复纳入救助家庭 — the same person is listed (in the newest version)
 * in two different civil-affairs households (different `hh_id`) that both have DB or DSR active on
 * a common day on or before d. One finding per person, with the period the two overlap.
 */
export const D5: RuleDefinition = {
  code: 'D5',
  version: '1',
  title: 'Listed in two assisted households',
  titleZh: '重复纳入救助家庭',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 三(二)`,
  parameters: [],
  sql: `
    with listed as (
      select m.person_id, m.record_key as hh_id, m.source_record_id as membership_source,
             b.programme_code, b.valid_from, b.valid_to, b.amount, b.source_record_id
        -- (a scoped run: of the people in scope, by index)
        from ${factsOfPeople('membership', `f.feed = 'civil-affairs' and f.valid_to is null`)} m
        join benefit b on b.feed = m.feed and b.record_key = m.record_key and b.retired_at is null
                      and b.programme_code in ('DB', 'DSR')),
    overlap as (
      select x.person_id, x.hh_id as hh_x, y.hh_id as hh_y,
             greatest(coalesce(x.valid_from, '-infinity'::date), coalesce(y.valid_from, '-infinity'::date)) as overlap_start,
             least(coalesce(x.valid_to, 'infinity'::date), coalesce(y.valid_to, 'infinity'::date)) as overlap_end,
             jsonb_build_array(
               jsonb_build_object('source_record_id', x.membership_source, 'values', jsonb_build_object('household', x.hh_id, 'listed', true)),
               jsonb_build_object('source_record_id', y.membership_source, 'values', jsonb_build_object('household', y.hh_id, 'listed', true)),
               jsonb_build_object('source_record_id', x.source_record_id, 'values', jsonb_build_object(
                 'household', x.hh_id, 'programme', x.programme_code, 'start', x.valid_from, 'end', x.valid_to, 'amount', x.amount::text)),
               jsonb_build_object('source_record_id', y.source_record_id, 'values', jsonb_build_object(
                 'household', y.hh_id, 'programme', y.programme_code, 'start', y.valid_from, 'end', y.valid_to, 'amount', y.amount::text))) as ev
        from listed x
        join listed y on y.person_id = x.person_id and y.hh_id > x.hh_id)
    select o.person_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           min(o.overlap_start) as period_start, nullif(max(o.overlap_end), 'infinity'::date) as period_end,
           (select jsonb_agg(distinct fact) from jsonb_array_elements(jsonb_path_query_array(jsonb_agg(o.ev), '$[*][*]')) fact) as evidence,
           jsonb_build_object(
             'households', (select jsonb_agg(distinct hh) from jsonb_array_elements_text(jsonb_agg(o.hh_x) || jsonb_agg(o.hh_y)) hh),
             'overlapStart', min(o.overlap_start), 'overlapEnd', nullif(max(o.overlap_end), 'infinity'::date)) as detail,
           '[]'::jsonb as parameters
      from overlap o
     where o.overlap_start <= o.overlap_end and o.overlap_start <= $1::date
     group by o.person_id`,
};
