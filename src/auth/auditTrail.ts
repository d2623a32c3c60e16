/**
 * 审计 the audit trail: one append-only row per request that returned person-level data (a
 * trigger refuses updates and deletes, Migration20261128000003Access). Households are named by
 * their head, so the trail can always be searched by person; ID numbers read in a quarantined
 * record are named by the person who holds each, and the records themselves by their ids
 * (Migration20261206000009QuarantineAudit).
 */
import type { Pool } from 'pg';
import type { Viewer } from './viewer';

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

export async function recordAuditEvent(pool: Pool, e: AuditEntry): Promise<void> {
  await pool.query(
    `insert into audit_event (token_id, token_label, role, region_code, department, operation_type, operation, query_sha256, purpose, person_ids, quarantined_record_ids)
     select $1, $2, $3, $4, $5, $6, $7, $8, $9, array(
       select p from unnest($10::bigint[]) as p
        union
       select head_person_id from household where id = any($11::bigint[])
        union
       select id from person where id_number = any($12::text[])
        order by 1), array(select distinct q from unnest($13::bigint[]) as q order by 1)`,
    [
      e.viewer.tokenId, e.viewer.label, e.viewer.role, e.viewer.regionPrefix, e.viewer.department,
      e.operationType, e.operation?.slice(0, 200) ?? null, e.querySha256, e.purpose, [...e.personIds], [...e.householdIds],
      [...(e.idNumbers ?? [])], [...(e.quarantinedRecordIds ?? [])],
    ],
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
