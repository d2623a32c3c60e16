import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G6 DIBAO_FLOOR_GAP 脱贫户收入低于低保标准未兜底 — (to be written: the words of rules.md, briefly).
 */
export const G6: RuleDefinition = {
  code: 'G6',
  version: '1',
  title: 'Registered-poor household under the DIBAO floor',
  titleZh: '脱贫户收入低于低保标准未兜底',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
