import type { Condition } from './condition';
import type { RuleDefinition } from './ruleDefinition';

/**
 * The one set-based statement of a rule written as conditions (ruleDefinition's contract: $1 the
 * date, $2 the city, $3/$4 the scope; one row per hit with subject_id, item, clauses,
 * period_start, period_end, evidence, detail, parameters).
 *
 * The enumerating conditions (sql given as a string) are evaluated over the scope; the subjects
 * for which one holds are the candidates; every other condition is evaluated for the candidates
 * only, joined by (subject_id, item) — hash joins over a city, index lookups for a few. Evidence,
 * detail and parameters are the holding conditions' own, put together here, not by each rule.
 */
export function ruleStatement(rule: RuleDefinition): string {
  if (rule.sql !== undefined) return rule.sql;
  const conditions = conditionsOf(rule);
  const enumerating = conditions.flatMap((c, i) => (typeof c.sql === 'string' ? [i] : []));
  if (!enumerating.length) throw new Error(`rule ${rule.code}: no condition enumerates its subjects`);
  const ctes = conditions.map((c, i) =>
    typeof c.sql === 'string'
      ? `c${i} as materialized (${c.sql})`
      : `c${i} as materialized (${c.sql('subject')})`,
  );
  // the candidates come before the conditions that read them
  const enumCtes = enumerating.map((i) => ctes[i]);
  const otherCtes = ctes.filter((_, i) => !enumerating.includes(i));
  const subject = `subject as materialized (
      ${enumerating.map((i) => `select subject_id, item from c${i} where holds`).join('\n      union\n      ')})`;
  return `
    with ${[...sharedCtes(rule), ...enumCtes, subject, ...otherCtes].join(',\n    ')},
    judged as (${judged(conditions)}),
    hit as (
      select j.*, ${merged(conditions, 'values', "'{}'::jsonb")} as detail
        from judged j
       where ${holdsExpression(conditions)})
    select h.subject_id, nullif(h.item, '') as item, ${clausesExpression(conditions)} as clauses,
           ${rule.period ? `(${rule.period.start})::date` : 'null::date'} as period_start,
           ${rule.period ? `(${rule.period.end})::date` : 'null::date'} as period_end,
           ${distinctArray(merged(conditions, 'evidence', "'[]'::jsonb", '||'))} as evidence,
           h.detail,
           ${distinctArray(merged(conditions, 'parameters', "'[]'::jsonb", '||'))} as parameters
      from hit h`;
}

/** The rule's shared relations, as materialized CTEs named as the rule names them. */
export function sharedCtes(rule: RuleDefinition): string[] {
  return Object.entries(rule.shared ?? {}).map(([name, sql]) => `${name} as materialized (${sql})`);
}

export function conditionsOf(rule: RuleDefinition): readonly Condition[] {
  if (!rule.conditions?.length) throw new Error(`rule ${rule.code} is not written as conditions`);
  return rule.conditions;
}

/** Each candidate with every condition's outcome: h{i}, v{i} (values), e{i} (evidence), p{i}, s{i} (said). */
export function judged(conditions: readonly Condition[]): string {
  const columns = conditions.map(
    (c, i) => `coalesce(c${i}.holds, ${c.holdsWhenSilent ? 'true' : 'false'}) as h${i}, c${i}."values" as v${i},
               c${i}.evidence as e${i}, c${i}.parameters as p${i}, c${i}.said as s${i}, c${i}.subject_id is not null as r${i}`,
  );
  const joins = conditions.map((_, i) => `left join c${i} on c${i}.subject_id = s.subject_id and c${i}.item = s.item`);
  return `select s.subject_id, s.item, ${columns.join(',\n               ')}
      from subject s
      ${joins.join('\n      ')}`;
}

/** The columns `kind` of the conditions that hold, put together with `op` (objects merged by default). */
function merged(conditions: readonly Condition[], kind: 'values' | 'evidence' | 'parameters', empty: string, op = '||'): string {
  const letter = { values: 'v', evidence: 'e', parameters: 'p' }[kind];
  const prefix = kind === 'values' ? 'j.' : 'h.';
  return conditions.map((_, i) => `case when ${prefix}h${i} then coalesce(${prefix}${letter}${i}, ${empty}) else ${empty} end`).join(` ${op} `);
}

function distinctArray(array: string): string {
  return `coalesce((select jsonb_agg(x.value order by x.value) from (select distinct value from jsonb_array_elements(${array})) x), '[]'::jsonb)`;
}

function clauseNames(conditions: readonly Condition[]): string[] {
  return [...new Set(conditions.flatMap((c) => (c.clause ? [c.clause] : [])))];
}

function clauseHolds(conditions: readonly Condition[], clause: string, alias: string): string {
  return conditions.flatMap((c, i) => (c.clause === clause ? [`${alias}h${i}`] : [])).join(' and ');
}

/** Every condition without a clause, and every condition of at least one clause, where there are clauses. */
export function holdsExpression(conditions: readonly Condition[], alias = 'j.'): string {
  const plain = conditions.flatMap((c, i) => (c.clause ? [] : [`${alias}h${i}`]));
  const clauses = clauseNames(conditions).map((k) => `(${clauseHolds(conditions, k, alias)})`);
  const parts = [...plain, ...(clauses.length ? [`(${clauses.join(' or ')})`] : [])];
  return parts.length ? parts.join(' and ') : 'true';
}

function clausesExpression(conditions: readonly Condition[]): string {
  const names = clauseNames(conditions);
  if (!names.length) return `'{}'::text[]`;
  return `array_remove(array[${names.map((k) => `case when ${clauseHolds(conditions, k, 'h.')} then '${k}' end`).join(', ')}], null)::text[]`;
}
