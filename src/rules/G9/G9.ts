import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople, personHouseholds } from '../engine/scopedFacts';

/**
 * G9 SUDDEN_HARDSHIP_ALERT 突发困难主动发现 — a household none of whose members is DIBAO or TEKUN on
 * d, whose members' out-of-pocket medical costs (`grzf`) settled in the recent window (d−364 … d,
 * `recent_window_days`) total at least `sudden_oop_threshold`, and with no LS grant paid to any
 * member in that window.
 *
 * Members are the people whose household (rules.md, weijiu_person_household) it is: the
 * civil-affairs household that lists them, else the poverty-relief one, else a housing
 * applicant's own. A household is reported only while one of its members is alive on d (nobody
 * deceased is a gap); a member who died within the window still counts with their costs — those
 * bills are the family's hardship.
 *
 * Set-based in two passes so that it stays fast on millions of people: the costs of the people
 * with settlements in the window go to their households, and only the households that reach the
 * threshold have their members looked up and checked.
 */
export const G9: RuleDefinition = {
  code: 'G9',
  version: '1',
  title: 'Sudden hardship: high medical costs without assistance',
  titleZh: '因病突发困难未获救助(主动发现)',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化; 二(三)1 主动型个性化救助服务`,
  parameters: ['recent_window_days', 'sudden_oop_threshold'],
  sql: `
    with win as (
      -- the recent window is the city's, as for the TEMPORARY category (weijiu_categories)
      select w.id as parameter_id, $1::date - (w.value::int - 1) as since
        from weijiu_param('recent_window_days', $2::text, $1::date) w),
    costs as (
      select s.person_id, sum(s.out_of_pocket) as oop
        -- a scoped run: the settlements of the people in scope, by index; every member of a household
        -- in scope is in it, so its total is whole
        from ${factsOfPeople('medical_settlement', 'f.out_of_pocket is not null')} s, win
       where s.settled_on between win.since and $1::date
       group by s.person_id),
    home as (
      -- the household of each person with costs (rules.md "household", housing applicants included)
      select c.person_id, c.oop, ph.household_id
        from costs c
        -- (the people with costs are people in scope: their households by index in a scoped run)
        left join ${personHouseholds()} ph on ph.person_id = c.person_id),
    reaching as materialized (
      select home.household_id, sum(home.oop) as oop
        from home
       where home.household_id is not null
       group by home.household_id
      -- no region's threshold on any date is lower: a household below every one of them cannot reach its own
      having sum(home.oop) >= (select min(p.value::numeric) from parameter p
                                where p.name = 'sudden_oop_threshold' and weijiu_parameter_value_ok(p.name, p.value))),
    candidate as materialized (
      select r.household_id, r.oop, threshold.id as threshold_id, threshold.value as threshold
        from reaching r
        join household h on h.id = r.household_id
        join person hp on hp.id = h.head_person_id
        left join lateral (select x.region_code from weijiu_household_region() x where x.household_id = r.household_id offset 0) hr on true
        cross join lateral weijiu_param('sudden_oop_threshold', coalesce(hr.region_code, hp.region_code, $2::text), $1::date) threshold
       where r.oop >= threshold.value::numeric),
    member as materialized (
      -- the people each candidate household is the household of
      select distinct on (x.person_id) x.household_id, x.person_id, x.feed, x.record_key
        from (select m.person_id from membership m
               where m.household_id in (select household_id from candidate) and m.retired_at is null and m.valid_to is null
              union
              select b.person_id from benefit b
               where b.household_id in (select household_id from candidate) and b.retired_at is null
                 and b.programme_code in ('ZF_FLAT', 'ZF_RENT') and b.person_id is not null) people
        cross join lateral (
          select ph.household_id, ph.person_id, ph.feed, ph.record_key
            from weijiu_person_household($1::date) ph where ph.person_id = people.person_id offset 0) x
       order by x.person_id),
    member_state as (
      select m.household_id, m.person_id, m.feed, m.record_key, c.oop, c.threshold, c.threshold_id,
             -- DIBAO or TEKUN on d (rules.md categories), looked up by index for this member
             exists (select 1 from weijiu_categories($1::date, $2::text) cat
                      where cat.person_id = m.person_id and cat.category in ('DIBAO', 'TEKUN')) as covered,
             exists (select 1 from benefit ls, win
                      where ls.person_id = m.person_id and ls.programme_code = 'LS' and ls.retired_at is null
                        and ls.paid_on between win.since and $1::date) as temporary,
             exists (select 1 from death_record dr
                      where dr.person_id = m.person_id and dr.retired_at is null and dr.died_on <= $1::date) as dead
        from member m
        join candidate c on c.household_id = m.household_id),
    alert as (
      select household_id, oop, threshold, threshold_id, array_agg(person_id) as people,
             (array_agg(feed order by weijiu_feed_rank(feed), record_key))[1] as feed,
             (array_agg(record_key order by weijiu_feed_rank(feed), record_key))[1] as record_key
        from member_state
       group by household_id, oop, threshold, threshold_id
      having not bool_or(covered) and not bool_or(temporary) and not bool_and(dead))
    select a.household_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           win.since as period_start, $1::date as period_end,
           bills.evidence,
           jsonb_build_object('household', jsonb_build_array(case a.feed when 'civil-affairs' then 'CA' when 'poverty-relief' then 'FP' else 'ZF' end,
                                                               coalesce(pr.household_no, a.record_key)),
                              'oop', a.oop::text, 'threshold', a.threshold, 'windowStart', win.since) as detail,
           jsonb_build_array(win.parameter_id, a.threshold_id) as parameters
      from alert a
      cross join win
      -- the settlements that make up the total
      cross join lateral (
        select jsonb_agg(jsonb_build_object('source_record_id', s.source_record_id, 'values',
                 jsonb_build_object('settled', s.settled_on, 'grzf', s.out_of_pocket::text)) order by s.settled_on, s.id) as evidence
          from unnest(a.people) as member(person_id)
          join medical_settlement s on s.person_id = member.person_id and s.retired_at is null and s.out_of_pocket is not null
         where s.settled_on between win.since and $1::date) bills
      -- the household's own number in its feed, for the reviewer
      left join lateral (
        select p.household_no from poverty_record p
         where a.feed = 'poverty-relief' and p.feed = 'poverty-relief' and p.record_key = a.record_key and p.retired_at is null limit 1) pr on true`,
};
