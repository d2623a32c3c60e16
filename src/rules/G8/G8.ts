import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G8 DANGEROUS_HOUSE_GAP 救助家庭危房未改造 — (to be written: the words of rules.md, briefly).
 */
export const G8: RuleDefinition = {
  code: 'G8',
  version: '1',
  title: 'Assisted household in an unrenovated dangerous house',
  titleZh: '救助家庭危房未改造',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
