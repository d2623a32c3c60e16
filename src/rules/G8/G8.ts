import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * G8 DANGEROUS_HOUSE_GAP 低保特困低收入家庭住危房 — the head of a household with DB, TK or DSR
 * active on d has a 危房 record rated C or D, 改造状态 未改造, assessed more than
 * `dangerous_house_days` days before d (exactly that many days is not yet a gap). Nobody deceased on
 * d is a gap: a household is reported while its head or a listed member is alive on d (a widow
 * still lives in the house her late husband's record names).
 *
 * The heads' dangerous houses are few: they are the candidates, and the households' benefits,
 * the parameter and the deaths are looked up for them only.
 */

/** C or D, not renovated: the houses rules.md counts */
const unrepaired = `x.rating in ('C', 'D') and x.renovation_status = '未改造'`;

/** a house as evidence: the same values whichever condition names it, so the finding lists it once */
const houseEvidence = evidenceOf('x.source_record_id', `jsonb_build_object('rating', x.rating, 'assessed', x.assessed_on, 'renovation', x.renovation_status)`);

/**
 * The head's houses of the candidate households, as `x` (with `h`, the household). The candidates
 * are few: each is looked up by index (`offset 0` keeps the planner from hashing the city's tables).
 */
const headsHouses = (subjects: string) => `
  ${subjects} s
  cross join lateral (select h.id, h.head_person_id from household h where h.id = s.subject_id::bigint offset 0) h
  cross join lateral (
    select x.* from dangerous_house x
     where x.person_id = h.head_person_id and x.retired_at is null and weijiu_active(x.valid_from, x.valid_to, $1::date) offset 0) x`;

const conditions: Condition[] = [
  {
    name: 'HEAD_IN_UNREPAIRED_DANGEROUS_HOUSE',
    text: '户主名下有 C 级或 D 级危房，改造状态为未改造',
    facts: ['dangerous_house', 'household'],
    // the active houses of the heads (a scoped run: the heads of the households in scope are people in scope, by index)
    sql: `select ${conditionColumns({
      subject: 'h.id',
      holds: `bool_or(${unrepaired})`,
      values: `jsonb_build_object('houses', jsonb_agg(jsonb_build_object('rating', x.rating, 'renovation', x.renovation_status) order by x.assessed_on, x.source_record_id))`,
      // where none counts, the houses it looked at, for the explanation
      evidence: `case when bool_or(${unrepaired}) then jsonb_agg(${houseEvidence}) filter (where ${unrepaired}) else jsonb_agg(${houseEvidence}) end`,
      said: `'户主名下危房：' || string_agg(coalesce(x.rating, '?') || ' 级（' || coalesce(x.renovation_status, '改造状态未填') || '）', '、' order by x.assessed_on, x.source_record_id)`,
    })}
      from ${factsOfPeople('dangerous_house', 'weijiu_active(f.valid_from, f.valid_to, $1::date)')} x
      join household h on h.head_person_id = x.person_id
     group by h.id`,
  },
  {
    name: 'UNREPAIRED_OVER_DAYS',
    text: '该危房鉴定已超过规定天数（dangerous_house_days）仍未改造',
    parameters: ['dangerous_house_days'],
    facts: ['dangerous_house', 'household_record'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 'x.subject_id',
      item: 'x.item',
      holds: 'bool_or(x.overdue)',
      values: `jsonb_build_object('assessed', coalesce(jsonb_agg(to_jsonb(x.assessed_on) order by x.assessed_on) filter (where x.overdue), '[]'::jsonb),
                                  'days', min(x.days), 'assessedBefore', min(x.since))`,
      evidence: `case when bool_or(x.overdue) then jsonb_agg(${houseEvidence}) filter (where x.overdue) else jsonb_agg(${houseEvidence}) end`,
      parameters: `jsonb_build_array(min(x.parameter_id))`,
      said: `'危房于 ' || string_agg(x.assessed_on::text, '、' order by x.assessed_on) || ' 鉴定，'
             || '至 ' || $1::date || case when bool_or(x.overdue) then ' 已超过 ' else ' 未超过 ' end || min(x.days) || ' 天'`,
    })}
      from (
        select s.subject_id, s.item, x.source_record_id, x.rating, x.assessed_on, x.renovation_status,
               days.id as parameter_id, days.value::int as days, $1::date - days.value::int as since,
               x.assessed_on < $1::date - days.value::int as overdue
          from ${headsHouses(subjects)}
          join person hp on hp.id = h.head_person_id
          -- the household's region (rules.md), by index
          left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = h.id offset 0) hr on true
          cross join lateral weijiu_param('dangerous_house_days', coalesce(hr.region_code, hp.region_code, $2::text), $1::date) days
         where ${unrepaired}) x
     group by x.subject_id, x.item`,
  },
  {
    name: 'ASSISTED',
    text: '家庭 d 日享受低保（DB）、特困供养（TK）或低收入认定（DSR）',
    facts: ['benefit'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'count(b.programme_code) > 0',
      values: `jsonb_build_object('hh_id', min(b.record_key),
                 'programmes', coalesce(jsonb_agg(distinct b.programme_code) filter (where b.programme_code is not null), '[]'::jsonb))`,
      evidence: `jsonb_agg(${evidenceOf('b.source_record_id', `jsonb_build_object('programme', b.programme_code, 'start', b.valid_from, 'end', b.valid_to)`)})
                   filter (where b.programme_code is not null)`,
      said: `'家庭 ' || $1::date || coalesce(' 享受' || string_agg(case b.programme_code when 'DB' then '低保' when 'TK' then '特困供养' else '低收入认定' end
                                                          || '（自 ' || coalesce(b.valid_from::text, '未记开始日') || ' 起）', '、' order by b.programme_code, b.valid_from)
                                             filter (where b.programme_code is not null),
                                           ' 没有低保、特困供养或低收入认定')`,
    })}
      from ${subjects} s
      -- DB and DSR are household benefits; a TK enrollment names its household too
      left join lateral (
        select b.* from benefit b
         where b.household_id = s.subject_id::bigint and b.retired_at is null and b.programme_code in ('DB', 'TK', 'DSR')
           and weijiu_active(b.valid_from, b.valid_to, $1::date) offset 0) b on true
     group by s.subject_id, s.item`,
  },
  {
    name: 'SOMEONE_ALIVE',
    text: '户主或户内成员至少一人 d 日在世（住在这所房子里）',
    facts: ['household', 'membership', 'death_record'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 'x.subject_id',
      item: 'x.item',
      holds: 'bool_or(x.died_on is null)',
      values: `jsonb_build_object('people', count(*), 'deceased', count(x.died_on))`,
      // the deaths only where they decide: a household someone lives in has no death as its evidence
      evidence: `case when not bool_or(x.died_on is null)
                      then jsonb_agg(${evidenceOf('x.source_record_id', `jsonb_build_object('diedOn', x.died_on)`)}) end`,
      said: `case when bool_or(x.died_on is null) then '户内 ' || count(*) || ' 人中有 ' || count(*) filter (where x.died_on is null) || ' 人在世'
                  else '户主及户内成员 ' || count(*) || ' 人均已死亡（最晚 ' || max(x.died_on) || '）' end`,
    })}
      from (
        select s.subject_id, s.item, people.person_id, dead.died_on, dead.source_record_id
          from ${subjects} s
          cross join lateral (select h.id, h.head_person_id from household h where h.id = s.subject_id::bigint offset 0) h
          cross join lateral (
            select h.head_person_id as person_id
            union
            select m.person_id from weijiu_household_member() m where m.household_id = h.id) people
          left join lateral (
            select dr.died_on, dr.source_record_id from death_record dr
             where dr.person_id = people.person_id and dr.retired_at is null and dr.died_on <= $1::date
             order by dr.died_on limit 1) dead on true) x
     group by x.subject_id, x.item`,
  },
];

export const G8: RuleDefinition = {
  code: 'G8',
  version: '1',
  title: 'Assisted household living in an unrepaired dangerous house',
  titleZh: '低保特困低收入家庭危房未改造',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: ['dangerous_house_days'],
  conditions,
};
