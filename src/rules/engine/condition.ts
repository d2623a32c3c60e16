/**
 * A rule as named conditions (条件), as OpenFisca writes a benefit as named formulas: each
 * condition of rules.md's definition is a named piece of SQL that says, for a set of subjects,
 * whether it holds, the values it compared, the parameter rows it read and the source records
 * it used. The engine (composeRule) joins them into the rule's one set-based statement, and
 * (traceRule) evaluates the same pieces for one subject into an explanation: one definition, two
 * uses, so a finding and its explanation cannot disagree.
 */
export interface Condition {
  /** stable, part of the rule's definition: LIVING_SUBSIDY_ACTIVE */
  name: string;
  /** what must be true, in Chinese, said of the subject: 没有正在发放的残疾人生活补贴 */
  text: string;
  /** the parameters it reads (parameters.md) */
  parameters?: readonly string[];
  /** the tables whose facts it uses */
  facts: readonly string[];
  /**
   * The clause it belongs to (D3 i/ii/iii, D4's triggers …). The rule holds where every condition
   * without a clause holds and — if it has clauses — every condition of at least one clause.
   */
  clause?: string;
  /**
   * Whether it holds for a subject it returns no row for. A "no X" condition returns the X it
   * finds (holds false) and says nothing where there is none: `holdsWhenSilent: true`.
   */
  holdsWhenSilent?: boolean;
  /**
   * The condition's rows, at most one per (subject_id, item):
   * `subject_id text, item text, holds boolean, "values" jsonb, evidence jsonb, parameters jsonb, said text`
   * - `values`: the values it compared, as an object (merged into the finding's detail);
   * - `evidence`: `[{ "source_record_id": …, "values": { … } }]`, the records it used, or null;
   * - `parameters`: an array of the parameter row ids it read (weijiu_param's `id`), or null;
   * - `said`: the outcome as a caseworker says it, with its numbers and dates, or null.
   *
   * A string enumerates: its rows over the run's scope ($3 households, $4 people; null: the
   * city) — the rule's subjects are those for which an enumerating condition holds. A function
   * is evaluated for the subjects of the relation it is given (`subject_id text, item text`,
   * item '' where the rule has none), joined set-based.
   */
  sql: string | ((subjects: string) => string);
}

/** The rows of `said` and the rest that a condition leaves out, for brevity: `${conditionColumns({ holds: 'true' })}` */
export function conditionColumns(c: {
  subject: string;
  item?: string;
  holds: string;
  values?: string;
  evidence?: string;
  parameters?: string;
  said?: string;
}): string {
  return `(${c.subject})::text as subject_id, coalesce((${c.item ?? "''"})::text, '') as item, (${c.holds})::boolean as holds,
          (${c.values ?? "'{}'::jsonb"})::jsonb as "values", (${c.evidence ?? "'[]'::jsonb"})::jsonb as evidence,
          (${c.parameters ?? "'[]'::jsonb"})::jsonb as parameters, (${c.said ?? 'null'})::text as said`;
}

/** A piece of evidence: a source record and the values of it that the condition used. */
export function evidenceOf(sourceRecordId: string, values: string): string {
  return `jsonb_build_object('source_record_id', ${sourceRecordId}, 'values', ${values})`;
}
