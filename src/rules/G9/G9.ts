import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G9 SUDDEN_HARDSHIP_ALERT 突发困难未获临时救助(主动发现) — (to be written: the words of rules.md, briefly).
 */
export const G9: RuleDefinition = {
  code: 'G9',
  version: '1',
  title: 'Sudden hardship without temporary assistance',
  titleZh: '突发困难未获临时救助(主动发现)',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化; 二(三)1 主动型个性化救助服务`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
