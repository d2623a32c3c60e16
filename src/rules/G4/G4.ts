import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * G4 EDUCATION_AID_GAP 困难家庭学生未获资助 — (to be written: the words of rules.md, briefly).
 */
export const G4: RuleDefinition = {
  code: 'G4',
  version: '1',
  title: 'Student from an assisted family without aid',
  titleZh: '困难家庭学生未获资助',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: [],
  // not written yet: finds nothing
  sql: `select null::text as subject_id, null::text as item, '{}'::text[] as clauses, null::date as period_start,
               null::date as period_end, '[]'::jsonb as evidence, '{}'::jsonb as detail, '[]'::jsonb as parameters
         where false`,
};
