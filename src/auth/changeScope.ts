import type { Pool } from 'pg';
import type { Viewer } from './viewer';
import type { HousekeepingReader } from '../db/statementCounter';

/**
 * Who sees which events of the change log (exchange.md), in SQL, and the page a reader gets.
 *
 * - OFFICE all; ADMIN SYNC_FAILED and SOURCE_STALE only (they carry no person); ANALYST none;
 * - TOWN the events whose region is inside its own;
 * - DEPARTMENT the events about people on any of its subscriptions' lists or holding one of its
 *   programmes on the day before `effectiveOn` or on it, and FINDING_* only of findings assigned to it.
 *
 * An event is readable only once every transaction older than the oldest still running has
 * ended (`txid` below the snapshot's xmin), and readers page by (txid, id): a batch that took an
 * id early and commits late has a txid at or above that xmin until it ends, so no cursor handed
 * out passes it (src/db/changeLog.ts writes txid).
 */
export interface ChangeRow {
  txid: string;
  id: string;
  kind: string;
  at: Date;
  effectiveOn: string | null;
  personId: string | null;
  idNumber: string | null;
  category: string | null;
  programme: string | null;
  findingId: string | null;
  regionCode: string | null;
  connector: string | null;
}

export interface ChangePosition {
  txid: string;
  id: string;
}

export function encodeChangeCursor(p: ChangePosition): string {
  return Buffer.from(`change:${p.txid}:${p.id}`, 'utf8').toString('base64url');
}

/** null for a string that is not a cursor of the change log */
export function decodeChangeCursor(cursor: string): ChangePosition | null {
  const m = /^change:(\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { txid: m[1], id: m[2] } : null;
}

/** The SQL predicate over `e` (change_event) for this viewer; parameters appended to params. */
export function changeScope(viewer: Viewer, city: string, params: unknown[]): string {
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  switch (viewer.role) {
    case 'OFFICE':
      return viewer.regionPrefix === city ? 'true' : `coalesce(e.region_code, '') like ${bind(`${viewer.regionPrefix}%`)}`;
    case 'ADMIN':
      return `e.kind in ('SYNC_FAILED', 'SOURCE_STALE')`;
    case 'TOWN':
      return `coalesce(e.region_code, '') like ${bind(`${viewer.regionPrefix}%`)}`;
    case 'DEPARTMENT': {
      const d = bind(viewer.department ?? '');
      return `case when e.kind like 'FINDING\\_%' then exists (
                 select 1 from finding_assignment a where a.finding_id = e.finding_id and a.to_department = ${d}
                    and not exists (select 1 from finding_assignment n where n.finding_id = a.finding_id and n.id > a.id))
               when e.person_id is null then false
               else exists (
                 select 1 from webhook_subscription s join webhook_subscription_person sp on sp.subscription_id = s.id
                   join person p on p.id_number = sp.id_number
                  where s.department = ${d} and s.deleted_at is null and p.id = e.person_id)
                 or exists (
                 select 1 from weijiu_person_benefit(array[e.person_id]) b join programme g on g.code = b.programme_code
                  where g.source_feed = ${d}
                    and (weijiu_active(b.period_start, b.period_end, coalesce(e.effective_on, e.at::date))
                         or weijiu_active(b.period_start, b.period_end, coalesce(e.effective_on, e.at::date) - 1)))
               end`;
    }
    default:
      return 'false';
  }
}

/** The log's end as a reader sees it now: where a new subscription starts. */
export async function changeLogEnd(pool: Pool): Promise<ChangePosition> {
  const { rows } = await pool.query<ChangePosition>(
    `select coalesce(max(txid), 0)::text as txid, coalesce(max(id), 0)::text as id from change_event
      where txid = (select max(txid) from change_event where txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`,
  );
  return rows[0] ?? { txid: '0', id: '0' };
}

function readable(viewer: Viewer, city: string, opts: { after: ChangePosition | null; kinds: readonly string[] | null }) {
  const params: unknown[] = [opts.after?.txid ?? '0', opts.after?.id ?? '0'];
  const where = [
    `e.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`,
    `(e.txid, e.id) > ($1::bigint, $2::bigint)`,
  ];
  if (opts.kinds?.length) {
    params.push(opts.kinds);
    where.push(`e.kind = any($${params.length}::text[])`);
  }
  where.push(changeScope(viewer, city, params));
  return { where, params };
}

/** How many events after `after` the viewer may read now. */
export async function countChanges(pool: Pool, viewer: Viewer, city: string, opts: { after: ChangePosition | null; kinds: readonly string[] | null }): Promise<number> {
  const { where, params } = readable(viewer, city, opts);
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from change_event e where ${where.join(' and ')}`, params);
  return rows[0].n;
}

/**
 * Up to `first` events after `after` the viewer may see, of the kinds asked (none: all), in
 * cursor order; one statement. `hasMore` when more are readable now.
 */
export async function readChanges(
  pool: HousekeepingReader,
  viewer: Viewer,
  city: string,
  opts: { after: ChangePosition | null; kinds: readonly string[] | null; first: number },
): Promise<{ rows: ChangeRow[]; hasMore: boolean }> {
  const { where, params } = readable(viewer, city, opts);
  params.push(opts.first + 1);
  const { rows } = await pool.query<ChangeRow>(
    `select e.txid::text as txid, e.id::text as id, e.kind, e.at, e.effective_on as "effectiveOn", e.person_id::text as "personId",
            p.id_number as "idNumber", e.category, e.programme, e.finding_id::text as "findingId", e.region_code as "regionCode", e.connector
       from change_event e left join person p on p.id = e.person_id
      where ${where.join(' and ')}
      order by e.txid, e.id limit $${params.length}`,
    params,
  );
  return { rows: rows.slice(0, opts.first), hasMore: rows.length > opts.first };
}
