import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { ALIVE } from '../engine/alive';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { byRun, dibaoTekunOf, factsOfPeople } from '../engine/scopedFacts';

/**
 * G4 EDUCATION_AID_GAP 困难学生未获资助 — a living pupil 在读 in the newest term file (the highest
 * 学年 and 学期 that has begun by d: 1 September or 1 March), who is DIBAO or TEKUN on d or a
 * member of a household of the newest poverty-relief snapshot that is 未脱贫 or has a 监测对象类型,
 * and who has no row with an aid in that term under any 学籍号. One finding per person and term.
 */

/** the day a term ('YYYY-YYYY_S') begins: 1 September (S = 1) or 1 March of the second year (S = 2) */
const termBegins = (term: string) =>
  `case when right(${term}, 1) = '1' then make_date(left(${term}, 4)::int, 9, 1) else make_date(substr(${term}, 6, 4)::int, 3, 1) end`;

/** the newest term begun by d, read down the term index (schooling_term) rather than over every row */
const newestTerm = `
  select s.term from schooling s
   where s.retired_at is null and s.term is not null and ${termBegins('s.term')} <= $1::date
   order by s.term desc limit 1`;

/** DIBAO and TEKUN on d, and the members of a poverty-relief household 未脱贫 or monitored, of the people in scope */
const eligible = `
  select c.person_id, c.category, c.source_record_id, jsonb_build_object('category', c.category) as values
    from ${dibaoTekunOf()} c
  union all
  -- 未脱贫 or monitored is a property of the household (户编号) in the newest snapshot: any of its rows says so
  select pr.person_id, 'POVERTY_HOUSEHOLD', pr.source_record_id,
         jsonb_build_object('household', pr.household_no, 'status', pr.poverty_status, 'monitoring', pr.monitoring_type)
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
    )} pr`;

const schoolingRow = (s: string) =>
  evidenceOf(`${s}.source_record_id`, `jsonb_build_object('term', ${s}.term, 'studentNo', ${s}.student_no, 'status', ${s}.status, 'aid', ${s}.aid)`);

const conditions: Condition[] = [
  {
    name: 'ENROLLED_IN_NEWEST_TERM',
    text: '在 d 日已开始的最新学期的学生资助名册中，学籍状态为在读',
    facts: ['schooling'],
    // A full run starts from the pupils of the newest term without any aid in it who are DIBAO,
    // TEKUN or of a poor household — the others can never be a gap (NO_AID_IN_TERM and
    // DIBAO_TEKUN_OR_POOR_HOUSEHOLD decide the same from the same rows), and they are nearly all
    // the pupils; an explanation (a scoped run) reads every term of the person, to say why not.
    sql: `select ${conditionColumns({
      subject: 's.person_id',
      item: 's.term',
      holds: `s.term is not distinct from (select t.term from term t) and bool_or(s.status = '在读')`,
      values: `jsonb_build_object('term', s.term)`,
      // every row of the pupil in that term (under any 学籍号)
      evidence: `jsonb_agg(${schoolingRow('s')})`,
      said: `case when s.term is distinct from (select t.term from term t)
                   then s.term || ' 学期' || case when ${termBegins('s.term')} > $1::date then '在 ' || $1::date || ' 尚未开始'
                                                  else '不是 ' || $1::date || ' 时最新的学期' end
                        || coalesce('（最新为 ' || (select t.term from term t) || '）', '（尚无已开始的学期）')
                   when bool_or(s.status = '在读') then s.term || ' 学期（' || $1::date || ' 时最新的学期）在读'
                   else s.term || ' 学期学籍状态为' || coalesce(min(s.status), '（空）')
                        || coalesce('、' || nullif(max(s.status), min(s.status)), '') || '，不是在读' end`,
    })}
      from ${factsOfPeople('schooling', `$4::bigint[] is not null or f.term = (select t.term from term t)`)} s
     where s.term is not null and ($4::bigint[] is not null or exists (select 1 from eligible e where e.person_id = s.person_id))
     group by s.person_id, s.term
    having $4::bigint[] is not null or not bool_or(s.aid is not null)`,
  },
  {
    name: 'DIBAO_TEKUN_OR_POOR_HOUSEHOLD',
    text: 'd 日是低保或特困人员，或是最新建档立卡名册中未脱贫或有监测对象类型的家庭的成员',
    facts: ['household', 'membership', 'benefit', 'poverty_record'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'count(e.person_id) > 0',
      values: `jsonb_build_object('categories', coalesce(jsonb_agg(distinct e.category) filter (where e.person_id is not null), '[]'::jsonb))`,
      evidence: `coalesce(jsonb_agg(${evidenceOf('e.source_record_id', 'e.values')}) filter (where e.person_id is not null), '[]'::jsonb)`,
      said: `case when count(e.person_id) = 0 then $1::date || ' 时不是低保或特困人员，也不是未脱贫或监测户的成员'
                   else $1::date || ' 时是' || string_agg(distinct case e.category when 'DIBAO' then '低保对象' when 'TEKUN' then '特困人员'
                          else '建档立卡' || coalesce(e.values->>'status', '') || coalesce('（' || (e.values->>'monitoring') || '）', '') || '家庭成员' end, '、') end`,
    })}
      from ${subjects} s
      left join eligible e on e.person_id = s.subject_id::bigint
     group by s.subject_id, s.item`,
  },
  {
    name: 'NO_AID_IN_TERM',
    text: '该学期在任何学籍号下都没有获得资助',
    facts: ['schooling'],
    holdsWhenSilent: true,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'false',
      values: `jsonb_build_object('aid', jsonb_agg(distinct sc.aid))`,
      evidence: `jsonb_agg(${schoolingRow('sc')})`,
      said: `s.item || ' 学期已获资助：' || string_agg(distinct sc.aid, '、')`,
    })}
      from ${subjects} s
      -- the pupil's rows by index (schooling_person), not a scan of every aided row of the city
      cross join lateral (
        select sc.* from schooling sc
         where sc.person_id = s.subject_id::bigint and sc.term = s.item and sc.retired_at is null and sc.aid is not null offset 0) sc
     group by s.subject_id, s.item`,
  },
  ALIVE,
];

export const G4: RuleDefinition = {
  code: 'G4',
  version: '1',
  title: 'Pupil in difficulty without education aid',
  titleZh: '困难学生未获教育资助',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  shared: { term: `select (${newestTerm}) as term`, eligible },
  conditions,
  item: { text: '学期（学年_学期）', default: `(${newestTerm})` },
};
