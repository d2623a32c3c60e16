import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { ALIVE } from '../engine/alive';
import { noActiveBenefit } from '../engine/activeBenefit';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { dibaoTekunOf } from '../engine/scopedFacts';

/**
 * G2 LIVING_SUBSIDY_GAP 困难残疾人未享受生活补贴 — a living person who is DISABLED (a VALID
 * certificate of any grade, issued on or before d, validUntil ≥ d) and DIBAO or TEKUN on d, with
 * no CJ_LIVING active on d.
 */

/**
 * The DISABLED, DIBAO and TEKUN rows of the people in scope (a scoped run: by index). The
 * DIBAO/TEKUN people enumerate: there are about a fifth as many as the disabled.
 */
const category = `select c.person_id, c.category, c.source_record_id from ${dibaoTekunOf({ disabled: true })} c`;

const categoryEvidence = evidenceOf('c.source_record_id', `jsonb_build_object('category', c.category)`);

const conditions: Condition[] = [
  {
    name: 'DISABLED',
    text: '持有有效的残疾人证（任一等级，d 日在有效期内）',
    facts: ['disability_certificate'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'count(c.person_id) > 0',
      evidence: `coalesce(jsonb_agg(${categoryEvidence} order by c.source_record_id) filter (where c.person_id is not null), '[]'::jsonb)`,
      said: `case when count(c.person_id) > 0 then '持有有效残疾人证' else '没有有效的残疾人证' end`,
    })}
      from ${subjects} s
      left join category c on c.person_id = s.subject_id::bigint and c.category = 'DISABLED'
     group by s.subject_id, s.item`,
  },
  {
    name: 'DIBAO_OR_TEKUN',
    text: '是低保或特困人员（d 日）',
    facts: ['household', 'membership', 'benefit'],
    sql: `select ${conditionColumns({
      subject: 'x.person_id',
      holds: 'x.poor is not null',
      values: `jsonb_build_object('categories', x.categories)`,
      evidence: 'x.evidence',
      said: `case when x.poor is null then '不是低保或特困人员' else '是' || array_to_string(array(select case p when 'DIBAO' then '低保' else '特困' end from unnest(x.poor) p order by p), '、') || '对象' end`,
    })}
      from (select c.person_id,
                   array_agg(distinct c.category) filter (where c.category <> 'DISABLED') as poor,
                   jsonb_agg(distinct c.category) as categories,
                   jsonb_agg(${categoryEvidence} order by c.category, c.source_record_id) filter (where c.category <> 'DISABLED') as evidence
              from category c
             -- a full run reads the DIBAO and TEKUN people only; an explanation reads its person whatever they are
             where $4::bigint[] is not null or c.person_id in (select p.person_id from category p where p.category <> 'DISABLED')
             group by c.person_id) x`,
  },
  noActiveBenefit({ name: 'NO_LIVING_SUBSIDY', programme: 'CJ_LIVING', label: '残疾人生活补贴', since: 'livingSubsidySince' }),
  ALIVE,
];

export const G2: RuleDefinition = {
  code: 'G2',
  version: '1',
  title: 'Disabled recipient without the living subsidy',
  titleZh: '困难残疾人未享受生活补贴',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  shared: { category },
  conditions,
};
