import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { ALIVE } from '../engine/alive';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { byRun, factsOfPeople } from '../engine/scopedFacts';

/**
 * G3 ORPHAN_ALLOWANCE_GAP 孤儿未享受基本生活费 — a living child under 18 on d, listed in their
 * household (rules.md: the civil-affairs one first, else the poverty-relief one) as 子/女 of the
 * head (relation 10–29), where every member listed as 01 or 02 (the parents) is deceased on d,
 * and no GE or SW is active on d. A household that lists no parent at all tells nothing about
 * the parents, so it is not read as "every parent deceased".
 */

/**
 * Each person's own listing in their household (weijiu_person_household: feed and record). A full
 * run starts from the children under 18 listed as 子/女 only — the others can never be a gap, and
 * they are most of the city; an explanation (a scoped run) reads the listing whatever it says, to
 * say why not. Both forms match the listing by a left join and a test the planner cannot see
 * through: joined on the function's feed and record, the listings are estimated at one row, and
 * every condition is then joined to the candidates by nested loops over all of them (seconds).
 */
const child = `
  select distinct on (m.person_id) m.person_id, m.household_id, m.feed, m.record_key, m.relation_code, m.source_record_id, p.birth_date
    from ${byRun(
      // the people in scope, and the household of each looked up by index
      `select m.person_id, m.household_id, m.feed, m.record_key, m.relation_code, m.source_record_id
         from ${factsOfPeople('membership', `f.valid_to is null`)} m
         left join lateral (select x.feed, x.record_key from weijiu_person_household($1::date) x where x.person_id = m.person_id offset 0) ph on true
        where coalesce(ph.feed = m.feed and ph.record_key = m.record_key, false)`,
      `select m.person_id, m.household_id, m.feed, m.record_key, m.relation_code, m.source_record_id
         from membership m
         left join weijiu_person_household($1::date) ph on ph.person_id = m.person_id and ph.feed = m.feed and ph.record_key = m.record_key
        where m.retired_at is null and m.valid_to is null and m.relation_code between '10' and '29'
          and coalesce(ph.person_id = m.person_id, false)`,
    )} m
    join person p on p.id = m.person_id
   where $4::bigint[] is not null or (p.birth_date + interval '18 years')::date > $1::date
   order by m.person_id, m.relation_code`;

