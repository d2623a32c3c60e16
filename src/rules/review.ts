import { type EntityManager, LockMode, raw } from '@mikro-orm/core';
import type { Pool } from 'pg';
import { entityManagerFor } from '../db/database';
import { Finding, FindingDecision } from '../graph/entities';
import { writeDecisionEvents, type Sql } from '../db/changeLog';
import { todayInShanghai } from '../identity';

/**
 * The leading-group office's review of findings (rules.md "Review"): CONFIRM (a wrong payment, to
 * be stopped or recovered), DISMISS (with a reason) or EXCEPTION (re-assistance approved, with the
 * approval reference). Every decision is kept with who, when and why; a later one supersedes the
 * status, never the record of the earlier one.
 */
export type Decision = 'CONFIRM' | 'DISMISS' | 'EXCEPTION';

export const STATUS_OF: Record<Decision, 'CONFIRMED' | 'DISMISSED' | 'EXCEPTION'> = { CONFIRM: 'CONFIRMED', DISMISS: 'DISMISSED', EXCEPTION: 'EXCEPTION' };

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
  return entityManagerFor(pool).transactional(async (em) => {
    const found = await em.find(Finding, { id: { $in: input.ids } }, { fields: ['id'], lockMode: LockMode.PESSIMISTIC_WRITE });
    const missing = input.ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new ReviewError(`ids: no finding ${missing.slice(0, 5).join(', ')}`, 'ids');
    for (const id of input.ids) em.create(FindingDecision, { finding: id, decision: input.decision, reason, approvalRef, decidedBy: input.decidedBy });
    await em.flush();
    // The findings' new status is one set-based statement over up to 500 rows, not 500 entities
    // loaded whole and flushed: the finding table is the rule runs', written by their SQL.
    await em.nativeUpdate(Finding, { id: { $in: input.ids } }, { status: STATUS_OF[input.decision], updatedAt: raw('now()') });
    // FINDING_DECIDED commits with the decision (src/db/changeLog.ts)
    await writeDecisionEvents(inTransaction(em), input.ids, todayInShanghai());
    return input.ids;
  });
}

/** The ORM transaction's connection as the change log writes through it: pg's `$n` as knex's `?`. */
function inTransaction(em: EntityManager): Sql {
  return {
    async query(text: string, values: unknown[] = []) {
      const bindings: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
        bindings.push(values[Number(n) - 1]);
        return '?';
      });
      const rows = await em.getConnection().execute(sql, bindings as any[], 'all', em.getTransactionContext());
      return { rows: rows as any[], rowCount: (rows as unknown[]).length };
    },
  };
}
