/**
 * How a rule reaches facts so that its cost follows its scope. A rule's SQL gets `$3` (the
 * households in scope) and `$4` (the people in scope), both null in a full run (runRules). In a
 * scoped run it must start from those ids and reach each table by its person_id / household_id
 * partial index (`where retired_at is null`); in a full run it reads the tables whole, set-based.
 *
 * One statement serves both: two branches, one of which the planner drops — the bound arrays
 * are constants to it, so `$4 is null` folds to true or false. The lookups sit in a lateral
 * subquery behind `offset 0`: left to itself the planner turns a few thousand ids back into a
 * scan of the city and a hash join, as long as the tables are small enough to look cheap.
 */

type Subject = 'person' | 'household';

const scopeOf = { person: { ids: '$4', key: 'person_id' }, household: { ids: '$3', key: 'household_id' } } as const;

/**
 * The current rows of `table` (alias `f` inside `where`) that satisfy `where`: every one in a full
 * run; in a scoped run those of the subjects in scope, looked up one subject at a time by index.
 */
export function currentFactsOf(subject: Subject, table: string, where = 'true'): string {
  const { ids, key } = scopeOf[subject];
  return `(select f.* from ${table} f
            where ${ids}::bigint[] is null and f.retired_at is null and (${where})
           union all
           select f.* from unnest(${ids}::bigint[]) as in_scope(id)
            cross join lateral (
              select f.* from ${table} f where f.${key} = in_scope.id and f.retired_at is null and (${where}) offset 0) f
            where ${ids}::bigint[] is not null)`;
}

/** currentFactsOf the people in scope ($4). */
export const factsOfPeople = (table: string, where?: string) => currentFactsOf('person', table, where);

/** currentFactsOf the households in scope ($3). */
export const factsOfHouseholds = (table: string, where?: string) => currentFactsOf('household', table, where);

/**
 * weijiu_deceased(d) for one person, by index (death_record_person): the earliest valid death
 * record dated on or before d. Use as `left join lateral (${deceasedOn('x.person_id')}) dead on true`
 * where few people are looked up, or `not exists (…)` via isDeceased.
 */
export function deceasedOn(person: string): string {
  return `select dr.died_on, dr.source_record_id from death_record dr
           where dr.person_id = ${person} and dr.retired_at is null and dr.died_on <= $1::date
           order by dr.died_on limit 1`;
}

/** The person deceased on d (weijiu_deceased), as a condition: an anti-join the planner may hash in a full run. */
export function isDeceased(person: string): string {
  return `exists (select 1 from death_record dr where dr.person_id = ${person} and dr.retired_at is null and dr.died_on <= $1::date)`;
}

/**
 * The DIBAO and TEKUN categories of weijiu_categories($1, $2) — and DISABLED when asked — of the
 * people in scope, or everyone in a full run: (person_id, category, source_record_id).
 */
export function dibaoTekunOf(opts: { disabled?: boolean } = {}): string {
  const categories = ['DIBAO', 'TEKUN', ...(opts.disabled ? ['DISABLED'] : [])].map((c) => `'${c}'`).join(', ');
  return `(select c.person_id, c.category, c.source_record_id from weijiu_categories($1::date, $2::text, $4::bigint[]) c
            where c.category in (${categories}))`;
}

/**
 * weijiu_person_household($1) of the people in scope (everyone in a full run), looked up by index
 * in a scoped run: (person_id, household_id, feed, record_key).
 */
export function personHouseholds(): string {
  return `weijiu_person_household($1::date, $4::bigint[])`;
}

/**
 * weijiu_household_region() of the households in scope (every household in a full run):
 * (household_id, region_code, registration_type, record_key, feed, source_record_id).
 */
export function householdRegions(): string {
  return `weijiu_household_region($3::bigint[])`;
}

/**
 * One of two forms of the same rows, by the run: `scoped` in a scoped run, `full` in a full run —
 * where the set-based form of a full run and the lookups of a scoped one differ more than
 * currentFactsOf can say. Both must return the same columns in the same order.
 */
export function byRun(scoped: string, full: string): string {
  return `(select * from (${full}) as whole_city where $4::bigint[] is null
           union all
           select * from (${scoped}) as in_scope where $4::bigint[] is not null)`;
}
