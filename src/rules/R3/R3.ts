import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R3 RESERVE_FUNDS 临时救助储备金、备用金不足 — (to be written: the words of rules.md, briefly).
 */
export const R3: RuleDefinition = {
  code: 'R3',
  version: '1',
  title: 'Temporary-assistance funds below the minimum',
  titleZh: '临时救助储备金、备用金不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(四)1 临时救助储备金、备用金`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
