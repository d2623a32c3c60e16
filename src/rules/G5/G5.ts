import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople, isDeceased, personHouseholds } from '../engine/scopedFacts';

/**
 * G5 MEDICAL_ASSISTANCE_GAP 低保特困对象大额自付未获医疗救助 — for each calendar year up to d (the
 * settlements dated on or before d): a living person's out-of-pocket costs (`grzf`) of the
 * settlements dated on days they were DIBAO or TEKUN sum to more than `medical_oop_threshold`,
 * and none of their settlements of that year has medical assistance (`yljz` > 0). One finding
 * per person and year.
 *
 * DIBAO or TEKUN is judged on each settlement's own day, not on d: listed in the household
 * record on that day while its DB was active, or named in a TK enrollment active that day.
 */
export const G5: RuleDefinition = {
  code: 'G5',
  version: '1',
  title: 'Large out-of-pocket costs without medical assistance',
  titleZh: '低保特困对象大额自付未获医疗救助',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: ['medical_oop_threshold'],
  sql: `
    with ever_covered as (
      -- only people ever listed in a DB household or named in a TK enrollment can have such days:
      -- the other settlements (most of them) are never read
      -- (a scoped run: of the people in scope, by index)
      select m.person_id from ${factsOfPeople('membership', `f.feed = 'civil-affairs'`)} m
        join benefit b on b.feed = m.feed and b.record_key = m.record_key and b.programme_code = 'DB' and b.retired_at is null
      union
      select b.person_id from ${factsOfPeople('benefit', `f.programme_code = 'TK' and f.person_id is not null`)} b),
    settlement as materialized (
      select ms.id, ms.person_id, ms.settled_on, extract(year from ms.settled_on)::int as year,
             ms.out_of_pocket, ms.assistance_paid, ms.source_record_id
        from ${factsOfPeople('medical_settlement', `f.settled_on <= $1::date`)} ms
        join ever_covered e on e.person_id = ms.person_id),
    covered as (
      -- the settlement's day was a DIBAO day: listed (on that day) in a household whose DB was active that day
      select s.id, b.source_record_id, 'DIBAO' as category, b.valid_from, b.valid_to
        from settlement s
        join membership m on m.person_id = s.person_id and m.feed = 'civil-affairs' and m.retired_at is null
                         and weijiu_active(m.valid_from, m.valid_to, s.settled_on)
        join benefit b on b.feed = m.feed and b.record_key = m.record_key and b.programme_code = 'DB' and b.retired_at is null
                      and weijiu_active(b.valid_from, b.valid_to, s.settled_on)
      union all
      -- … or a TEKUN day: named in a TK enrollment active that day
      select s.id, b.source_record_id, 'TEKUN', b.valid_from, b.valid_to
        from settlement s
        join benefit b on b.person_id = s.person_id and b.programme_code = 'TK' and b.retired_at is null
                      and weijiu_active(b.valid_from, b.valid_to, s.settled_on)),
    qualifying as (select distinct id from covered),
    person_year as (
      select s.person_id, s.year,
             coalesce(sum(s.out_of_pocket) filter (where q.id is not null), 0) as oop,
             coalesce(bool_or(s.assistance_paid > 0), false) as assisted
        from settlement s left join qualifying q on q.id = s.id
       group by s.person_id, s.year),
    candidate as (
      -- the region of weijiu_person_region, looked up per person by index: joined whole, it is
      -- re-run for every candidate when the planner underestimates them
      select py.person_id, py.year, py.oop, coalesce(hr.region_code, p.region_code, $2::text) as region
        from person_year py
        join person p on p.id = py.person_id
        -- (the candidates are people in scope: their households by index in a scoped run)
        left join ${personHouseholds()} ph on ph.person_id = py.person_id
        left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = ph.household_id offset 0) hr on true
       where not py.assisted and py.oop > 0 and not ${isDeceased('py.person_id')}),
    threshold as (
      -- once per region, not per person
      select r.region, t.id, t.value from (select distinct region from candidate) r
       cross join lateral weijiu_param('medical_oop_threshold', r.region, $1::date) t),
    gap as (
      select c.person_id, c.year, c.oop, t.id as threshold_id, t.value as threshold
        from candidate c join threshold t on t.region = c.region
       where c.oop > t.value::numeric),
    -- evidence only for the gaps: every settlement of the year (its yljz was checked), then the DB
    -- or TK enrollments that made the days DIBAO or TEKUN days, once each
    evidence as (
      select g.person_id, g.year, g.oop, g.threshold_id, g.threshold, 0 as part, s.settled_on, s.id as ord,
             jsonb_build_object('source_record_id', s.source_record_id, 'values',
               jsonb_build_object('settledOn', s.settled_on, 'grzf', s.out_of_pocket::text, 'yljz', s.assistance_paid::text,
                                  'dibaoOrTekun', q.id is not null)) as fact
        from gap g
        join settlement s on s.person_id = g.person_id and s.year = g.year
        left join qualifying q on q.id = s.id
      union
      select g.person_id, g.year, g.oop, g.threshold_id, g.threshold, 1, c.valid_from, c.source_record_id,
             jsonb_build_object('source_record_id', c.source_record_id, 'values',
               jsonb_build_object('category', c.category, 'start', c.valid_from, 'end', c.valid_to))
        from gap g
        join settlement s on s.person_id = g.person_id and s.year = g.year
        join covered c on c.id = s.id)
    select person_id::text as subject_id, year::text as item, '{}'::text[] as clauses,
           make_date(year, 1, 1) as period_start, least(make_date(year, 12, 31), $1::date) as period_end,
           jsonb_agg(fact order by part, settled_on, ord) as evidence,
           jsonb_build_object('year', year, 'oop', oop::text, 'threshold', threshold) as detail,
           jsonb_build_array(threshold_id) as parameters
      from evidence
     group by person_id, year, oop, threshold_id, threshold`,
};
