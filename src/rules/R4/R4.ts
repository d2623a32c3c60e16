import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R4 CENTRALISED_CARE_RATE 非自理特困人员集中供养率 — in a county (the first six digits of the TK
 * household's region), of the people named in a TK enrollment active on d whose 自理能力 (`zlnl`,
 * their membership in that household) is 半失能 or 全失能, the share with 供养方式 (`gyfs`) 集中 is
 * below `centralised_care_rate`. Compared as an exact fraction (numeric, never floating point:
 * 17 of 20 at 0.85 is compliant). People are counted once; a county with no such people has no
 * finding. A compliance figure is literal: it counts whom the enrollments name on d.
 */
export const R4: RuleDefinition = {
  code: 'R4',
  version: '1',
  title: 'Centralised care rate below 85%',
  titleZh: '非自理特困人员集中供养率低于85%',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 一(四) 非自理集中特困供养率提高至85%以上`,
  parameters: ['centralised_care_rate'],
  sql: `
    with enrolled as materialized (
      -- the non-self-caring people named in a TK enrollment active on d
      select b.person_id, b.household_id, b.record_key, b.source_record_id, b.valid_from, b.valid_to, b.support_mode, m.self_care
        from benefit b
        -- the self-care the TK household's record states for this person
        join membership m on m.feed = b.feed and m.record_key = b.record_key and m.person_id = b.person_id and m.retired_at is null
       where b.programme_code = 'TK' and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, $1::date)
         and m.self_care in ('半失能', '全失能')),
    dependent as (
      select left(coalesce(hr.region_code, hp.region_code), 6) as county, e.person_id,
             bool_or(e.support_mode = '集中') as centralised,
             jsonb_agg(jsonb_build_object('source_record_id', e.source_record_id, 'values',
               jsonb_build_object('programme', 'TK', 'hh_id', e.record_key, 'start', e.valid_from, 'end', e.valid_to,
                                  'gyfs', e.support_mode, 'zlnl', e.self_care))) as evidence
        from enrolled e
        join household h on h.id = e.household_id
        join person hp on hp.id = h.head_person_id
        -- the TK household's region (rules.md), by index
        left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = e.household_id offset 0) hr on true
       group by 1, 2),
    county_rate as (
      select county, count(distinct person_id) as total, count(distinct person_id) filter (where centralised) as centralised,
             jsonb_agg(e order by e->'values'->>'hh_id') as evidence
        from dependent, jsonb_array_elements(dependent.evidence) e
       where length(county) = 6
       group by county)
    select c.county as subject_id, extract(year from $1::date)::int::text as item, '{}'::text[] as clauses,
           make_date(extract(year from $1::date)::int, 1, 1) as period_start,
           make_date(extract(year from $1::date)::int, 12, 31) as period_end,
           c.evidence,
           jsonb_build_object('disabled_tk', c.total, 'centralised', c.centralised,
                              'share', round(c.centralised::numeric / c.total, 4)::text, 'required', rate.value) as detail,
           jsonb_build_array(rate.id) as parameters
      from county_rate c
      cross join lateral weijiu_param('centralised_care_rate', c.county, $1::date) rate
     where c.centralised::numeric < rate.value::numeric * c.total`,
};