const conditions: Condition[] = [
  {
    name: 'CHILD_OF_HEAD',
    text: '在其家庭户中登记为户主的子女（与户主关系代码 10–29）',
    facts: ['membership', 'household'],
    sql: `select ${conditionColumns({
      subject: 'c.person_id',
      holds: `c.relation_code between '10' and '29'`,
      values: `jsonb_build_object(
                 'household', jsonb_build_array(c.feed, case when c.feed = 'civil-affairs' then c.record_key else split_part(c.record_key, '|', 1) end),
                 'relation', c.relation_code)`,
      evidence: `jsonb_build_array(${evidenceOf('c.source_record_id', `jsonb_build_object('relation', c.relation_code)`)})`,
      said: `case when c.feed = 'civil-affairs' then '民政家庭户' else '建档立卡家庭户' end || '中与户主关系代码为 ' || c.relation_code
             || case when c.relation_code between '10' and '29' then '，是户主的子女' else '，不是户主的子女（10–29）' end`,
    })} from child c`,
  },
  {
    name: 'UNDER_18',
    text: 'd 日未满 18 周岁',
    facts: ['person'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: `coalesce((c.birth_date + interval '18 years')::date > $1::date, false)`,
      values: `jsonb_build_object('birthDate', c.birth_date)`,
      evidence: `jsonb_build_array(${evidenceOf('c.source_record_id', `jsonb_build_object('birthDate', c.birth_date)`)})`,
      said: `case when c.birth_date is null then '出生日期不详'
                  else c.birth_date || ' 出生，' || $1::date || ' 时 ' || extract(year from age($1::date, c.birth_date))::int || ' 周岁'
                       || case when (c.birth_date + interval '18 years')::date > $1::date then '，未满 18 周岁' else '，已满 18 周岁' end end`,
    })} from ${subjects} s join child c on c.person_id = s.subject_id::bigint`,
  },
  {
    name: 'PARENTS_DECEASED',
    text: '户中登记的父母（与户主关系代码 01、02）均已在 d 日之前死亡',
    facts: ['membership', 'death_record'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: `count(m.person_id) > 0 and bool_and(dead.died_on is not null)`,
      values: `jsonb_build_object('parents', coalesce(jsonb_agg(pp.id_number order by m.relation_code, m.person_id) filter (where m.person_id is not null), '[]'::jsonb))`,
      evidence: `coalesce(jsonb_agg(${evidenceOf('m.source_record_id', `jsonb_build_object('relation', m.relation_code)`)}) filter (where m.person_id is not null), '[]'::jsonb)
                 || coalesce(jsonb_agg(${evidenceOf('dead.source_record_id', `jsonb_build_object('relation', m.relation_code, 'diedOn', dead.died_on)`)})
                      filter (where dead.source_record_id is not null), '[]'::jsonb)`,
      said: `case when count(m.person_id) = 0 then '户中没有登记父母（与户主关系代码 01、02）'
                  else case when bool_and(dead.died_on is not null) then '父母均已死亡：' else '父母并非均已死亡：' end
                       || string_agg(case m.relation_code when '01' then '户主' else '户主配偶' end
                                     || case when dead.died_on is not null then '已于 ' || dead.died_on || ' 死亡' else '至 ' || $1::date || ' 没有死亡记录' end,
                                     '，' order by m.relation_code, m.person_id) end`,
    })}
      from ${subjects} s
      join child c on c.person_id = s.subject_id::bigint
      -- the parents listed in the same household record (a civil-affairs record lists all its
      -- members; poverty-relief has one record per member, tied together by the head)
      left join (membership m join person pp on pp.id = m.person_id)
             on m.household_id = c.household_id and m.feed = c.feed
            and (c.feed <> 'civil-affairs' or m.record_key = c.record_key)
            and m.retired_at is null and m.valid_to is null
            and m.relation_code in ('01', '02') and m.person_id <> c.person_id
      -- deceased on d (as weijiu_deceased: the earliest valid death record), looked up per parent by index
      left join lateral (
        select d.died_on, d.source_record_id from death_record d
         where d.person_id = m.person_id and d.retired_at is null and d.died_on <= $1::date
         order by d.died_on limit 1) dead on true
     group by s.subject_id, s.item`,
  },
  {
    name: 'NO_ORPHAN_ALLOWANCE',
    text: '没有正在发放的孤儿或事实无人抚养儿童基本生活费（GE、SW，d 日有效）',
    facts: ['benefit'],
    holdsWhenSilent: true,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'false',
      values: `jsonb_build_object('allowances', jsonb_agg(jsonb_build_object('programme', b.programme_code, 'from', b.valid_from, 'to', b.valid_to)
                                                         order by b.valid_from, b.programme_code))`,
      evidence: `jsonb_agg(${evidenceOf('b.source_record_id', `jsonb_build_object('programme', b.programme_code, 'from', b.valid_from, 'to', b.valid_to)`)})`,
      said: `string_agg(case b.programme_code when 'GE' then '孤儿基本生活费（GE）' else '事实无人抚养儿童基本生活费（SW）' end
                        || '自 ' || coalesce(b.valid_from::text, '（未记开始日）') || ' 起正在发放' || coalesce('，至 ' || b.valid_to, ''),
                        '；' order by b.valid_from, b.programme_code)`,
    })}
      from ${subjects} s
      join benefit b on b.person_id = s.subject_id::bigint and b.retired_at is null and b.programme_code in ('GE', 'SW')
                    and weijiu_active(b.valid_from, b.valid_to, $1::date)
     group by s.subject_id, s.item`,
  },
  ALIVE,
];

export const G3: RuleDefinition = {
  code: 'G3',
  version: '1',
  title: 'Orphan without the orphan allowance',
  titleZh: '孤儿未享受基本生活费',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  shared: { child },
  conditions,
};
