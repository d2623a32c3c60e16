import type { Pool, PoolClient } from 'pg';
import type { RuleDefinition } from './ruleDefinition';
import type { RuleScope } from './touchedScope';
import { ruleStatement } from './composeRule';
import { writeRuleRunEvents } from '../../db/changeLog';

/**
 * Evaluates rules as of d and reconciles their findings (rules.md "Review"): a new hit opens a
 * finding; an OPEN one that still holds stays; an OPEN one that no longer holds is CLEARED; a
 * decided one keeps its decision and is never reopened — it is marked resolved when its condition
 * stops holding. One run, one transaction: readers never see half a run.
 */
export interface RuleOutcome {
  rule: string;
  opened: number;
  stillOpen: number;
  /** OPEN findings that no longer hold */
  cleared: number;
  /** decided findings whose condition stopped holding: their decision stays, marked resolved */
  resolved: number;
  seconds: number;
  /** rows of its parameters that do not conform to their definition: skipped by the lookup */
  warnings: ParameterWarning[];
}

/** A parameter row the lookup skipped (it does not conform to parameter_definition), and the rule that reads it. */
export interface ParameterWarning {
  rule: string;
  parameter: string;
  regionCode: string;
  validFrom: string;
  value: string;
  /** why it does not conform, and what it must be */
  fault: string;
}

export interface RulesRun {
  runId: string;
  asOf: string;
  outcomes: RuleOutcome[];
  seconds: number;
  /** the subjects re-evaluated, after closing over households and their people; null = all */
  scope: RuleScope | null;
}

export interface RunRulesOptions {
  asOf: string;
  city: string;
  /**
   * Re-evaluate only these subjects (what a sync touched, touchedScope): the findings of the
   * households, of the people, and of the households and people linked to them, are
   * evaluated and reconciled; every other person or household finding is left as it is.
   * Region findings are always evaluated whole. Absent or null: everything.
   */
  scope?: RuleScope | null;
  /**
   * The scope read once this run's row is written (instead of `scope`): a sync that finishes
   * after that moment is the next run's to evaluate, one that finished before is in this scope.
   */
  scopeAfterStart?: () => Promise<RuleScope | null>;
  onRule?: (o: RuleOutcome) => void;
}

export async function runRules(pool: Pool, rules: readonly RuleDefinition[], opts: RunRulesOptions): Promise<RulesRun> {
  const started = Date.now();
  const client = await pool.connect();
  try {
    const run = await client.query<{ id: string }>(`insert into rule_run (as_of, status, scoped) values ($1, 'RUNNING', $2) returning id`, [
      opts.asOf,
      !!opts.scope,
    ]);
    const runId = run.rows[0].id;
    await client.query('begin');
    const outcomes: RuleOutcome[] = [];
    let scope: RuleScope | null = null;
    try {
      let requested = opts.scope ?? null;
      if (opts.scopeAfterStart) {
        requested = await opts.scopeAfterStart();
        await client.query(`update rule_run set scoped = $2 where id = $1`, [runId, !!requested]);
      }
      if (requested) scope = await closeScope(client, requested);
      const skipped = await nonConformingParameters(client, rules);
      for (const rule of rules) {
        const o = await evaluateRule(client, rule, runId, opts.asOf, opts.city, scope);
        o.warnings = skipped.filter((w) => rule.parameters.includes(w.parameter)).map((w) => ({ rule: rule.code, ...w }));
        outcomes.push(o);
        opts.onRule?.(o);
      }
      // the findings' events commit with the run that changed them (src/db/changeLog.ts)
      await writeRuleRunEvents(client, runId, opts.asOf);
      await client.query(`update rule_run set status = 'SUCCEEDED', finished_at = now(), summary = $2 where id = $1`, [
        runId,
        JSON.stringify(outcomes),
      ]);
      await client.query('commit');
      // A full run may have opened thousands of findings in a table its statistics call empty; the
      // scoped runs after it look their subjects' findings up by index only once it is analysed.
      if (!scope && outcomes.some((o) => o.opened > 1000)) await client.query('analyze finding');
    } catch (e) {
      await client.query('rollback');
      await client.query(`update rule_run set status = 'FAILED', finished_at = now(), error = $2 where id = $1`, [runId, (e as Error).message]);
      throw e;
    }
    return { runId, asOf: opts.asOf, outcomes, seconds: (Date.now() - started) / 1000, scope };
  } finally {
    client.release();
  }
}

/**
 * A sync's subjects, closed over the links the rules follow between households and people
 * (listed members, heads, benefits naming both): a touched person's households, and the people
 * of a touched household, and once more — so that a household finding sees a change to any
 * member's facts, and a person finding a change to their household's.
 *
 * Each step looks its ids up one at a time by index (`offset 0` keeps the planner from scanning
 * the city's memberships and hashing them, which it prefers while they look few), so that the
 * closing costs what the scope holds, not what the city holds.
 */
