import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { byRun, factsOfPeople } from '../engine/scopedFacts';

/**
 * G3 ORPHAN_ALLOWANCE_GAP 孤儿未享受基本生活费 — a living child under 18 on d, listed in their
 * household (rules.md: the civil-affairs one first, else the poverty-relief one) as 子/女 of the
 * head (relation 10–29), where every member listed as 01 or 02 (the parents) is deceased on d,
 * and no GE or SW is active on d. A household that lists no parent at all tells nothing about
 * the parents, so it is not read as "every parent deceased".
 */
export const G3: RuleDefinition = {
  code: 'G3',
  version: '1',
  title: 'Orphan without the orphan allowance',
  titleZh: '孤儿未享受基本生活费',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  sql: `
    with child as materialized (
      select m.person_id, m.household_id, m.feed, m.record_key, m.relation_code, m.source_record_id, p.birth_date
        from ${byRun(
          // the people in scope, and the household of each looked up by index
          `select m.* from ${factsOfPeople('membership', `f.valid_to is null and f.relation_code between '10' and '29'`)} m
            cross join lateral (select x.feed, x.record_key from weijiu_person_household($1::date) x where x.person_id = m.person_id offset 0) ph
            where ph.feed = m.feed and ph.record_key = m.record_key`,
          `select m.* from membership m
             join weijiu_person_household($1::date) ph on ph.person_id = m.person_id and ph.feed = m.feed and ph.record_key = m.record_key
            where m.retired_at is null and m.valid_to is null and m.relation_code between '10' and '29'`,
        )} m
        join person p on p.id = m.person_id
       where (p.birth_date + interval '18 years')::date > $1::date),
    family as (
      -- the parents listed in the same household record (a civil-affairs record lists all its
      -- members; poverty-relief has one record per member, tied together by the head)
      select c.person_id, c.source_record_id, c.relation_code, c.birth_date, c.feed, c.record_key,
             jsonb_agg(jsonb_build_object('source_record_id', m.source_record_id, 'values',
                 jsonb_build_object('relation', m.relation_code)) order by m.relation_code, m.person_id)
               || jsonb_agg(jsonb_build_object('source_record_id', dead.source_record_id, 'values',
                 jsonb_build_object('relation', m.relation_code, 'diedOn', dead.died_on)) order by m.relation_code, m.person_id) as evidence,
             jsonb_agg(pp.id_number order by m.relation_code, m.person_id) as parents
        from child c
        join membership m on m.household_id = c.household_id and m.feed = c.feed
                         and (c.feed <> 'civil-affairs' or m.record_key = c.record_key)
                         and m.retired_at is null and m.valid_to is null
                         and m.relation_code in ('01', '02') and m.person_id <> c.person_id
        join person pp on pp.id = m.person_id
        -- deceased on d (as weijiu_deceased: the earliest valid death record), looked up per parent by index
        left join lateral (
          select d.died_on, d.source_record_id from death_record d
           where d.person_id = m.person_id and d.retired_at is null and d.died_on <= $1::date
           order by d.died_on limit 1) dead on true
       group by c.person_id, c.source_record_id, c.relation_code, c.birth_date, c.feed, c.record_key
      having bool_and(dead.died_on is not null))
    select f.person_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           null::date as period_start, null::date as period_end,
           jsonb_build_array(jsonb_build_object('source_record_id', f.source_record_id, 'values',
               jsonb_build_object('relation', f.relation_code, 'birthDate', f.birth_date))) || f.evidence as evidence,
           jsonb_build_object(
             'household', jsonb_build_array(f.feed, case when f.feed = 'civil-affairs' then f.record_key else split_part(f.record_key, '|', 1) end),
             'parents', f.parents) as detail,
           '[]'::jsonb as parameters
      from family f
     where not exists (select 1 from benefit b
                        where b.person_id = f.person_id and b.retired_at is null and b.programme_code in ('GE', 'SW')
                          and weijiu_active(b.valid_from, b.valid_to, $1::date))
       -- the child alive on d (weijiu_deceased, by index: the row estimates here are too small for a hash)
       and not exists (select 1 from death_record d where d.person_id = f.person_id and d.retired_at is null and d.died_on <= $1::date)`,
};
