/**
 * 统计披露控制 Statistical disclosure control: what an ANALYST token gets is tables, never
 * microdata (api.md, "What ANALYST sees"), the way statistics offices publish.
 *
 * - No person-level rows: a field that returns a person-level object (a Person, a Household, a
 *   Finding, …) is FORBIDDEN wherever it is reached, and lists give their `totalCount` only
 *   (src/api/types/Connection.ts).
 * - Every count: 1 … min_cell_size − 1 is suppressed (null, `suppressed: true`), any other is
 *   rounded to the nearest multiple of 5 (0 stays 0), so a suppressed cell does not follow
 *   exactly from a total minus the other cells.
 * - Dates by month: every date argument is taken as its month's last day (`from` as its first),
 *   and "today" as this month's last day, so no answer changes inside a month — a per-person
 *   fact that changes on a day (an 18th birthday) cannot be located by asking day by day.
 * - No argument on identity fields (name, ID number, birth date).
 *
 * The argument rules and the refusal of person-level types are applied to the built schema
 * (`withDisclosureControl`), so a new field is covered by its types, not by remembering to call
 * something; counts go through `disclosedCount` where they are made.
 */
import {
  defaultFieldResolver, getNamedType, type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLSchema,
  isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType,
} from 'graphql';
import type { Pool } from 'pg';
import type { Viewer } from './viewer';
import { describeViewer, forbidden } from './policy';

/** The role that receives tables only. */
export function getsTablesOnly(viewer: Viewer): boolean {
  return viewer.role === 'ANALYST';
}

/** What a request brings to disclosure control (an ApiContext has it all). */
export interface DisclosureContext {
  viewer: Viewer;
  /** the day "today" means for this request: for tables only, this month's last day (`reportingDay`) */
  today: string;
  hub: { pool: Pool };
}

// ---------------------------------------------------------------------------------------------
// Counts

/** The smallest count published when no `min_cell_size` row applies (parameters.md). */
export const DEFAULT_MIN_CELL_SIZE = 5;
/** Published counts are multiples of this. */
export const ROUNDING_BASE = 5;

export interface DisclosedCount {
  /** null when suppressed */
  value: number | null;
  suppressed: boolean;
}

/** The rule itself: 0 stays 0, 1 … minCellSize − 1 is suppressed, anything else rounded to 5. */
export function suppressAndRound(n: number, minCellSize: number): DisclosedCount {
  if (n === 0) return { value: 0, suppressed: false };
  if (n < minCellSize) return { value: null, suppressed: true };
  return { value: Math.round(n / ROUNDING_BASE) * ROUNDING_BASE, suppressed: false };
}

const minCellSizes = new WeakMap<object, Map<string, Promise<number>>>();

/** `min_cell_size` for a region on a day (a dated parameter), read once per request and key. */
export function minCellSize(ctx: DisclosureContext, regionCode: string, day: string): Promise<number> {
  let cache = minCellSizes.get(ctx);
  if (!cache) minCellSizes.set(ctx, (cache = new Map()));
  const key = `${regionCode}|${day}`;
  let size = cache.get(key);
  if (!size) {
    size = ctx.hub.pool
      .query<{ value: string }>(`select value from weijiu_param('min_cell_size', $1, $2::date)`, [regionCode, day])
      .then(({ rows }) => {
        const value = Number(rows[0]?.value);
        // A row that is not a positive whole number must not lower protection: use the default.
        return Number.isInteger(value) && value >= 1 ? value : DEFAULT_MIN_CELL_SIZE;
      });
    cache.set(key, size);
  }
  return size;
}

/**
 * The largest `min_cell_size` in force on a day for a region or any region under it: a list's
 * count may be about any part of its scope (a filter, a programme, a few villages), so the
 * strictest threshold within it applies — a county's higher threshold must not be sidestepped by
 * counting the county through a city-wide list.
 */
export function strictestMinCellSize(ctx: DisclosureContext, scope: string, day: string): Promise<number> {
  let cache = minCellSizes.get(ctx);
  if (!cache) minCellSizes.set(ctx, (cache = new Map()));
  const key = `${scope}*|${day}`;
  let size = cache.get(key);
  if (!size) {
    size = Promise.all([
      minCellSize(ctx, scope, day),
      ctx.hub.pool
        .query<{ value: number | null }>(
          `select max(value::int) as value from (
             select distinct on (region_code) value from parameter
              where name = 'min_cell_size' and valid_from <= $2::date and starts_with(region_code, $1) and region_code <> $1
                and value ~ '^[0-9]{1,6}$'
              order by region_code, valid_from desc) newest`,
          [scope, day],
        )
        .then(({ rows }) => rows[0]?.value ?? 0),
    ]).then(([own, below]) => Math.max(own, below));
    cache.set(key, size);
  }
  return size;
}

/**
 * A count as this viewer may receive it: exact for every role but the one that gets tables,
 * which gets it suppressed or rounded under the `min_cell_size` of the count's region and day —
 * or, for a count that may be about any part of a scope (`within`), the strictest under it.
 */
export async function disclosedCount(
  ctx: DisclosureContext,
  n: number,
  where: { regionCode: string; day: string; within?: boolean },
): Promise<DisclosedCount> {
  if (!getsTablesOnly(ctx.viewer)) return { value: n, suppressed: false };
  const threshold = where.within ? strictestMinCellSize(ctx, where.regionCode, where.day) : minCellSize(ctx, where.regionCode, where.day);
  return suppressAndRound(n, await threshold);
}

// ---------------------------------------------------------------------------------------------
// Dates by month