export async function closeScope(client: PoolClient, given: RuleScope): Promise<RuleScope> {
  const lookup = (ids: string, select: string, from: string, where: string) =>
    `select x.id from ${ids} cross join lateral (select ${select} as id from ${from} where ${where} offset 0) x`;
  const people = (households: string) => `
      ${lookup(households, 'm.person_id', 'membership m', `m.household_id = ${households}.id and m.retired_at is null`)}
      union ${lookup(households, 'h.head_person_id', 'household h', `h.id = ${households}.id`)}
      union ${lookup(households, 'b.person_id', 'benefit b', `b.household_id = ${households}.id and b.retired_at is null and b.person_id is not null`)}`;
  const householdsOf = (persons: string) => `
      ${lookup(persons, 'm.household_id', 'membership m', `m.person_id = ${persons}.id and m.retired_at is null`)}
      union ${lookup(persons, 'h.id', 'household h', `h.head_person_id = ${persons}.id`)}
      union ${lookup(persons, 'b.household_id', 'benefit b', `b.person_id = ${persons}.id and b.retired_at is null and b.household_id is not null`)}`;
  const { rows } = await client.query<RuleScope>(
    `with h0 as materialized (select distinct unnest($1::bigint[]) as id),
          p1 as materialized (select unnest($2::bigint[]) as id union ${people('h0')}),
          h1 as materialized (select id from h0 union ${householdsOf('p1')}),
          -- the people of the households h1 adds (those of h0 are in p1 already)
          h1_new as materialized (select id from h1 except select id from h0),
          p2 as materialized (select id from p1 union ${people('h1_new')})
     select array(select id from h1 order by id)::text[] as households, array(select id from p2 order by id)::text[] as persons`,
    [given.households, given.persons],
  );
  return rows[0];
}

