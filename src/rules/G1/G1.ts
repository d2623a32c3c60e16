import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { ALIVE } from '../engine/alive';
import { activeBenefit, noActiveBenefit } from '../engine/activeBenefit';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * G1 NURSING_SUBSIDY_GAP 重度残疾人未享受护理补贴 — a living person with a valid certificate of
 * grade 1 or 2 on d (status VALID, issued on or before d, validUntil ≥ d) and no CJ_NURSING
 * active on d. One finding per person, whatever the number of such certificates.
 */

const severe = `f.status = 'VALID' and f.grade in (1, 2) and weijiu_active(f.valid_from, f.valid_to, $1::date)`;

/**
 * An explanation (a scoped run: $4 names the people) says in words what a full run only decides:
 * the sentences, and the records of a condition that fails, cost nothing in a full run.
 */
const explaining = `$4::bigint[] is not null`;

/** a CJ_NURSING benefit `b` of `person` active on d */
const nursing = (b: string, person: string) => activeBenefit(b, person, 'CJ_NURSING');

const gradeZh = (grade: string) => `case ${grade} when 1 then '一级' when 2 then '二级' when 3 then '三级' when 4 then '四级' else ${grade} || '级' end`;

/** why a certificate is not a valid one of grade 1 or 2 on d, in words */
const whyNot = `${gradeZh('f.grade')} || '，' ||
  case when f.status <> 'VALID' then case f.status when 'EXPIRED' then '已过期' when 'REVOKED' then '已注销' else '状态 ' || f.status end
       when f.valid_from > $1::date then f.valid_from || ' 才发证'
       when f.valid_to < $1::date then '有效期至 ' || f.valid_to || ' 已过'
       when f.grade not in (1, 2) then '不是一级或二级'
       else '有效' end`;

const conditions: Condition[] = [
  {
    name: 'SEVERELY_DISABLED',
    text: '持有有效的一级或二级残疾人证（状态有效，d 日已发证且未过有效期）',
    facts: ['disability_certificate'],
    // A full run starts from the severe valid certificates of the people without the nursing
    // subsidy only — the others can never be a gap (NO_NURSING_SUBSIDY decides the same with the
    // same test), and most of the severely disabled have it; an explanation reads every
    // certificate of the person, to say why not.
    sql: `select ${conditionColumns({
      subject: 'x.person_id',
      holds: 'x.holds',
      values: `jsonb_build_object('grades', x.grades)`,
      evidence: 'x.evidence',
      said: `case when not (${explaining}) then null
                  when x.holds then '持有' || (select string_agg(${gradeZh('g::int')}, '、') from jsonb_array_elements_text(x.grades) g)
                                   || '残疾人证（有效期至 ' || coalesce(x.until::text, '长期') || '）'
                  else '没有有效的一级或二级残疾人证：' || array_to_string(x.why_not, '；') end`,
    })}
      from (select c.person_id, bool_or(c.severe) as holds,
                   to_jsonb(array_remove(array[case when bool_or(c.severe and c.grade = 1) then 1 end,
                                               case when bool_or(c.severe and c.grade = 2) then 2 end], null)) as grades,
                   -- the severe valid certificates; where there is none, every certificate read
                   coalesce(jsonb_agg(c.evidence) filter (where c.severe), jsonb_agg(c.evidence) filter (where ${explaining})) as evidence,
                   max(c.valid_to) filter (where c.severe) as until,
                   array_agg(c.why_not) filter (where ${explaining}) as why_not
              from (select f.person_id, f.grade, f.valid_to, ${severe} as severe,
                           ${evidenceOf('f.source_record_id', `jsonb_build_object('certificate', f.certificate_no, 'grade', f.grade, 'status', f.status,
                                                                                  'issued', f.valid_from, 'validUntil', f.valid_to)`)} as evidence,
                           case when ${explaining} then ${whyNot} end as why_not
                      from ${factsOfPeople('disability_certificate', `${explaining} or (${severe} and not exists (select 1 from benefit b where ${nursing('b', 'f.person_id')}))`)} f) c
             group by c.person_id) x`,
  },
  noActiveBenefit({ name: 'NO_NURSING_SUBSIDY', programme: 'CJ_NURSING', label: '残疾人护理补贴', since: 'nursingSubsidySince' }),
  ALIVE,
];

export const G1: RuleDefinition = {
  code: 'G1',
  version: '1',
  title: 'Severely disabled without the nursing subsidy',
  titleZh: '重度残疾人未享受护理补贴',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  conditions,
};
