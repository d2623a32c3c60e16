import type { Pool } from 'pg';

/**
 * 分派 · 核查 · 反馈 (exchange.md): the office assigns findings to a department or a town; the
 * assignee reports what it found. Both are appended, never written over: a finding assigned again
 * keeps its earlier assignments (the newest counts), and every report stays with who and when.
 */
export class AssignmentError extends Error {
  constructor(
    message: string,
    readonly argumentName: string,
    readonly forbidden = false,
  ) {
    super(message);
  }
}

export interface AssignInput {
  ids: string[];
  to: { department?: string | null; regionCode?: string | null };
  dueOn: string;
  note?: string | null;
  assignedBy: string;
}

export async function assignFindings(pool: Pool, input: AssignInput, today: string): Promise<string[]> {
  if (!input.ids.length) throw new AssignmentError('ids: name at least one finding', 'ids');
  if (input.ids.length > 500) throw new AssignmentError('ids: at most 500 findings in one assignment', 'ids');
  if (input.ids.some((id) => !/^\d{1,18}$/.test(id))) throw new AssignmentError('ids: not finding ids', 'ids');
  const department = input.to.department?.trim() || null;
  const regionCode = input.to.regionCode?.trim() || null;
  if ((department === null) === (regionCode === null)) throw new AssignmentError('to: name exactly one of department and regionCode', 'to');
  if (input.dueOn < today) throw new AssignmentError('dueOn: the due date has passed', 'dueOn');
  const ids = [...new Set(input.ids)];
  const { rows } = await pool.query<{ id: string }>(
    `with found as (select id from finding where id = any($1::bigint[]))
     insert into finding_assignment (finding_id, to_department, to_region_code, due_on, note, assigned_by)
     select id, $2, $3, $4, $5, $6 from found where (select count(*) from found) = cardinality($1::bigint[])
     returning finding_id::text as id`,
    [ids, department, regionCode, input.dueOn, input.note?.trim() || null, input.assignedBy],
  );
  if (rows.length !== ids.length) {
    const { rows: found } = await pool.query<{ id: string }>(`select id::text from finding where id = any($1::bigint[])`, [ids]);
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    throw new AssignmentError(`ids: no finding ${missing.slice(0, 5).join(', ')}`, 'ids');
  }
  return ids;
}

export interface Assignee {
  role: string;
  department: string | null;
  regionPrefix: string;
  label: string;
}

export interface ReportInput {
  findingId: string;
  result: 'CONFIRMED_ON_SITE' | 'NOT_AS_FLAGGED' | 'FIXED';
  visitedOn: string;
  note?: string | null;
}

/**
 * The assignee's report: the department the newest assignment names, or a TOWN whose region
 * contains the region code it names. Anyone else is refused (forbidden), whether or not the
 * finding exists: the refusal says nothing about findings it may not see.
 */
export async function reportVerification(pool: Pool, by: Assignee, input: ReportInput, today: string): Promise<void> {
  if (!/^\d{1,18}$/.test(input.findingId)) throw new AssignmentError('findingId: not a finding id', 'findingId');
  if (input.visitedOn > today) throw new AssignmentError('visitedOn: a visit cannot be in the future', 'visitedOn');
  const { rows } = await pool.query<{ to_department: string | null; to_region_code: string | null }>(
    `select a.to_department, a.to_region_code from finding_assignment a where a.finding_id = $1 order by a.id desc limit 1`,
    [input.findingId],
  );
  const newest = rows[0];
  const isAssignee =
    !!newest &&
    ((by.role === 'DEPARTMENT' && newest.to_department !== null && newest.to_department === by.department) ||
      (by.role === 'TOWN' && newest.to_region_code !== null && newest.to_region_code.startsWith(by.regionPrefix)));
  if (!isAssignee) throw new AssignmentError('findingId: only the department or town it is assigned to reports on a finding', 'findingId', true);
  await pool.query(
    `insert into finding_verification (finding_id, result, visited_on, note, reported_by) values ($1, $2, $3, $4, $5)`,
    [input.findingId, input.result, input.visitedOn, input.note?.trim() || null, by.label],
  );
}
