import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R1 TOWN_STAFF 专职民政人员 — a town (9-digit code) with 常住人口 ≤ the split has fewer than
 * `town_staff_small` full-time civil-affairs staff, or one with more residents fewer than
 * `town_staff_large`. From the region-stats row of the year of d; an empty figure is unknown, and
 * a town with an unknown figure is not evaluated.
 */
export const R1: RuleDefinition = {
  code: 'R1',
  version: '1',
  title: 'Town civil-affairs staff below the minimum',
  titleZh: '乡镇(街道)民政专职人员不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(二)2 充实社会救助工作力量`,
  parameters: ['town_staff_split_residents', 'town_staff_small', 'town_staff_large'],
  sql: `
    select rs.region_code as subject_id, rs.year::text as item, '{}'::text[] as clauses,
           make_date(rs.year, 1, 1) as period_start, make_date(rs.year, 12, 31) as period_end,
           jsonb_build_array(jsonb_build_object('source_record_id', rs.source_record_id, 'values',
             jsonb_build_object('residents', rs.residents, 'staff', rs.staff))) as evidence,
           jsonb_build_object('size', case when rs.residents <= split.value::int then 'small' else 'large' end,
                              'residents', rs.residents, 'staff', rs.staff, 'required', req.required) as detail,
           jsonb_build_array(split.id, small.id, large.id) as parameters
      from region_stat rs
      cross join lateral weijiu_param('town_staff_split_residents', rs.region_code, $1::date) split
      cross join lateral weijiu_param('town_staff_small', rs.region_code, $1::date) small
      cross join lateral weijiu_param('town_staff_large', rs.region_code, $1::date) large
      cross join lateral (select case when rs.residents <= split.value::int then small.value::int else large.value::int end as required) req
     where rs.retired_at is null and rs.valid_to is null and length(rs.region_code) = 9
       and rs.year = extract(year from $1::date)::int
       and rs.residents is not null and rs.staff is not null
       and rs.staff < req.required`,
};
