/**
 * A rule of rules.md as code: what it is about, its legal reference and parameters by name, and
 * one set-based SQL statement that evaluates it over the whole graph as of a date.
 *
 * The statement gets `$1` = d (date) and `$2` = the city code, and returns one row per hit:
 * - `subject_id`: person.id, household.id, or the region code (for region rules)
 * - `item`: the part of the finding's identity after the subject (rules.md), or null
 * - `clauses`: text[] — the clauses that hold (D1 a/b, D3 i/ii/iii, D4 …), else '{}'
 * - `period_start`, `period_end`: dates or null
 * - `evidence`: jsonb array of `{ "source_record_id": …, "values": { … } }` — every fact used
 * - `detail`: jsonb — the values compared, for the reviewer
 * - `parameters`: jsonb array of parameter row ids used (from weijiu_param)
 */
export type FindingKind = 'DUAL_BENEFIT' | 'GAP' | 'COMPLIANCE';
export type SubjectType = 'person' | 'household' | 'region';

export interface RuleDefinition {
  code: string;
  version: string;
  title: string;
  /** the Chinese name of the finding, as the office says it */
  titleZh: string;
  kind: FindingKind;
  subjectType: SubjectType;
  /** the clause of the seed policy (rules.md), never another citation */
  legalReference: string;
  /** the names of the parameters it reads (parameters.md) */
  parameters: readonly string[];
  sql: string;
}

/** The seed policy every legal reference points into. */
export const SEED_POLICY = '威海市人民政府关于统筹完善社会救助体系的实施意见 (2020-09-22)';
