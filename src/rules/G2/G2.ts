import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G2 LIVING_SUBSIDY_GAP 困难残疾人未享受生活补贴 — (to be written: the words of rules.md, briefly).
 */
export const G2: RuleDefinition = {
  code: 'G2',
  version: '1',
  title: 'Disabled DIBAO/TEKUN without the living subsidy',
  titleZh: '困难残疾人未享受生活补贴',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
