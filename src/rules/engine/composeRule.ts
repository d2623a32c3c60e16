import type { Condition } from './condition';
import type { RuleDefinition } from './ruleDefinition';

/**
 * The one set-based statement of a rule written as conditions (ruleDefinition's contract: $1 the
 * date, $2 the city, $3/$4 the scope; one row per hit with subject_id, item, clauses,
 * period_start, period_end, evidence, detail, parameters).
 *
 * The enumerating conditions (sql given as a string) are evaluated over the scope; the subjects
 * for which one holds are the candidates. The conditions without a clause then narrow them one
 * after another, in the rule's order — each evaluated only for the candidates still standing,
 * joined by (subject_id, item), so that its values and evidence are built for few — and the
 * clauses' conditions are evaluated for those left. A condition's `said` is for explanations: no
 * step reads it, and the planner drops it from the inlined condition. Evidence, detail and
 * parameters are those of the conditions that decide the hit, put together here, not by each rule.
 */
export function ruleStatement(rule: RuleDefinition): string {
  if (rule.sql !== undefined) return rule.sql;
  const conditions = conditionsOf(rule);
  const enumerating = conditions.flatMap((c, i) => (typeof c.sql === 'string' ? [i] : []));
  if (!enumerating.length) throw new Error(`rule ${rule.code}: no condition enumerates its subjects`);
  const outcome = (i: number, alias: string) =>
    `coalesce(${alias}.holds, ${conditions[i].holdsWhenSilent ? 'true' : 'false'}) as h${i}, ${alias}."values" as v${i}, ` +
    `${alias}.evidence as e${i}, ${alias}.parameters as p${i}`;
  const on = (alias: string, from: string) => `${alias}.subject_id = ${from}.subject_id and ${alias}.item = ${from}.item`;
  const ctes = [
    ...sharedCtes(rule),
    // without `said`, which the planner then leaves out of the condition
    ...enumerating.map((i) => `c${i} as materialized (select x.subject_id, x.item, x.holds, x."values", x.evidence, x.parameters from (${conditions[i].sql as string}) x)`),
    `subject as materialized (
      ${enumerating.map((i) => `select subject_id, item from c${i} where holds`).join('\n      union\n      ')})`,
  ];
  // the candidates with the enumerating conditions' outcomes, narrowed by those without a clause
  const enumeratingPlain = enumerating.filter((i) => !conditions[i].clause);
  ctes.push(`step0 as materialized (
      select s.subject_id, s.item, ${enumerating.map((i) => outcome(i, `c${i}`)).join(',\n             ')}
        from subject s
        ${enumerating.map((i) => `left join c${i} on ${on(`c${i}`, 's')}`).join('\n        ')}
       ${enumeratingPlain.length ? `where ${enumeratingPlain.map((i) => `coalesce(c${i}.holds, ${conditions[i].holdsWhenSilent ? 'true' : 'false'})`).join(' and ')}` : ''})`);
  let step = 0;
  const narrowing = conditions.flatMap((c, i) => (typeof c.sql !== 'string' && !c.clause ? [i] : []));
  for (const i of narrowing) {
    const fn = conditions[i].sql as (subjects: string) => string;
    ctes.push(`step${step + 1} as materialized (
      select k.*, ${outcome(i, 'c')}
        from step${step} k
        left join (${fn(`step${step}`)}) c on ${on('c', 'k')}
       where coalesce(c.holds, ${conditions[i].holdsWhenSilent ? 'true' : 'false'}))`);
    step++;
  }
  const clausal = conditions.flatMap((c, i) => (typeof c.sql !== 'string' && c.clause ? [i] : []));
  ctes.push(`judged as (
      select k.*${clausal.map((i) => `, ${outcome(i, `c${i}`)}`).join('')}
        from step${step} k
        ${clausal.map((i) => `left join (${(conditions[i].sql as (subjects: string) => string)(`step${step}`)}) c${i} on ${on(`c${i}`, 'k')}`).join('\n        ')})`);
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
