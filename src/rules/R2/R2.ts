import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R2 VILLAGE_COORDINATORS 村级社会救助协理员不足 — (to be written: the words of rules.md, briefly).
 */
export const R2: RuleDefinition = {
  code: 'R2',
  version: '1',
  title: 'Village coordinators below the minimum',
  titleZh: '村级社会救助协理员不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(二)2 充实社会救助工作力量`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
