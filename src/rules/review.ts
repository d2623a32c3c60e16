import type { Pool } from 'pg';

/**
 * The leading-group office's review of findings (rules.md "Review"): CONFIRM (a wrong payment, to
 * be stopped or recovered), DISMISS (with a reason) or EXCEPTION (re-assistance approved, with the
 * approval reference). Every decision is kept with who, when and why; a later one supersedes the
 * status, never the record of the earlier one.
 */
export type Decision = 'CONFIRM' | 'DISMISS' | 'EXCEPTION';

export const STATUS_OF: Record<Decision, string> = { CONFIRM: 'CONFIRMED', DISMISS: 'DISMISSED', EXCEPTION: 'EXCEPTION' };

export class ReviewError extends Error {
  constructor(
    message: string,
    readonly argumentName: string,
  ) {
    super(message);
  }
}

export async function reviewFindings(
  pool: Pool,
  input: { ids: string[]; decision: Decision; reason?: string | null; approvalRef?: string | null; decidedBy: string },
): Promise<string[]> {
  const reason = input.reason?.trim() || null;
  const approvalRef = input.approvalRef?.trim() || null;
  if (!input.ids.length) throw new ReviewError('ids: name at least one finding', 'ids');
  if (input.ids.length > 500) throw new ReviewError('ids: at most 500 findings in one review', 'ids');
  if (input.decision === 'DISMISS' && !reason) throw new ReviewError('reason: a dismissal needs a reason', 'reason');
  if (input.decision === 'EXCEPTION' && !approvalRef) throw new ReviewError('approvalRef: an exception needs the approval reference', 'approvalRef');
  const client = await pool.connect();
  try {
    await client.query('begin');
    const found = await client.query<{ id: string }>(`select id from finding where id = any($1::bigint[]) for update`, [input.ids]);
    const missing = input.ids.filter((id) => !found.rows.some((r) => r.id === id));
    if (missing.length) throw new ReviewError(`ids: no finding ${missing.slice(0, 5).join(', ')}`, 'ids');
    await client.query(
      `insert into finding_decision (finding_id, decision, reason, approval_ref, decided_by)
       select unnest($1::bigint[]), $2, $3, $4, $5`,
      [input.ids, input.decision, reason, approvalRef, input.decidedBy],
    );
    await client.query(`update finding set status = $2, updated_at = now() where id = any($1::bigint[])`, [input.ids, STATUS_OF[input.decision]]);
    await client.query('commit');
    return input.ids;
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
}
