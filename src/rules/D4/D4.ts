import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * D4 ASSET_MISMATCH 家庭经济状况不符 — (to be written: the words of rules.md, briefly).
 */
export const D4: RuleDefinition = {
  code: 'D4',
  version: '1',
  title: 'Assets over the line',
  titleZh: '家庭经济状况不符',
  kind: 'DUAL_BENEFIT',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 二(三)2 家庭经济状况核对`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
