import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople, isDeceased } from '../engine/scopedFacts';

/**
 * G1 NURSING_SUBSIDY_GAP 重度残疾人未享受护理补贴 — a living person with a valid certificate of
 * grade 1 or 2 on d (status VALID, issued on or before d, validUntil ≥ d) and no CJ_NURSING
 * active on d. One finding per person, whatever the number of such certificates.
 */
export const G1: RuleDefinition = {
  code: 'G1',
  version: '1',
  title: 'Severely disabled without the nursing subsidy',
  titleZh: '重度残疾人未享受护理补贴',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  sql: `
    with severe as (
      select c.person_id, c.source_record_id, c.certificate_no, c.grade, c.valid_from, c.valid_to
        -- a scoped run: the certificates of the people in scope, by index
        from ${factsOfPeople('disability_certificate', `f.status = 'VALID' and f.grade in (1, 2) and weijiu_active(f.valid_from, f.valid_to, $1::date)`)} c)
    select s.person_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           null::date as period_start, null::date as period_end,
           jsonb_agg(jsonb_build_object('source_record_id', s.source_record_id, 'values',
             jsonb_build_object('certificate', s.certificate_no, 'grade', s.grade, 'status', 'VALID',
                                'issued', s.valid_from, 'validUntil', s.valid_to))) as evidence,
           jsonb_build_object('grades', jsonb_agg(distinct s.grade)) as detail,
           '[]'::jsonb as parameters
      from severe s
     where not exists (select 1 from benefit b
                        where b.person_id = s.person_id and b.retired_at is null and b.programme_code = 'CJ_NURSING'
                          and weijiu_active(b.valid_from, b.valid_to, $1::date))
       and not ${isDeceased('s.person_id')}
     group by s.person_id`,
};
