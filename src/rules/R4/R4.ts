import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R4 CENTRALISED_CARE_RATE 非自理特困人员集中供养率低于85% — (to be written: the words of rules.md, briefly).
 */
export const R4: RuleDefinition = {
  code: 'R4',
  version: '1',
  title: 'Centralised care rate below 85%',
  titleZh: '非自理特困人员集中供养率低于85%',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 一(四) 非自理集中特困供养率提高至85%以上`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
