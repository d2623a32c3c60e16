/**
 * 审计 the audit trail: one append-only row per request that returned person-level data (a
 * trigger refuses updates and deletes, Migration20261128000003Access), written many rows to a
 * statement by the audit writer (src/auth/auditWriter.ts). Households are named by
 * their head, so the trail can always be searched by person; ID numbers read in a quarantined
 * record are named by the person who holds each, and the records themselves by their ids
 * (Migration20261206000009QuarantineAudit).
 */
import type { Pool } from 'pg';
import type { Viewer } from './viewer';
import type { HousekeepingReader } from '../db/statementCounter';

export interface AuditEventRow {
  id: string;
  at: Date;
  tokenId: string | null;
  tokenLabel: string;
  role: string;
  regionCode: string;
  department: string | null;
  operationType: string;
  operation: string | null;
  querySha256: string;
  purpose: string | null;
  personIds: string[];
  quarantinedRecordIds: string[];
}

export interface AuditEntry {
  viewer: Viewer;
  operationType: string;
  operation: string | null;
  querySha256: string;
  purpose: string | null;
  personIds: readonly string[];
  householdIds: readonly string[];
  /** normalised ID numbers the answer carried, wherever: the people holding them are named */
  idNumbers?: readonly string[];
  quarantinedRecordIds?: readonly string[];
}

/** What one request's row is made of, as the batch statement reads it (JSON keys = its columns). */
function rowOf(e: AuditEntry) {
  return {
    token_id: e.viewer.tokenId,
    token_label: e.viewer.label,
    role: e.viewer.role,
    region_code: e.viewer.regionPrefix,
    department: e.viewer.department,
    operation_type: e.operationType,
    operation: e.operation?.slice(0, 200) ?? null,
    query_sha256: e.querySha256,
    purpose: e.purpose,
    person_ids: [...e.personIds],
    household_ids: [...e.householdIds],
    id_numbers: [...(e.idNumbers ?? [])],
    quarantined_record_ids: [...(e.quarantinedRecordIds ?? [])],
  };
}

/**
 * The rows of many requests in one statement, hence one commit (src/auth/auditWriter.ts): the
 * entries travel as one JSON array, expanded by `jsonb_to_recordset`, and each row names its
 * households by their heads and its ID numbers by the people holding them, set-based. Rows keep
 * the order of the entries (ids ascend with it). On a client or a pool; one statement either way.
 */
export async function recordAuditEvents(db: HousekeepingReader, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await db.query(
    `insert into audit_event (token_id, token_label, role, region_code, department, operation_type, operation, query_sha256, purpose, person_ids, quarantined_record_ids)
     select e.token_id, e.token_label, e.role, e.region_code, e.department, e.operation_type, e.operation, e.query_sha256, e.purpose,
            array(
              select p from unnest(e.person_ids) as p
               union
              select head_person_id from household where id = any(e.household_ids)
               union
              select id from person where id_number = any(e.id_numbers)
               order by 1),
            array(select distinct q from unnest(e.quarantined_record_ids) as q order by 1)
       from rows from (jsonb_to_recordset($1::jsonb) as (
              token_id bigint, token_label text, role text, region_code text, department text, operation_type text, operation text,
              query_sha256 text, purpose text, person_ids bigint[], household_ids bigint[], id_numbers text[], quarantined_record_ids bigint[]))
            with ordinality as e(token_id, token_label, role, region_code, department, operation_type, operation,
              query_sha256, purpose, person_ids, household_ids, id_numbers, quarantined_record_ids, ord)
      order by e.ord`,
    [JSON.stringify(entries.map(rowOf))],
  );
}

const columns = `id::text, at, token_id::text as "tokenId", token_label as "tokenLabel", role, region_code as "regionCode", department,
  operation_type as "operationType", operation, query_sha256 as "querySha256", purpose, person_ids::text[] as "personIds",
  quarantined_record_ids::text[] as "quarantinedRecordIds"`;

/** Newest first, keyset-paged by id; of one person when given. */
export async function readAuditTrail(pool: Pool, opts: { limit: number; beforeId?: string | null; personId?: string | null }): Promise<AuditEventRow[]> {
  const params: unknown[] = [];
  const where = ['true'];
  if (opts.personId) {
    params.push([opts.personId]);
    where.push(`person_ids @> $${params.length}::bigint[]`);
  }
  if (opts.beforeId) {
    params.push(opts.beforeId);
    where.push(`id < $${params.length}`);
  }
  params.push(opts.limit);
  const { rows } = await pool.query<AuditEventRow>(`select ${columns} from audit_event where ${where.join(' and ')} order by id desc limit $${params.length}`, params);
  return rows;
}

export async function countAuditTrail(pool: Pool, personId: string | null): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    personId ? `select count(*)::int as n from audit_event where person_ids @> array[$1::bigint]` : `select count(*)::int as n from audit_event`,
    personId ? [personId] : [],
  );
  return rows[0]!.n;
}
