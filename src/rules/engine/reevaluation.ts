import type { Pool } from 'pg';
import type { RuleDefinition } from './ruleDefinition';
import { runRules, type RulesRun, type RuleOutcome } from './runRules';
import { touchedScope, type RuleScope } from './touchedScope';

/** Above this share of the households or people touched, one full run is cheaper than a scoped one. */
export const SCOPED_SHARE_LIMIT = 0.2;

/**
 * The rules evaluated again after syncs, as of d: only for what the syncs finished since the
 * last successful rule run touched, when that is little and the findings are otherwise current —
 * a full run of the same day succeeded, no parameter was added since, and no run failed since.
 * Anything else (a new day, new parameters, a failed run, a large sync) is a full run.
 */
export async function reevaluateAfterSync(
  pool: Pool,
  rules: readonly RuleDefinition[],
  opts: { asOf: string; city: string; onRule?: (o: RuleOutcome) => void },
): Promise<RulesRun> {
  return runRules(pool, rules, { ...opts, scopeAfterStart: () => scopeSinceLastRun(pool, opts.asOf) });
}

async function scopeSinceLastRun(pool: Pool, asOf: string): Promise<RuleScope | null> {
  const { rows } = await pool.query<{ current: boolean; since: Date | null; households: number; persons: number }>(
    `with full_run as (
       select started_at from rule_run where status = 'SUCCEEDED' and not scoped and as_of = $1 order by id desc limit 1),
     last_run as (select status, started_at, as_of from rule_run where status <> 'RUNNING' order by id desc limit 1)
     select exists (select 1 from full_run)
              and (select status from last_run) = 'SUCCEEDED'
              -- a run as of another day (a backfill) left every finding as of that day
              and (select as_of from last_run) = $1::date
              and not exists (select 1 from parameter where created_at >= (select started_at from full_run)) as current,
            (select started_at from last_run) as since,
            -- the planner's estimates: a count of millions of people would cost more than it decides
            greatest((select reltuples from pg_class where oid = 'household'::regclass), 0)::float8 as households,
            greatest((select reltuples from pg_class where oid = 'person'::regclass), 0)::float8 as persons`,
    [asOf],
  );
  const state = rows[0];
  if (!state.current || !state.since) return null;
  // The last run read its scope after its row was written: every sync that finished since that
  // row's start is this run's (one still running is taken each time until it finishes).
  const runs = await pool.query<{ id: string }>(`select id from sync_run where finished_at >= $1 or status = 'RUNNING'`, [state.since]);
  const touched = await touchedScope(pool, runs.rows.map((r) => r.id));
  const small =
    touched.households.length <= SCOPED_SHARE_LIMIT * state.households && touched.persons.length <= SCOPED_SHARE_LIMIT * state.persons;
  return small ? touched : null;
}
