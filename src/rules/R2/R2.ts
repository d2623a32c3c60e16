import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R2 VILLAGE_COORDINATORS 村(社区)社会救助协理员 — a village (12-digit code) with at most
 * `village_coordinators_split_households` 户 (800户以下 includes 800) has fewer than
 * `village_coordinators_small` coordinators, or one with more households fewer than
 * `village_coordinators_large`. From the region-stats row of the year of d; an empty figure is
 * unknown, not zero, and a village with an unknown figure is not evaluated.
 */
export const R2: RuleDefinition = {
  code: 'R2',
  version: '1',
  title: 'Village assistance coordinators below the minimum',
  titleZh: '村(社区)社会救助协理员不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(二)2 充实社会救助工作力量`,
  parameters: ['village_coordinators_split_households', 'village_coordinators_small', 'village_coordinators_large'],
  sql: `
    select rs.region_code as subject_id, rs.year::text as item, '{}'::text[] as clauses,
           make_date(rs.year, 1, 1) as period_start, make_date(rs.year, 12, 31) as period_end,
           jsonb_build_array(jsonb_build_object('source_record_id', rs.source_record_id, 'values',
             jsonb_build_object('households', rs.households, 'coordinators', rs.coordinators))) as evidence,
           jsonb_build_object('size', req.size, 'households', rs.households, 'coordinators', rs.coordinators,
                              'required', req.required) as detail,
           jsonb_build_array(split.id, small.id, large.id) as parameters
      from region_stat rs
      cross join lateral weijiu_param('village_coordinators_split_households', rs.region_code, $1::date) split
      cross join lateral weijiu_param('village_coordinators_small', rs.region_code, $1::date) small
      cross join lateral weijiu_param('village_coordinators_large', rs.region_code, $1::date) large
      cross join lateral (
        select case when rs.households <= split.value::numeric then 'small' else 'large' end as size,
               case when rs.households <= split.value::numeric then small.value::numeric else large.value::numeric end as required) req
     where rs.retired_at is null and rs.valid_to is null and length(rs.region_code) = 12
       and rs.year = extract(year from $1::date)::int
       and rs.households is not null and rs.coordinators is not null
       and rs.coordinators < req.required`,
};
