import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * D3 AFTER_DEATH 死亡后仍享受救助 — (to be written: the words of rules.md, briefly).
 */
export const D3: RuleDefinition = {
  code: 'D3',
  version: '1',
  title: 'Payments or listing after death',
  titleZh: '死亡后仍享受救助',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 二(六)1 虚报、冒领社会救助资金`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
