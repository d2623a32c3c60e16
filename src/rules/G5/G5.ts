import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G5 MEDICAL_ASSISTANCE_GAP 医疗费用负担重未获医疗救助 — (to be written: the words of rules.md, briefly).
 */
export const G5: RuleDefinition = {
  code: 'G5',
  version: '1',
  title: 'High out-of-pocket costs without medical assistance',
  titleZh: '医疗费用负担重未获医疗救助',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
