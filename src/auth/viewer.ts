/**
 * Who asks. Every resolver and loader receives the viewer and every SQL statement is scoped by
 * it, so that access control (roles, tokens) changes who the viewer is, not how data is read.
 */
export type Role = 'OFFICE' | 'TOWN' | 'DEPARTMENT' | 'ANALYST' | 'ADMIN';

export const ROLES: readonly Role[] = ['OFFICE', 'TOWN', 'DEPARTMENT', 'ANALYST', 'ADMIN'];

export interface Viewer {
  role: Role;
  /** region code prefix the viewer may see: the city code for city-wide roles */
  regionPrefix: string;
  /** the department a DEPARTMENT viewer's app belongs to (a connector name) */
  department: string | null;
  label: string;
  /** the bearer token that made this viewer; null for the hub's own tools */
  tokenId: string | null;
}

/** The viewer of the hub's own tools (no token): the leading-group office, whole city. */
export function officeViewer(city: string, label = 'local'): Viewer {
  return { role: 'OFFICE', regionPrefix: city, department: null, label, tokenId: null };
}

/** Whether a region code lies inside the viewer's scope (their prefix and everything under it). */
export function withinScope(viewer: Viewer, regionCode: string | null | undefined): boolean {
  return !!regionCode && regionCode.startsWith(viewer.regionPrefix);
}

/**
 * A SQL predicate restricting a region-code column to the viewer's scope. City-wide viewers see
 * everything, including people whose region is not known yet.
 */
export function regionScope(viewer: Viewer, city: string, column: string, params: unknown[]): string {
  if (viewer.regionPrefix === city) return 'true';
  params.push(`${viewer.regionPrefix}%`);
  return `${column} like $${params.length}`;
}
