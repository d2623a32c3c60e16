import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { byRun, dibaoTekunOf, factsOfPeople, isDeceased } from '../engine/scopedFacts';

/**
 * G4 EDUCATION_AID_GAP 困难学生未获资助 — a living pupil 在读 in the newest term file (the highest
 * 学年 and 学期 that has begun by d: 1 September or 1 March), who is DIBAO or TEKUN on d or a
 * member of a household of the newest poverty-relief snapshot that is 未脱贫 or has a 监测对象类型,
 * and who has no row with an aid in that term under any 学籍号. One finding per person and term.
 */
export const G4: RuleDefinition = {
  code: 'G4',
  version: '1',
  title: 'Pupil in difficulty without education aid',
  titleZh: '困难学生未获教育资助',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  sql: `
    with term as (
      -- term = 'YYYY-YYYY_S'; it begins on 1 September (S = 1) or 1 March of the second year (S = 2)
      -- the newest begun term, read down the term index (schooling_term) rather than over every row
      select (select s.term from schooling s
               where s.retired_at is null and s.term is not null
                 and case when right(s.term, 1) = '1' then make_date(left(s.term, 4)::int, 9, 1)
                          else make_date(substr(s.term, 6, 4)::int, 3, 1) end <= $1::date
               order by s.term desc limit 1) as term),
    pupil as materialized (
      select s.person_id, t.term
        -- a scoped run: the rows of the people in scope, by index
        from ${factsOfPeople('schooling')} s join term t on s.term = t.term
       group by s.person_id, t.term
      having bool_or(s.status = '在读') and not bool_or(s.aid is not null)),
    recipient as (
      -- weijiu_categories DIBAO and TEKUN (of the people in scope in a scoped run)
      select c.person_id, c.category, c.source_record_id, jsonb_build_object('category', c.category) as values
        from ${dibaoTekunOf()} c),
    poor as (
      -- 未脱贫 or monitored is a property of the household (户编号) in the newest snapshot: any of its rows says so
      select pr.person_id, 'POVERTY_HOUSEHOLD' as category, pr.source_record_id,
             jsonb_build_object('household', pr.household_no, 'status', pr.poverty_status, 'monitoring', pr.monitoring_type) as values
        from ${byRun(
          // the rows of the people in scope, and their household's rows by index (poverty_record_household_no)
          `select pr.* from ${factsOfPeople('poverty_record', 'f.valid_to is null')} pr
            cross join lateral (
              select 1 from poverty_record ph
               where ph.household_no = pr.household_no and ph.retired_at is null and ph.valid_to is null
                 and (ph.poverty_status = '未脱贫' or ph.monitoring_type is not null) limit 1) poor`,
          `select pr.* from poverty_record pr
            where pr.retired_at is null and pr.valid_to is null
              and pr.household_no in (select ph.household_no from poverty_record ph
                                       where ph.retired_at is null and ph.valid_to is null
                                         and (ph.poverty_status = '未脱贫' or ph.monitoring_type is not null))`,
        )} pr),
    eligible as materialized (select * from recipient union all select * from poor),
    hit as (
      select p.person_id, p.term,
             jsonb_agg(jsonb_build_object('source_record_id', e.source_record_id, 'values', e.values)
                       order by e.category, e.source_record_id) as evidence,
             jsonb_agg(distinct e.category) as categories
        from pupil p
        join eligible e on e.person_id = p.person_id
       group by p.person_id, p.term)
    select h.person_id::text as subject_id, h.term as item, '{}'::text[] as clauses,
           null::date as period_start, null::date as period_end,
           -- every row of the pupil in that term (none carries an aid), then what makes them eligible
           (select jsonb_agg(jsonb_build_object('source_record_id', s.source_record_id, 'values',
                     jsonb_build_object('term', s.term, 'studentNo', s.student_no, 'status', s.status, 'aid', s.aid))
                     order by s.student_no)
              from schooling s where s.person_id = h.person_id and s.term = h.term and s.retired_at is null) || h.evidence as evidence,
           jsonb_build_object('term', h.term, 'categories', h.categories) as detail,
           '[]'::jsonb as parameters
      from hit h
     -- alive on d: checked for the few eligible pupils only, by index
     where not ${isDeceased('h.person_id')}`,
};