/** The last day of a `YYYY-MM-DD` day's month. */
export function monthEnd(day: string): string {
  const [y, m] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  return `${day.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

/** The first day of a `YYYY-MM-DD` day's month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}

/** A day as this viewer's question uses it: for tables only, its month's last day (its first for a `from`). */
export function byMonth(viewer: Viewer, day: string, end: 'first' | 'last' = 'last'): string {
  if (!getsTablesOnly(viewer)) return day;
  return end === 'first' ? monthStart(day) : monthEnd(day);
}

/** What "today" means for a viewer (the default of every date argument): for tables only, this month's last day. */
export function reportingDay(viewer: Viewer, today: string): string {
  return byMonth(viewer, today);
}

// ---------------------------------------------------------------------------------------------
// The schema: person-level types refused, date arguments by month, identity arguments refused

/**
 * Types whose objects are about one person or one household (or name them). A new type of
 * that kind belongs here; the audit plugin's list (auditPlugin.ts) names the same kind of types.
 */
export const PERSON_LEVEL_TYPES: ReadonlySet<string> = new Set([
  'Person', 'Household', 'Member', 'Benefit', 'Finding', 'Evidence', 'AuditEvent', 'QuarantinedRecord',
]);

/** Argument and input field names that identify a person. */
export const IDENTITY_ARGUMENTS: ReadonlySet<string> = new Set(['name', 'idNumber', 'personIdNumber', 'birthDate']);

/** Date arguments that start a period: taken as their month's first day. */
const PERIOD_STARTS = new Set(['from']);

const DATE_SCALAR = 'Date';

/** Whether a type (through lists and input objects) holds a date or an identity field. */
function needsRewrite(type: GraphQLInputType, seen = new Set<string>()): boolean {
  if (isNonNullType(type) || isListType(type)) return needsRewrite(type.ofType, seen);
  if (isScalarType(type)) return type.name === DATE_SCALAR;
  if (!isInputObjectType(type) || seen.has(type.name)) return false;
  seen.add(type.name);
  return Object.values(type.getFields()).some((f) => IDENTITY_ARGUMENTS.has(f.name) || needsRewrite(f.type, seen));
}

/** An argument value as a tables-only viewer's question uses it; FORBIDDEN for an identity field. */
function rewrite(viewer: Viewer, type: GraphQLInputType, value: unknown, name: string, path: string): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return rewrite(viewer, type.ofType, value, name, path);
  if (isListType(type)) return Array.isArray(value) ? value.map((v) => rewrite(viewer, type.ofType, v, name, path)) : value;
  if (isScalarType(type)) {
    return type.name === DATE_SCALAR && typeof value === 'string' ? byMonth(viewer, value, PERIOD_STARTS.has(name) ? 'first' : 'last') : value;
  }
  if (!isInputObjectType(type) || typeof value !== 'object') return value;
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...input };
  for (const field of Object.values(type.getFields())) {
    if (!(field.name in input)) continue;
    out[field.name] = rewriteArgument(viewer, field, input[field.name], `${path}.${field.name}`);
  }
  return out;
}

function rewriteArgument(viewer: Viewer, arg: Pick<GraphQLArgument, 'name' | 'type'>, value: unknown, path: string): unknown {
  if (IDENTITY_ARGUMENTS.has(arg.name) && value !== null && value !== undefined) {
    throw forbidden(`${path}: ${describeViewer(viewer)} gets tables, not people: no question may name a person (name, ID number, birth date)`);
  }
  return rewrite(viewer, arg.type, value, arg.name, path);
}

function rowsRefused(field: GraphQLField<unknown, unknown>, typeName: string): GraphQLField<unknown, unknown>['resolve'] {
  const resolve = field.resolve ?? defaultFieldResolver;
  return (source, args, context, info) => {
    const viewer = (context as { viewer?: Viewer }).viewer;
    if (viewer && getsTablesOnly(viewer)) {
      throw forbidden(
        `${typeName}.${field.name}: ${describeViewer(viewer)} gets no person-level rows; ask for counts (a list's totalCount, coverage)`,
      );
    }
    return resolve(source, args, context, info);
  };
}

function argumentsByMonth(field: GraphQLField<unknown, unknown>): GraphQLField<unknown, unknown>['resolve'] {
  const resolve = field.resolve ?? defaultFieldResolver;
  return (source, args, context, info) => {
    const viewer = (context as { viewer?: Viewer }).viewer;
    if (!viewer || !getsTablesOnly(viewer)) return resolve(source, args, context, info);
    const rewritten: Record<string, unknown> = { ...args };
    for (const arg of field.args) if (arg.name in args) rewritten[arg.name] = rewriteArgument(viewer, arg, args[arg.name], arg.name);
    return resolve(source, rewritten, context, info);
  };
}

/**
 * Applies disclosure control to every field of the built schema that needs it: fields returning
 * person-level types refuse a tables-only viewer; fields with date or identity arguments see
 * them by month, or refuse them. Mutations are left alone (a tables-only role has none, and a
 * date written is a fact, not a question). Other roles pass through unchanged.
 */
export function withDisclosureControl(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === mutation) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.some((a) => IDENTITY_ARGUMENTS.has(a.name) || needsRewrite(a.type))) field.resolve = argumentsByMonth(field);
      // Outermost, so that a refused field does not first have its arguments examined.
      if (PERSON_LEVEL_TYPES.has(getNamedType(field.type).name)) field.resolve = rowsRefused(field, type.name);
    }
  }
  return schema;
}
