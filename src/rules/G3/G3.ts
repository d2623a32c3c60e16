import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

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
    with child as (
      select m.person_id, m.household_id, m.feed, m.record_key, m.relation_code, m.source_record_id, p.birth_date
        from membership m
        join person p on p.id = m.person_id
        join weijiu_person_household($1::date) ph
          on ph.person_id = m.person_id and ph.feed = m.feed and ph.record_key = m.record_key
       where m.retired_at is null and m.valid_to is null
         and m.relation_code between '10' and '29'
         and (p.birth_date + interval '18 years')::date > $1::date),
    parent as (
      -- the parents listed in the same household record (a civil-affairs record lists all its
      -- members; poverty-relief has one record per member, tied together by the head)
      select c.person_id as child_id, m.person_id, m.relation_code, m.source_record_id,
             pp.id_number, dead.died_on, dead.source_record_id as death_source_record_id
        from child c
        join membership m on m.household_id = c.household_id and m.feed = c.feed
                         and (c.feed <> 'civil-affairs' or m.record_key = c.record_key)
                         and m.retired_at is null and m.valid_to is null
                         and m.relation_code in ('01', '02') and m.person_id <> c.person_id
        join person pp on pp.id = m.person_id
        left join weijiu_deceased($1::date) dead on dead.person_id = m.person_id),
    orphaned as (
      select child_id from parent group by child_id having bool_and(died_on is not null)),
    allowance as (
      select distinct b.person_id from benefit b
       where b.retired_at is null and b.programme_code in ('GE', 'SW') and weijiu_active(b.valid_from, b.valid_to, $1::date))
    select c.person_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           null::date as period_start, null::date as period_end,
           jsonb_build_array(jsonb_build_object('source_record_id', c.source_record_id, 'values',
               jsonb_build_object('relation', c.relation_code, 'birthDate', c.birth_date)))
             || jsonb_agg(jsonb_build_object('source_record_id', pa.source_record_id, 'values',
                  jsonb_build_object('relation', pa.relation_code)) order by pa.relation_code, pa.person_id)
             || jsonb_agg(jsonb_build_object('source_record_id', pa.death_source_record_id, 'values',
                  jsonb_build_object('relation', pa.relation_code, 'diedOn', pa.died_on)) order by pa.relation_code, pa.person_id) as evidence,
           jsonb_build_object(
             'household', jsonb_build_array(c.feed, case when c.feed = 'civil-affairs' then c.record_key else split_part(c.record_key, '|', 1) end),
             'parents', jsonb_agg(pa.id_number order by pa.relation_code, pa.person_id)) as detail,
           '[]'::jsonb as parameters
      from child c
      join orphaned o on o.child_id = c.person_id
      join parent pa on pa.child_id = c.person_id
      left join allowance a on a.person_id = c.person_id
      left join weijiu_deceased($1::date) dead on dead.person_id = c.person_id
     where a.person_id is null and dead.person_id is null
     group by c.person_id, c.source_record_id, c.relation_code, c.birth_date, c.feed, c.record_key`,
};
