import type { Pool, PoolClient } from 'pg';
import { inside, ownerOf, refuseNul, ScreeningForbidden, ScreeningInputError, type Actor } from './screenings';

export type EvaluationDecision = 'APPROVE' | 'REJECT' | 'REFER';

export interface Evaluation {
  ids?: string[] | null;
  screeningId?: string | null;
  filter?: { verdict?: string[] | null; reason?: string[] | null } | null;
  decision: EvaluationDecision;
  note?: string | null;
  approvalRef?: string | null;
}

/** At most this many rows in one evaluation by ids (a filter may reach a whole list). */
export const MAX_EVALUATION_IDS = 10_000;

/**
 * 评估: a decision on rows named by id, or on every row of one screening matching a filter.
 * OFFICE evaluates any screening, TOWN those of its region; nobody evaluates a list their own
 * token submitted; APPROVE of a LEADING_GROUP row needs the leading group's approval reference.
 * Returns the ids of the rows decided on, in row order.
 */
export async function evaluateScreeningRows(pool: Pool, actor: Actor, input: Evaluation): Promise<string[]> {
  refuseNul(input.note, 'note');
  refuseNul(input.approvalRef, 'approvalRef');
  const note = input.note?.trim() || null;
  const approvalRef = input.approvalRef?.trim() || null;
  if (actor.role !== 'OFFICE' && actor.role !== 'TOWN') throw new ScreeningForbidden(`evaluateScreeningRows: a ${actor.role} token may not evaluate screenings`);
  const byIds = !!input.ids && input.ids.length > 0;
  if (byIds === !!input.screeningId) throw new ScreeningInputError('input: name either ids, or a screeningId with a filter', byIds ? 'screeningId' : 'ids');
  if (byIds && input.ids!.length > MAX_EVALUATION_IDS) throw new ScreeningInputError(`ids: at most ${MAX_EVALUATION_IDS} rows in one evaluation`, 'ids');
  if (byIds && input.ids!.some((id) => !/^\d{1,18}$/.test(id))) throw new ScreeningInputError('ids: not screening row ids', 'ids');
  if (input.screeningId && !/^\d{1,18}$/.test(input.screeningId)) throw new ScreeningInputError('screeningId: not a screening id', 'screeningId');
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string; verdict: string; screeningId: string; regionCode: string; submittedToken: string | null; withdrawn: boolean }>(
      `select r.id, r.verdict, s.id as "screeningId", s.region_code as "regionCode", s.submitted_token as "submittedToken", s.withdrawn_at is not null as withdrawn
         from screening_row r join screening s on s.id = r.screening_id
        where ${byIds ? 'r.id = any($1::bigint[])' : 'r.screening_id = $1::bigint'}
          and ($2::text[] is null or r.verdict = any($2::text[]))
          and ($3::text[] is null or r.reason_codes && $3::text[])
        order by s.id, r.row_number
          for update of r`,
      [byIds ? input.ids : input.screeningId, byIds ? null : (input.filter?.verdict ?? null), byIds ? null : (input.filter?.reason ?? null)],
    );
    const visible = rows.filter((r) => actor.role === 'OFFICE' || inside(r.regionCode, actor.regionPrefix));
    if (byIds) {
      const missing = input.ids!.filter((id) => !visible.some((r) => r.id === id));
      if (missing.length) throw new ScreeningInputError(`ids: no screening row ${missing.slice(0, 5).join(', ')}`, 'ids');
    } else if (!visible.length && !(await screeningVisible(client, actor, input.screeningId!))) {
      throw new ScreeningInputError(`screeningId: no screening ${input.screeningId}`, 'screeningId');
    }
    const submitter = byIds ? null : await ownerOf(client, input.screeningId!);
    const own = (token: string | null) => token !== null && token === actor.tokenId;
    if (visible.some((r) => own(r.submittedToken)) || (submitter && own(submitter.submittedToken))) {
      throw new ScreeningForbidden('evaluateScreeningRows: nobody evaluates a list their own token submitted (separation of duties): a colleague’s token decides');
    }
    if (visible.some((r) => r.withdrawn)) throw new ScreeningInputError('a withdrawn screening is not evaluated', byIds ? 'ids' : 'screeningId');
    if (input.decision === 'APPROVE' && !approvalRef && visible.some((r) => r.verdict === 'LEADING_GROUP')) {
      throw new ScreeningInputError('approvalRef: approving a LEADING_GROUP row needs the leading group’s approval reference (领导小组研究通过)', 'approvalRef');
    }
    await client.query(
      `insert into screening_evaluation (row_id, decision, note, approval_ref, decided_by, decided_token)
       select unnest($1::bigint[]), $2, $3, $4, $5, $6`,
      [visible.map((r) => r.id), input.decision, note, approvalRef, actor.label, actor.tokenId],
    );
    await client.query('commit');
    return visible.map((r) => r.id);
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
}

async function screeningVisible(client: PoolClient, actor: Actor, id: string): Promise<boolean> {
  const s = await ownerOf(client, id);
  return !!s && (actor.role === 'OFFICE' || inside(s.regionCode, actor.regionPrefix));
}
