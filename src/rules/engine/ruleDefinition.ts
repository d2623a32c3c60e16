/**
 * A rule of rules.md as code: what it is about, its legal reference, and its named conditions
 * (condition.ts). The engine composes the conditions into one set-based statement over the whole
 * graph as of a date (composeRule) and into a trace for one subject (traceRule).
 *
 * The statement gets `$1` = d (date), `$2` = the city code, `$3`/`$4` the scope, and returns one
 * row per hit:
 * - `subject_id`: person.id, household.id, or the region code (for region rules)
 * - `item`: the part of the finding's identity after the subject (rules.md), or null
 * - `clauses`: text[] — the clauses that hold (D1 a/b, D3 i/ii/iii, D4 …), else '{}'
 * - `period_start`, `period_end`: dates or null
 * - `evidence`: jsonb array of `{ "source_record_id": …, "values": { … } }` — every fact used
 * - `detail`: jsonb — the values compared, for the reviewer
 * - `parameters`: jsonb array of parameter row ids used (from weijiu_param)
 */
import type { Condition } from './condition';

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
  /** the names of the parameters it reads (parameters.md): those of its conditions */
  parameters: readonly string[];
  /** its conditions, composed by the engine into the statement above (composeRule) and into a trace (traceRule) */
  conditions: readonly Condition[];
  /**
   * Intermediate relations its conditions share (OpenFisca's intermediate variables), by name:
   * materialized once before the conditions, over the run's scope ($3/$4) as an enumerating
   * condition is. A condition reads one by its name.
   */
  shared?: Readonly<Record<string, string>>;
  /** the finding's period, as SQL over `detail` (its conditions' values merged) and `item` */
  period?: { start: string; end: string };
  /**
   * The part of the finding's identity after the subject (a year, a term, a grant's day), for
   * explain: what it is called, and — where rules.md gives one — its default as SQL of $1 (the
   * date) and $5 (the subject's id); without a default an explanation must name it.
   */
  item?: { text: string; default?: string };
}

/** The seed policy every legal reference points into. */
export const SEED_POLICY = '威海市人民政府关于统筹完善社会救助体系的实施意见 (2020-09-22)';
