import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G3 ORPHAN_ALLOWANCE_GAP 孤儿未纳入基本生活保障 — (to be written: the words of rules.md, briefly).
 */
export const G3: RuleDefinition = {
  code: 'G3',
  version: '1',
  title: 'Orphan without the orphan allowance',
  titleZh: '孤儿未纳入基本生活保障',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
