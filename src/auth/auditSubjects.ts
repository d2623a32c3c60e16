/**
 * Whom an answer is about, noted as it resolves: every field returning a person-level object
 * names its subjects — a Person by itself, a Member, Benefit or Finding by its person, a
 * Household by its head — on the request's context, for the audit plugin to write
 * (./auditPlugin.ts). Applied to the built schema, so a new field returning such a type is
 * covered by its type; only those fields are wrapped, where a per-field plugin hook would have
 * cost every field of every answer.
 */
import { defaultFieldResolver, getNamedType, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import type { Viewer } from './viewer';
import { seesRawQuarantine } from './policy';

type Row = Record<string, unknown>;

/** What a request read of people, by the objects that resolved and by what resolvers noted themselves. */
export interface AuditedSubjects {
  persons: Set<string>;
  households: Set<string>;
  /** quarantined records read whole (their raw content, which only the office gets unmasked) */
  quarantinedRecords: Set<string>;
}

export function noSubjects(): AuditedSubjects {
  return { persons: new Set(), households: new Set(), quarantinedRecords: new Set() };
}

/** The GraphQL types whose objects are about people, and whom each names. */
export const SUBJECTS_OF: Record<string, (row: Row, into: AuditedSubjects) => void> = {
  Person: (r, s) => add(s.persons, r.id),
  Member: (r, s) => add(s.persons, r.personId),
  Household: (r, s) => add(s.households, r.id),
  Benefit: (r, s) => {
    add(s.persons, r.personId);
    add(s.households, r.householdId);
  },
  Finding: (r, s) => {
    add(s.persons, r.personId);
    add(s.households, r.householdId);
  },
  ScreeningRow: (r, s) => add(s.persons, r.personId),
};

/** The fields of a quarantined record that carry it as received; the rest says why it was refused. */
const QUARANTINE_CONTENT = new Set(['raw', 'value', 'recordKey']);

function add(set: Set<string>, id: unknown): void {
  if (typeof id === 'string' || typeof id === 'number') set.add(String(id));
}

function collect(value: unknown, named: (row: Row, into: AuditedSubjects) => void, into: AuditedSubjects): void {
  if (Array.isArray(value)) for (const v of value) collect(v, named, into);
  else if (value !== null && typeof value === 'object' && !(value instanceof Error)) named(value as Row, into);
}

export interface AuditedContext {
  viewer: Viewer;
  audited: AuditedSubjects;
}

function then(value: unknown, next: (v: unknown) => void): unknown {
  if (value instanceof Promise) {
    return value.then((v) => {
      next(v);
      return v;
    });
  }
  next(value);
  return value;
}

export function withAuditedSubjects<S extends GraphQLSchema>(schema: S): S {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, AuditedContext> = field.resolve ?? defaultFieldResolver;
      if (type.name === 'QuarantinedRecord' && QUARANTINE_CONTENT.has(field.name)) {
        field.resolve = (root, args, ctx, info) =>
          then(resolve(root, args, ctx, info), () => {
            if (seesRawQuarantine(ctx.viewer)) add(ctx.audited.quarantinedRecords, (root as Row).id);
          });
        continue;
      }
      const named = SUBJECTS_OF[getNamedType(field.type).name];
      if (!named) continue;
      field.resolve = (root, args, ctx, info) => then(resolve(root, args, ctx, info), (v) => collect(v, named, ctx.audited));
    }
  }
  return schema;
}
