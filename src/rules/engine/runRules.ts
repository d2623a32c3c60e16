import type { Pool, PoolClient } from 'pg';
import type { RuleDefinition } from './ruleDefinition';

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
  cleared: number;
  seconds: number;
}

export interface RulesRun {
  runId: string;
  asOf: string;
  outcomes: RuleOutcome[];
  seconds: number;
}

export async function runRules(
  pool: Pool,
  rules: readonly RuleDefinition[],
  opts: { asOf: string; city: string; onRule?: (o: RuleOutcome) => void },
): Promise<RulesRun> {
  const started = Date.now();
  const client = await pool.connect();
  try {
    const run = await client.query<{ id: string }>(`insert into rule_run (as_of, status) values ($1, 'RUNNING') returning id`, [opts.asOf]);
    const runId = run.rows[0].id;
    await client.query('begin');
    const outcomes: RuleOutcome[] = [];
    try {
      for (const rule of rules) {
        const o = await evaluateRule(client, rule, runId, opts.asOf, opts.city);
        outcomes.push(o);
        opts.onRule?.(o);
      }
      await client.query(`update rule_run set status = 'SUCCEEDED', finished_at = now(), summary = $2 where id = $1`, [
        runId,
        JSON.stringify(outcomes),
      ]);
      await client.query('commit');
    } catch (e) {
      await client.query('rollback');
      await client.query(`update rule_run set status = 'FAILED', finished_at = now(), error = $2 where id = $1`, [runId, (e as Error).message]);
      throw e;
    }
    return { runId, asOf: opts.asOf, outcomes, seconds: (Date.now() - started) / 1000 };
  } finally {
    client.release();
  }
}

async function evaluateRule(client: PoolClient, rule: RuleDefinition, runId: string, asOf: string, city: string): Promise<RuleOutcome> {
  const started = Date.now();
  const subject =
    rule.subjectType === 'person'
      ? `h.subject_id::bigint as person_id, null::bigint as household_id, p.id_number as subject_key, pr.region_code`
      : rule.subjectType === 'household'
        ? `null::bigint as person_id, h.subject_id::bigint as household_id, hp.id_number as subject_key, coalesce(hr.region_code, hp.region_code) as region_code`
        : `null::bigint as person_id, null::bigint as household_id, h.subject_id::text as subject_key, h.subject_id::text as region_code`;
  const joins =
    rule.subjectType === 'person'
      ? `join person p on p.id = h.subject_id::bigint left join weijiu_person_region($1) pr on pr.person_id = p.id`
      : rule.subjectType === 'household'
        ? `join household hh on hh.id = h.subject_id::bigint join person hp on hp.id = hh.head_person_id
           left join weijiu_household_region() hr on hr.household_id = hh.id`
        : '';
  // Evidence ids become feed, stream, record key and arrival time, in the same statement.
  const { rows } = await client.query(
    `with params as (select $1::date as d, $2::text as city),
     h as (${rule.sql}),
     hits as (
       select ${subject}, h.item, h.clauses, h.period_start, h.period_end, h.detail, h.parameters,
              (select coalesce(jsonb_agg(jsonb_build_object(
                        'feed', sr.feed, 'stream', sr.stream, 'recordKey', sr.record_key,
                        'arrivedAt', sr.first_seen_at, 'versionAt', sr.version_at, 'values', e.value->'values')
                      order by sr.feed, sr.record_key), '[]'::jsonb)
                 from jsonb_array_elements(h.evidence) e
                 join source_record sr on sr.id = (e.value->>'source_record_id')::bigint) as evidence
         from h ${joins})
     select * from hits`,
    [asOf, city],
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
  const cleared = await client.query(
    `update finding set
        status = case when status = 'OPEN' then 'CLEARED' else status end,
        resolved = status <> 'OPEN',
        cleared_at = now(), last_run_id = $2, updated_at = now()
      where rule = $1 and subject_type = $3 and held_in_run_id is distinct from $2 and status <> 'CLEARED' and not resolved`,
    [rule.code, runId, rule.subjectType],
  );
  return {
    rule: rule.code,
    opened: reconciled.rows[0].opened,
    stillOpen: reconciled.rows[0].held,
    cleared: cleared.rowCount ?? 0,
    seconds: (Date.now() - started) / 1000,
  };
}
