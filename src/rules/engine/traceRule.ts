import type { Pool } from 'pg';
import { conditionsOf, holdsExpression, judged, sharedCtes } from './composeRule';
import type { RuleDefinition } from './ruleDefinition';
import { closeScope } from './runRules';
import type { RuleScope } from './touchedScope';

/** One condition's outcome for one subject (api.md "Explain"). */
export interface ConditionOutcome {
  name: string;
  text: string;
  clause: string | null;
  holds: boolean;
  /** the values it compared (null: it found nothing to compare) */
  values: Record<string, unknown> | null;
  /** the outcome as a caseworker says it, with its numbers and dates */
  said: string | null;
  parameters: ParameterRow[];
  evidence: EvidenceRecord[];
}

export interface ParameterRow {
  name: string;
  regionCode: string;
  validFrom: string;
  value: string;
  unit: string | null;
}

export interface EvidenceRecord {
  feed: string;
  stream: string;
  recordKey: string;
  arrivedAt: string;
  versionAt: string | null;
  values: Record<string, unknown>;
}

export interface RuleTrace {
  rule: string;
  subjectType: RuleDefinition['subjectType'];
  subjectId: string;
  item: string | null;
  holds: boolean;
  clauses: string[];
  conditions: ConditionOutcome[];
}

/** A subject to explain: the person's or household's id, or the region code; and its item. */
export interface TraceSubject {
  subjectId: string;
  item?: string | null;
}

export class ItemRequired extends Error {
  constructor(readonly rule: RuleDefinition) {
    super(`rule ${rule.code} needs its item (${rule.item?.text ?? 'item'}) to be explained`);
  }
}

/**
 * The rule's conditions evaluated for one subject (and item) as of a date, by the same SQL as the
 * rule's run (composeRule): the enumerating conditions over the subject's own scope (its
 * households and people, closed as a scoped run closes them), the others for the subject alone.
 * `subjectId` is the person's or household's id, or the region code. Without an item, the rule's
 * default item (of the date and this subject) is explained.
 */
export async function traceRule(
  pool: Pool,
  rule: RuleDefinition,
  opts: { asOf: string; city: string; subjectId: string; item?: string | null },
): Promise<RuleTrace> {
  const [trace] = await traceRuleFor(pool, rule, { asOf: opts.asOf, city: opts.city, subjects: [{ subjectId: opts.subjectId, item: opts.item }] });
  return trace!;
}

/**
 * The rule's conditions for many subjects as of one date, in one statement (and one to close their
 * scope, unless given): the `subject` relation holds them all, the enumerating conditions are kept
 * to them, and the scope is the union of their closed scopes — a page of findings explained by one
 * statement per rule. Each subject names its item (a finding's); only a single subject gets the
 * rule's default item, whose SQL reads the one subject's id ($5). Traces come back in the order asked.
 */
