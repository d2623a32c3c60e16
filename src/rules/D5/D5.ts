import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

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
      -- the households DB or DSR covers the person as a member of (a scoped run: of the people in scope)
      select mb.person_id, mb.hh_id, mb.membership_source_record_id as membership_source,
             mb.programme_code, mb.valid_from, mb.valid_to, mb.amount, mb.source_record_id
        from weijiu_member_benefit('{DB,DSR}', $4::bigint[]) mb),
    -- the few people listed in two households: the pairs are formed of them only
    twice as (
      select person_id from listed group by person_id having min(hh_id) <> max(hh_id)),
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
        from twice t
        join listed x on x.person_id = t.person_id
        join listed y on y.person_id = t.person_id and y.hh_id > x.hh_id)
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
