import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G1 NURSING_SUBSIDY_GAP 重度残疾人未享受护理补贴 — (to be written: the words of rules.md, briefly).
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
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
