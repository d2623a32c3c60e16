import type { Viewer } from './viewer';

/**
 * The findings a DEPARTMENT token may read: those whose newest assignment names its department
 * (exchange.md; api.md "findings … assigned to it"). Other roles are scoped by region
 * (./viewer.ts `regionScope`); for them this is `true`. A SQL predicate over `alias` (finding).
 */
export function assignedScope(viewer: Viewer, alias: string, params: unknown[]): string {
  if (viewer.role !== 'DEPARTMENT') return 'true';
  params.push(viewer.department ?? '');
  return `exists (select 1 from finding_assignment a where a.finding_id = ${alias}.id and a.to_department = $${params.length}
                     and not exists (select 1 from finding_assignment n where n.finding_id = a.finding_id and n.id > a.id))`;
}

/** An expression of the newest assignment of finding `alias` (filters assignedTo, overdue). */
export const newestAssignment = (alias: string, expression: string) =>
  `(select ${expression} from finding_assignment a where a.finding_id = ${alias}.id order by a.id desc limit 1)`;
