import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * D1 REPEAT_SAME_KIND 同年内重复享受同类救助 — (to be written: the words of rules.md, briefly).
 */
export const D1: RuleDefinition = {
  code: 'D1',
  version: '1',
  title: 'Same kind of assistance twice in a year',
  titleZh: '同年内重复享受同类救助',
  kind: 'DUAL_BENEFIT',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 三(二) 严格工作规程: 同年内已享受同类救助项目的人员，原则上不再予以救助`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
