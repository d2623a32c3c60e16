import type { Condition } from './condition';
import type { RuleDefinition } from './ruleDefinition';

/**
 * The one set-based statement of a rule written as conditions (ruleDefinition's contract: $1 the
 * date, $2 the city, $3/$4 the scope; one row per hit with subject_id, item, clauses,
 * period_start, period_end, evidence, detail, parameters).
 *
 * The enumerating conditions (sql given as a string) are evaluated over the scope; the subjects
 * for which one holds are the candidates. The conditions without a clause then narrow them one
 * after another, in the rule's order — each evaluated only for the candidates still standing, so
 * that its values and evidence are built for few — and the clauses' conditions are evaluated for
 * those left. A condition's `said` is for explanations: no
 * step reads it, and the planner drops it from the inlined condition. Evidence, detail and
 * parameters are those of the conditions that decide the hit, put together here, not by each rule.
 */
export function ruleStatement(rule: RuleDefinition): string {
  const conditions = conditionsOf(rule);
  const enumerating = conditions.flatMap((c, i) => (typeof c.sql === 'string' ? [i] : []));
  if (!enumerating.length) throw new Error(`rule ${rule.code}: no condition enumerates its subjects`);
  // without `said`, which the planner then leaves out of the condition
  const cte = (i: number, sql: string) => `c${i} as materialized (select x.subject_id, x.item, x.holds, x."values", x.evidence, x.parameters from (${sql}) x)`;
  const ctes = [...sharedCtes(rule), ...enumerating.map((i) => cte(i, conditions[i].sql as string))];
  // The candidates are narrowed by set operations (hashed whatever the planner estimates), not by
  // joins: a step estimated at a row, joined to the next condition, is looped over — seconds.
  const narrow = (from: string, i: number) =>
    conditions[i].holdsWhenSilent
      ? `select subject_id, item from ${from} except select subject_id, item from c${i} where not holds`
      : `select subject_id, item from ${from} intersect select subject_id, item from c${i} where holds`;
  ctes.push(`step0 as materialized (
      ${enumerating.map((i) => `select subject_id, item from c${i} where holds`).join('\n      union\n      ')})`);
  let step = 0;
  const plain = conditions.flatMap((c, i) => (!c.clause ? [i] : []));
  for (const i of plain) {
    if (typeof conditions[i].sql !== 'string') ctes.push(cte(i, (conditions[i].sql as (subjects: string) => string)(`step${step}`)));
    ctes.push(`step${step + 1} as materialized (${narrow(`step${step}`, i)})`);
    step++;
  }
  const clausal = conditions.flatMap((c, i) => (typeof c.sql !== 'string' && c.clause ? [i] : []));
  for (const i of clausal) ctes.push(cte(i, (conditions[i].sql as (subjects: string) => string)(`step${step}`)));
  // every condition's outcome for the candidates left, put together by grouping (hashed) too
  const rows = [
    `select -1 as k, subject_id, item, null::boolean as holds, null::jsonb as "values", null::jsonb as evidence, null::jsonb as parameters from step${step}`,
    ...conditions.map((_, i) => `select ${i}, subject_id, item, holds, "values", evidence, parameters from c${i}`),
  ];
  const outcomes = conditions.map((c, i) => {
    const of = (column: string) => `(array_agg(u.${column}) filter (where u.k = ${i}))[1]`;
    return `coalesce(${of('holds')}, ${c.holdsWhenSilent ? 'true' : 'false'}) as h${i}, ${of('"values"')} as v${i}, ${of('evidence')} as e${i}, ${of('parameters')} as p${i}`;
  });
  ctes.push(`judged as (
      select u.subject_id, u.item, ${outcomes.join(',\n             ')}
        from (${rows.join('\n              union all ')}) u
       group by u.subject_id, u.item
      having bool_or(u.k = -1))`);
  return `
    with ${ctes.join(',\n    ')},
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
  if (!rule.conditions.length) throw new Error(`rule ${rule.code} has no conditions`);
  return rule.conditions;
}

/**
 * For a trace: each subject explained with every condition's outcome — h{i}, v{i} (values), e{i}
 * (evidence), p{i}, s{i} (said), r{i} (it found something). Joined: a trace's subjects are few and
 * every condition is read whole for them, `said` included; a run narrows and groups instead.
 */
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

/**
 * The columns `kind` of the conditions that decide the hit — those without a clause, and those of
 * a clause that holds (a holding condition of a clause that fails decided nothing) — put together
 * with `op` (objects merged by default).
 */
function merged(conditions: readonly Condition[], kind: 'values' | 'evidence' | 'parameters', empty: string, op = '||'): string {
  const letter = { values: 'v', evidence: 'e', parameters: 'p' }[kind];
  const prefix = kind === 'values' ? 'j.' : 'h.';
  return conditions
    .map((c, i) => {
      const decides = c.clause ? `(${clauseHolds(conditions, c.clause, prefix)})` : `${prefix}h${i}`;
      return `case when ${decides} then coalesce(${prefix}${letter}${i}, ${empty}) else ${empty} end`;
    })
    .join(` ${op} `);
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
