import type { Pool } from 'pg';
import { conditionsOf, holdsExpression, judged, sharedCtes } from './composeRule';
import type { RuleDefinition } from './ruleDefinition';
import { closeScope } from './runRules';

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
}

export interface EvidenceRecord {
  feed: string;
  stream: string;
  recordKey: string;
  arrivedAt: string;
  versionAt: string;
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

export class ItemRequired extends Error {
  constructor(readonly rule: RuleDefinition) {
    super(`rule ${rule.code} needs its item (${rule.item?.text ?? 'item'}) to be explained`);
  }
}

/**
 * The rule's conditions evaluated for one subject (and item) as of a date, by the same SQL as the
 * rule's run (composeRule): the enumerating conditions over the subject's own scope (its
 * households and people, closed as a scoped run closes them), the others for the subject alone.
 * `subjectId` is the person's or household's id, or the region code.
 */
export async function traceRule(
  pool: Pool,
  rule: RuleDefinition,
  opts: { asOf: string; city: string; subjectId: string; item?: string | null },
): Promise<RuleTrace> {
  const conditions = conditionsOf(rule);
  if (rule.item && !rule.item.default && !opts.item) throw new ItemRequired(rule);
  const client = await pool.connect();
  try {
    const scope =
      rule.subjectType === 'region'
        ? null
        : await closeScope(client, rule.subjectType === 'person' ? { persons: [opts.subjectId], households: [] } : { persons: [], households: [opts.subjectId] });
    const ctes = conditions.map((c, i) => `c${i} as materialized (${typeof c.sql === 'string' ? `select * from (${c.sql}) x where x.subject_id = $5::text` : c.sql('subject')})`);
    const enumerating = conditions.flatMap((c, i) => (typeof c.sql === 'string' ? [ctes[i]] : []));
    const others = conditions.flatMap((c, i) => (typeof c.sql === 'string' ? [] : [ctes[i]]));
    const itemSql = rule.item ? `coalesce($6::text, (${rule.item.default ?? 'null'})::text, '')` : `''`;
    const { rows } = await client.query(
      `with ${[
        // every parameter typed, whichever the rule reads
        `params as (select $1::date as d, $2::text as city, $3::bigint[] as households, $4::bigint[] as persons, $5::text as subject, $6::text as item)`,
        ...sharedCtes(rule), ...enumerating, `subject as materialized (select $5::text as subject_id, ${itemSql} as item)`, ...others].join(',\n')},
       judged as (${judged(conditions)})
       select j.*, ${holdsExpression(conditions)} as rule_holds from judged j`,
      [opts.asOf, opts.city, scope?.households ?? null, scope?.persons ?? null, opts.subjectId, opts.item ?? null],
    );
    const row = rows[0];
    const evidenceIds = new Set<string>();
    const parameterIds = new Set<string>();
    conditions.forEach((_, i) => {
      for (const e of (row[`e${i}`] as Array<{ source_record_id: unknown }> | null) ?? []) evidenceIds.add(String(e.source_record_id));
      for (const p of (row[`p${i}`] as unknown[] | null) ?? []) parameterIds.add(String(p));
    });
    const [records, parameters] = await Promise.all([
      client.query<{ id: string } & Omit<EvidenceRecord, 'values'>>(
        `select sr.id::text, sr.feed, sr.stream, sr.record_key as "recordKey", sr.first_seen_at as "arrivedAt", sr.version_at as "versionAt"
           from source_record sr where sr.id = any($1::bigint[])`,
        [[...evidenceIds]],
      ),
      client.query<{ id: string } & ParameterRow>(
        `select p.id::text, p.name, p.region_code as "regionCode", p.valid_from::text as "validFrom", p.value
           from parameter p where p.id = any($1::bigint[])`,
        [[...parameterIds]],
      ),
    ]);
    const recordOf = new Map(records.rows.map((r) => [r.id, r]));
    const parameterOf = new Map(parameters.rows.map((p) => [p.id, p]));
    const outcomes: ConditionOutcome[] = conditions.map((c, i) => ({
      name: c.name,
      text: c.text,
      clause: c.clause ?? null,
      holds: row[`h${i}`] as boolean,
      values: row[`r${i}`] ? (row[`v${i}`] as Record<string, unknown>) : null,
      said: (row[`s${i}`] as string | null) ?? null,
      parameters: ((row[`p${i}`] as unknown[] | null) ?? []).flatMap((id) => {
        const p = parameterOf.get(String(id));
        return p ? [{ name: p.name, regionCode: p.regionCode, validFrom: p.validFrom, value: p.value }] : [];
      }),
      evidence: ((row[`e${i}`] as Array<{ source_record_id: unknown; values: Record<string, unknown> }> | null) ?? []).flatMap((e) => {
        const r = recordOf.get(String(e.source_record_id));
        return r ? [{ feed: r.feed, stream: r.stream, recordKey: r.recordKey, arrivedAt: r.arrivedAt, versionAt: r.versionAt, values: e.values }] : [];
      }),
    }));
    const clauses = [...new Set(conditions.flatMap((c) => (c.clause ? [c.clause] : [])))].filter((k) =>
      outcomes.every((o) => o.clause !== k || o.holds),
    );
    return {
      rule: rule.code,
      subjectType: rule.subjectType,
      subjectId: opts.subjectId,
      item: (row.item as string) || null,
      holds: row.rule_holds as boolean,
      clauses,
      conditions: outcomes,
    };
  } finally {
    client.release();
  }
}