async function evaluateRule(
  client: PoolClient,
  rule: RuleDefinition,
  runId: string,
  asOf: string,
  city: string,
  scope: RuleScope | null,
): Promise<RuleOutcome> {
  const started = Date.now();
  // Region rules are cheap and read whole regions: they run whole in a scoped run too.
  const scoped = scope !== null && rule.subjectType !== 'region';
  const subject =
    rule.subjectType === 'person'
      ? `h.subject_id::bigint as person_id, null::bigint as household_id, p.id_number as subject_key, coalesce(phr.region_code, p.region_code) as region_code`
      : rule.subjectType === 'household'
        ? `null::bigint as person_id, h.subject_id::bigint as household_id, hh.id_number as subject_key, coalesce(hr.region_code, hh.region_code) as region_code`
        : `null::bigint as person_id, null::bigint as household_id, h.subject_id::text as subject_key, h.subject_id::text as region_code`;
  // The subject and region of each hit, looked up by index (weijiu_person_region and
  // weijiu_household_region restricted to the one subject): joined whole, the planner re-runs
  // them per hit when it underestimates the hits, or hashes every person of the city for a few
  // hits when it overestimates them. `offset 0` keeps it from pulling a lookup up into a join.
  const householdRegion = (household: string) =>
    `left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = ${household} offset 0) `;
  const joins =
    rule.subjectType === 'person'
      ? `cross join lateral (select p.id, p.id_number, p.region_code from person p where p.id = h.subject_id::bigint offset 0) p
         left join lateral (select x.household_id from weijiu_person_household($1) x where x.person_id = p.id offset 0) ph on true
         ${householdRegion('ph.household_id')} phr on true`
      : rule.subjectType === 'household'
        ? `cross join lateral (
             select hh.id, hp.id_number, hp.region_code from household hh join person hp on hp.id = hh.head_person_id
              where hh.id = h.subject_id::bigint offset 0) hh
           ${householdRegion('hh.id')} hr on true`
        : '';
  // A rule starts from the scope ($3/$4, scopedFacts) and may reach subjects linked to it; the
  // hits are narrowed to the scope here. The rule's result is materialized first: the narrowing,
  // pushed down into the rule, would be a filter on an expression no index serves.
  const inScope = !scoped ? '' : rule.subjectType === 'person' ? `where h.subject_id::bigint = any($4::bigint[])` : `where h.subject_id::bigint = any($3::bigint[])`;
  // Evidence ids become feed, stream, record key and arrival time, in the same statement.
  const { rows } = await client.query(
    `with params as (select $1::date as d, $2::text as city, $3::bigint[] as households, $4::bigint[] as persons),
     h as ${scoped ? 'materialized ' : ''}(${ruleStatement(rule)}),
     hits as (
       select ${subject}, h.item, h.clauses, h.period_start, h.period_end, h.detail, h.parameters,
              (select coalesce(jsonb_agg(jsonb_build_object(
                        'feed', sr.feed, 'stream', sr.stream, 'recordKey', sr.record_key,
                        'arrivedAt', sr.first_seen_at, 'versionAt', sr.version_at, 'values', e.value->'values')
                      order by sr.feed, sr.record_key), '[]'::jsonb)
                 from jsonb_array_elements(h.evidence) e
                 join source_record sr on sr.id = (e.value->>'source_record_id')::bigint) as evidence
         from h ${joins} ${inScope})
     select * from hits`,
    [asOf, city, scoped ? scope.households : null, scoped ? scope.persons : null],
  );
  const hits = rows.map((r) => ({
    ...r,
    identity: [rule.code, rule.subjectType, r.subject_key, ...(r.item ? [r.item] : [])].join('|'),
  }));
  const reconciled = await client.query<{ opened: number; held: number }>(
    `with hits as (
       select * from jsonb_to_recordset($1::jsonb) as h(identity text, person_id bigint, household_id bigint, subject_key text,
         region_code text, item text, clauses text[], period_start date, period_end date, evidence jsonb, detail jsonb, parameters jsonb)),
     upserted as (
       insert into finding (identity, rule, rule_version, kind, subject_type, subject_key, person_id, household_id, region_code, item,
                            clauses, period_start, period_end, status, evidence, detail, parameters, as_of, first_run_id, last_run_id, held_in_run_id)
       select identity, $2, $3, $4, $5, subject_key, person_id, household_id, region_code, item, coalesce(clauses, '{}'),
              period_start, period_end, 'OPEN', evidence, coalesce(detail, '{}'), coalesce(parameters, '[]'), $7, $6, $6, $6
         from hits
       on conflict (identity) do update set
         rule_version = excluded.rule_version, clauses = excluded.clauses, period_start = excluded.period_start,
         period_end = excluded.period_end, evidence = excluded.evidence, detail = excluded.detail, parameters = excluded.parameters,
         region_code = excluded.region_code, as_of = excluded.as_of, last_run_id = excluded.last_run_id,
         held_in_run_id = excluded.held_in_run_id, resolved = false, updated_at = now(),
         status = case when finding.status = 'CLEARED' then 'OPEN' else finding.status end,
         cleared_at = case when finding.status = 'CLEARED' then null else finding.cleared_at end,
         opened_at = case when finding.status = 'CLEARED' then now() else finding.opened_at end
       returning (xmax = 0) as inserted, status)
     select count(*) filter (where inserted)::int as opened, count(*) filter (where not inserted)::int as held from upserted`,
    [JSON.stringify(hits), rule.code, rule.version, rule.kind, rule.subjectType, runId, asOf],
  );
  // A code may have one definition per subject type (D1: household and person findings); each
  // clears only its own, or a later definition of the code would find the earlier one's unheld.
  // A scoped run judges only the findings of its subjects, looked up by subject (finding_person,
  // finding_household), not among all of the rule's findings.
  const subjectColumn = rule.subjectType === 'person' ? 'person_id' : 'household_id';
  const ended = await client.query<{ cleared: number; resolved: number }>(
    `with ended as (
      update finding set
        status = case when status = 'OPEN' then 'CLEARED' else status end,
        resolved = status <> 'OPEN',
        cleared_at = now(), last_run_id = $2, updated_at = now()
      where rule = $1 and subject_type = $3 and held_in_run_id is distinct from $2 and status <> 'CLEARED' and not resolved
        ${
          !scoped
            ? ''
            : `and id in (select x.id from unnest($4::bigint[]) as subject(id)
                           cross join lateral (select f.id from finding f where f.${subjectColumn} = subject.id offset 0) x)`
        }
      returning status)
     select count(*) filter (where status = 'CLEARED')::int as cleared, count(*) filter (where status <> 'CLEARED')::int as resolved from ended`,
    [rule.code, runId, rule.subjectType, ...(scoped ? [rule.subjectType === 'person' ? scope.persons : scope.households] : [])],
  );
  return {
    rule: rule.code,
    opened: reconciled.rows[0].opened,
    stillOpen: reconciled.rows[0].held,
    cleared: ended.rows[0].cleared,
    resolved: ended.rows[0].resolved,
    seconds: (Date.now() - started) / 1000,
    warnings: [],
  };
}

/**
 * The parameter rows the rules read that do not conform to their definition — inserted before the
 * definitions existed, or with triggers off. weijiu_param skips them (the next applicable row
 * answers), so one bad row fails no run; the run names each one beside every rule reading it.
 */
async function nonConformingParameters(client: PoolClient, rules: readonly RuleDefinition[]): Promise<Omit<ParameterWarning, 'rule'>[]> {
  const names = [...new Set(rules.flatMap((r) => r.parameters))];
  if (!names.length) return [];
  const { rows } = await client.query<Omit<ParameterWarning, 'rule'>>(
    `select p.name as parameter, p.region_code as "regionCode", p.valid_from::text as "validFrom", left(p.value, 60) as value,
            f.fault || coalesce('; it must be ' || weijiu_parameter_expected(d), '') as fault
       from parameter p
       left join parameter_definition d on d.name = p.name
       cross join lateral (select weijiu_parameter_fault(d, p.value) as fault) f
      where p.name = any($1::text[]) and f.fault is not null
      order by p.name, p.region_code, p.valid_from`,
    [names],
  );
  return rows;
}
