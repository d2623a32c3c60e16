import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * D5 DUPLICATE_MEMBERSHIP 重复纳入两个救助家庭 — (to be written: the words of rules.md, briefly).
 */
export const D5: RuleDefinition = {
  code: 'D5',
  version: '1',
  title: 'Listed in two assisted households',
  titleZh: '重复纳入两个救助家庭',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 三(二)`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