export async function traceRuleFor(
  pool: Pool,
  rule: RuleDefinition,
  opts: { asOf: string; city: string; subjects: readonly TraceSubject[]; scope?: RuleScope | null },
): Promise<RuleTrace[]> {
  const conditions = conditionsOf(rule);
  const { subjects } = opts;
  if (!subjects.length) return [];
  const single = subjects.length === 1 ? subjects[0]! : null;
  const defaulted = single !== null && !!rule.item?.default;
  if (rule.item && !defaulted && subjects.some((s) => !s.item)) throw new ItemRequired(rule);
  const scope = rule.subjectType === 'region' ? null : opts.scope ?? (await scopeOf(pool, rule, subjects.map((s) => s.subjectId)));
  const n = conditions.length;
  const ctes = conditions.map(
    (c, i) => `c${i} as materialized (${typeof c.sql === 'string' ? `select * from (${c.sql}) x where x.subject_id = any($7::text[])` : c.sql('subject')})`,
  );
  const enumerating = conditions.flatMap((c, i) => (typeof c.sql === 'string' ? [ctes[i]] : []));
  const others = conditions.flatMap((c, i) => (typeof c.sql === 'string' ? [] : [ctes[i]]));
  const itemSql = rule.item ? `coalesce(u.item, (${defaulted ? rule.item.default : 'null'})::text, '')` : `''`;
  const all = (letter: string) => Array.from({ length: n }, (_, i) => `coalesce(j.${letter}${i}, '[]'::jsonb)`).join(' || ');
  const { rows } = await pool.query(
    `with ${[
      // every parameter typed, whichever the rule reads
      `params as (select $1::date as d, $2::text as city, $3::bigint[] as households, $4::bigint[] as persons, $5::text as subject, $6::text as item, $7::text[] as subjects, $8::text[] as items)`,
      ...sharedCtes(rule), ...enumerating,
      `subject as materialized (select distinct u.subject_id, ${itemSql} as item from unnest($7::text[], $8::text[]) as u(subject_id, item))`,
      ...others].join(',\n')},
     judged as (${judged(conditions)})
     select j.*, ${holdsExpression(conditions)} as rule_holds,
            -- the records and parameter rows the conditions name, each once per subject
            (select jsonb_object_agg(sr.id::text, jsonb_build_object('feed', sr.feed, 'stream', sr.stream, 'recordKey', sr.record_key,
                                                                    'arrivedAt', sr.first_seen_at, 'versionAt', sr.version_at))
               from source_record sr
              where sr.id in (select (e->>'source_record_id')::bigint from jsonb_array_elements(${all('e')}) e where e ? 'source_record_id')) as records,
            (select jsonb_object_agg(p.id::text, jsonb_build_object('name', p.name, 'regionCode', p.region_code, 'validFrom', p.valid_from::text,
                                                                   'value', p.value, 'unit', p.unit))
               from parameter p
              where p.id in (select (x #>> '{}')::bigint from jsonb_array_elements(${all('p')}) x)) as parameter_rows
       from judged j`,
    [
      opts.asOf, opts.city, scope?.households ?? null, scope?.persons ?? null,
      single?.subjectId ?? null, single?.item ?? null, subjects.map((s) => s.subjectId), subjects.map((s) => s.item ?? null),
    ],
  );
  if (single) return [traceOf(rule, rows[0])];
  const traces = new Map(rows.map((row) => [`${row.subject_id}\u0000${row.item}`, traceOf(rule, row)]));
  return subjects.map((s) => traces.get(`${s.subjectId}\u0000${rule.item ? s.item ?? '' : ''}`)!);
}

/** The households and people a set of subjects' conditions may read, as a scoped run closes them. */
export async function scopeOf(pool: Pool, rule: RuleDefinition, subjectIds: readonly string[]): Promise<RuleScope | null> {
  if (rule.subjectType === 'region') return null;
  const ids = [...new Set(subjectIds)];
  return closedScope(pool, rule.subjectType === 'person' ? { persons: ids, households: [] } : { persons: [], households: ids });
}

/** closeScope on a pool: one statement, no connection held. */
export async function closedScope(pool: Pool, given: RuleScope): Promise<RuleScope> {
  return closeScope(pool as unknown as Parameters<typeof closeScope>[0], given);
}

function traceOf(rule: RuleDefinition, row: Record<string, any>): RuleTrace {
  const conditions = conditionsOf(rule);
  const records = (row.records ?? {}) as Record<string, Omit<EvidenceRecord, 'values'>>;
  const parameters = (row.parameter_rows ?? {}) as Record<string, ParameterRow>;
  const outcomes: ConditionOutcome[] = conditions.map((c, i) => ({
    name: c.name,
    text: c.text,
    clause: c.clause ?? null,
    holds: row[`h${i}`] as boolean,
    values: row[`r${i}`] ? (row[`v${i}`] as Record<string, unknown>) : null,
    said: (row[`s${i}`] as string | null) ?? null,
    parameters: ((row[`p${i}`] as unknown[] | null) ?? []).flatMap((id) => {
      const p = parameters[String(id)];
      return p ? [p] : [];
    }),
    evidence: ((row[`e${i}`] as Array<{ source_record_id: unknown; values: Record<string, unknown> }> | null) ?? []).flatMap((e) => {
      const r = records[String(e.source_record_id)];
      return r ? [{ ...r, values: e.values }] : [];
    }),
  }));
  const clauses = [...new Set(conditions.flatMap((c) => (c.clause ? [c.clause] : [])))].filter((k) =>
    outcomes.every((o) => o.clause !== k || o.holds),
  );
  return {
    rule: rule.code,
    subjectType: rule.subjectType,
    subjectId: row.subject_id as string,
    item: (row.item as string) || null,
    holds: row.rule_holds as boolean,
    clauses,
    conditions: outcomes,
  };
}
