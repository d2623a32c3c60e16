/**
 * What each role may do (docs/roles-and-tokens.md). Operations that are not about people's data
 * (coverage, connectors, quarantine, the audit trail, the office's mutations) name the permission
 * they need with type-graphql's `@Authorized(...)`; who may read which field of people's data is
 * the table in ./fieldVisibility.ts. Rows are scoped by the viewer in the SQL that reads them
 * (./viewer.ts `regionScope`, the department's own feed in the fact loaders).
 */
import { GraphQLError } from 'graphql';
import type { AuthCheckerFn } from 'type-graphql';
import { personFactDepartments } from '../../connectors';
import type { Role, Viewer } from './viewer';

/**
 * The departments whose facts about people have fields of their own on Person (each field a row
 * of ./fieldVisibility.ts, tests/auth/fieldVisibility.test.ts). A new department needs no entry:
 * its connector's `personFacts` make it one of factDepartments() below.
 */
export const FACT_DEPARTMENTS = ['disability', 'education', 'health', 'housing', 'poverty-relief', 'economic-check'] as const;
export type FactDepartment = (typeof FACT_DEPARTMENTS)[number];

/** Every department with facts about people: the above, and the connectors declaring `personFacts`. */
export function factDepartments(): string[] {
  return [...new Set<string>([...FACT_DEPARTMENTS, ...personFactDepartments()])];
}

export type Permission =
  /** person(idNumber:): look a named person up */
  | 'person:lookup'
  /** persons, households: lists of the city's people (and on them identities, categories and benefits) */
  | 'people'
  /** what each feed says a person is called */
  | 'observations'
  | 'findings'
  /** reviewFindings */
  | 'findings:review'
  /** setParameter */
  | 'parameters:write'
  | 'coverage'
  | 'connectors'
  | 'quarantine'
  | 'audit'
  /** registerOperation: the DEPARTMENT apps' allow-list */
  | 'operations:register'
  | `facts:${FactDepartment}`
  /** a department's facts shown generically (Person.departmentFacts) */
  | `facts:${string}`;

/** Read when asked: a connector registered later (a test's example department) adds its facts. */
const allFacts = () => factDepartments().map((d) => `facts:${d}` as const);

const GRANTS: Record<Exclude<Role, 'DEPARTMENT'>, readonly Permission[] | (() => readonly Permission[])> = {
  OFFICE: () => [
    'person:lookup', 'people', 'observations', 'findings', 'findings:review', 'parameters:write', 'coverage', 'connectors',
    'quarantine', 'audit', 'operations:register', ...allFacts(),
  ],
  TOWN: () => ['person:lookup', 'people', 'observations', 'findings', 'coverage', ...allFacts()],
  // Masked people in lists, never a named lookup: an analyst who knows an ID number learns nothing new.
  ANALYST: ['people', 'findings', 'coverage'],
  ADMIN: ['connectors', 'quarantine'],
};

export function permissionsOf(viewer: Viewer): ReadonlySet<Permission> {
  if (viewer.role === 'DEPARTMENT') {
    const own = factDepartments().includes(viewer.department ?? '') ? [`facts:${viewer.department}` as Permission] : [];
    // No listing of the city: a department reads the people it looks up by ID number.
    return new Set<Permission>(['person:lookup', 'observations', ...own]);
  }
  const grants = GRANTS[viewer.role];
  return new Set(typeof grants === 'function' ? grants() : grants);
}

export function allows(viewer: Viewer, permission: Permission): boolean {
  return permissionsOf(viewer).has(permission);
}

/** ID numbers and names in full. Analysts see `371002********1232` and `张**`. */
export function seesIdentities(viewer: Viewer): boolean {
  return viewer.role !== 'ANALYST';
}

/** The values a finding compared and the records as registries sent them. */
export function seesRawValues(viewer: Viewer): boolean {
  return viewer.role !== 'ANALYST';
}

/** Quarantined records whole; the operators (ADMIN) see them with ID numbers and names masked. */
export function seesRawQuarantine(viewer: Viewer): boolean {
  return viewer.role === 'OFFICE';
}

/** DEPARTMENT apps run only registered documents and see no schema. */
export function runsOnlyRegisteredOperations(viewer: Viewer): boolean {
  return viewer.role === 'DEPARTMENT';
}

export function mayIntrospect(viewer: Viewer): boolean {
  return viewer.role !== 'DEPARTMENT';
}

export function describeViewer(viewer: Viewer): string {
  if (viewer.role === 'DEPARTMENT') return `a DEPARTMENT token (${viewer.department})`;
  if (viewer.role === 'TOWN') return `a TOWN token (${viewer.regionPrefix})`;
  return `${/^[AEIOU]/.test(viewer.role) ? 'an' : 'a'} ${viewer.role} token`;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/**
 * type-graphql's check for `@Authorized(permission…)`: every named permission is needed. A refusal
 * names the field and the role, so a department developer knows what to ask the office for.
 */
export const authChecker: AuthCheckerFn<{ viewer: Viewer }, Permission> = ({ context, info }, needed) => {
  const missing = needed.find((p) => !allows(context.viewer, p));
  if (missing) {
    throw forbidden(`${info.parentType.name}.${info.fieldName}: ${describeViewer(context.viewer)} may not read or change this (it needs "${missing}")`);
  }
  return true;
};
