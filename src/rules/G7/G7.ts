import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G7 CENTRALISED_CARE_GAP 全失能特困人员未集中供养 — (to be written: the words of rules.md, briefly).
 */
export const G7: RuleDefinition = {
  code: 'G7',
  version: '1',
  title: 'Fully dependent TK person in home support',
  titleZh: '全失能特困人员未集中供养',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化; 一(四) 非自理集中特困供养率`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
