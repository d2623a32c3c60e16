/**
 * Limits on what one GraphQL document may ask, so that no client — careless or hostile — can make
 * the hub do unbounded work: tokens (at parse), depth and aliases (validation rules:
 * GRAPHQL_VALIDATION_FAILED), and a cost that multiplies each level by the page size it asks
 * for (`first:`) and weighs the fields that read far more than they return by what they read
 * (FIELD_COSTS), checked with the request's variables before execution (BAD_USER_INPUT). Every
 * refusal names the limit. The same cost decides which operations are expensive (admission.ts). Fragments are measured once each, so a "fragment bomb" costs no
 * more to measure than to read.
 */
import {
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionNode, type SelectionSetNode, type ValidationRule, type ValueNode,
  GraphQLError, isListType, isNonNullType, isObjectType, isInterfaceType, getNamedType, Kind,
  SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef,
} from 'graphql';
import type { Pool } from 'pg';
import { housekeeping, type HousekeepingReader } from '../db/statementCounter';

/** The page a connection returns without `first:`, and the most `first:` may ask for (src/api/connection.ts). */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/** A connection's fields about the whole list, read once however long its page. */
const ONCE_PER_LIST = new Set(['totalCount', 'pageInfo']);

export const QUERY_LIMITS = {
  /** lexical tokens in one document (graphql-js parse option) */
  maxTokens: 3000,
  /** nested field levels of the hub's own fields; introspection is bounded by the cost instead */
  maxDepth: 10,
  /** aliased fields in one document */
  maxAliases: 20,
  /** the cost of one operation (see queryCost) */
  maxCost: 100_000,
  /** the size a list without `first:` is assumed to have (members, benefits, children, …) */
  assumedListSize: 10,
} as const;

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set(d.name.value, d);
  return map;
}

function operationLabel(op: OperationDefinitionNode): string {
  return op.name ? `Operation "${op.name.value}"` : `The ${op.operation}`;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** How deep an operation nests the hub's fields; `{ a { b } }` is 2. */
export function operationDepth(document: DocumentNode, op: OperationDefinitionNode): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const depthOf = (set: SelectionSetNode, visiting: Set<string>): number => {
    let deepest = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (INTROSPECTION_ROOTS.has(s.name.value)) continue;
        deepest = Math.max(deepest, 1 + (s.selectionSet ? depthOf(s.selectionSet, visiting) : 0));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(s.selectionSet, visiting));
      } else {
        const name = s.name.value;
        const fragment = fragments.get(name);
        // unknown or cyclic fragments are the standard rules' to report
        if (!fragment || visiting.has(name)) continue;
        if (!memo.has(name)) memo.set(name, depthOf(fragment.selectionSet, new Set([...visiting, name])));
        deepest = Math.max(deepest, memo.get(name)!);
      }
    }
    return deepest;
  };
  return depthOf(op.selectionSet, new Set());
}

export function depthLimitRule(maxDepth: number = QUERY_LIMITS.maxDepth): ValidationRule {
  return (context) => ({
    Document(document) {
      for (const d of document.definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        const depth = operationDepth(document, d);
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`${operationLabel(d)} nests fields ${depth} levels deep; the query depth limit is ${maxDepth}`, { nodes: [d] }));
        }
      }
    },
  });
}

export function aliasLimitRule(maxAliases: number = QUERY_LIMITS.maxAliases): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(node: FieldNode) {
        if (node.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > maxAliases) context.reportError(new GraphQLError(`The document uses ${aliases} aliases; the alias limit is ${maxAliases}`));
        },
      },
    };
  };
}

/**
 * What the cost model knows of the data, so that a field that reads many rows to answer few costs
 * what it reads (costFiguresOf keeps them per pool, refreshed every few minutes).
 */
export interface CostFigures {
  /** people whose region lies under a region code; for the city code everyone, those with no region yet included */
  personsUnder(prefix: string): number;
  /** regions at `depth` levels below a region (0: the region itself) — 7 counties, 73 towns, 2,768 villages under Weihai */
  regionsBelow(code: string, depth: number): number;
  /** the rows of a table that only grows (the planner's estimate; 0 where it has none) */
  rowsOf(table: CountedTable): number;
  /** whether the planner has an estimate of the table (one never analysed has none) */
  measured(table: CountedTable): boolean;
}

/**
 * Tables whose lists are counted whole (they grow with every request, review and sync), and those
 * whose sizes give a nested list's length: a household's members, a person's benefits.
 */
export type CountedTable =
  | 'finding' | 'audit_event' | 'quarantined_record'
  | 'person' | 'household' | 'membership' | 'benefit' | 'disability_certificate' | 'schooling' | 'medical_settlement';
const COUNTED_TABLES: readonly CountedTable[] = [
  'finding', 'audit_event', 'quarantined_record', 'person', 'household', 'membership', 'benefit', 'disability_certificate', 'schooling', 'medical_settlement',
];

/** Without figures (a tool that checks a document alone): the Weihai fan-out by level, and no people. */
const LEVEL_FAN_OUT: Record<number, number> = { 4: 7, 6: 10, 9: 40 };
const NEXT_LEVEL: Record<number, number> = { 4: 6, 6: 9, 9: 12 };
export const NO_FIGURES: CostFigures = {
  personsUnder: () => 0,
  rowsOf: () => 0,
  measured: () => false,
  regionsBelow: (code, depth) => {
    let n = 1;
    for (let level = code.length || 4, d = 0; d < depth; d++, level = NEXT_LEVEL[level] ?? 99) n *= LEVEL_FAN_OUT[level] ?? 0;
    return n;
  },
};

/**
 * What the weights are measured in: one unit is about what returning one field of one row takes
 * (some 30 µs of the hub and its database on this machine), so the 100,000 limit is a few seconds.
 * Measured: a four-level coverage of the sample city (330 people, 2,849 regions) took 0.8 s — about
 * 0.3 ms a region in resolvers and statements whatever the people (COVERAGE_REGION_WEIGHT) — and
 * about 1 s at a 6,500-person city (issue 11), some 0.01–0.05 µs for each person compared with
 * each region: 500 people a unit errs on the dear side.
 */
export const PERSONS_PER_COST_UNIT = 500;
/** What one region's coverage costs whatever the people: its share of two statements and its figures. */
export const COVERAGE_REGION_WEIGHT = 10;
/**
 * Rows a plain count reads in one unit: the audit trail's count of a million rows took about
 * 0.35 s (some 11,000 units), so a hundred rows a unit.
 */
export const ROWS_COUNTED_PER_COST_UNIT = 100;

/** Where the rows of a region-shaped field sit: `depth` levels below the region `root`. */
interface RegionPosition {
  root: string;
  depth: number;
}

interface CostSite {
  figures: CostFigures;
  /** the viewer's region prefix: what their statements read */
  scope: string;
  /** the region position of the parent object, when it has one */
  at: RegionPosition | null;
  /** an argument of the field, with variables and defaults applied */
  arg(name: string): unknown;
  /** the fields of its `where:` (analysts, issue 17), `_and` / `_or` / `_not` walked through, and an `orderBy:` other than by id */
  whereFields: number;
  /** the rows the generic rule multiplies its per-row cost by (a connection's `first:`) */
  rowsAsked: number;
}

/**
 * The declared cost of the fields whose reading is not one row per row returned, by
 * `Type.field`. `perRow` is added for each row the field returns (beyond its selected fields),
 * `rows` replaces the list size the generic rule assumes, `position` places the rows in the region
 * tree for the fields below them.
 */
interface DeclaredCost {
  perRow?(site: CostSite): number;
  rows?(site: CostSite): number;
  position?(site: CostSite): RegionPosition;
}

/** Every person in the viewer's scope, read once per row: a count is taken over them. */
const readsScopePeople = (site: CostSite) => site.figures.personsUnder(site.scope) / PERSONS_PER_COST_UNIT;
/** A region's figures: compared with every person in the viewer's scope. */
const coverageOfRegion = (site: CostSite) => COVERAGE_REGION_WEIGHT + readsScopePeople(site);

/**
 * A list's `where:` (analysts, issue 17): none of its fields is served by an index — each is a
 * predicate (a concept's function, an exists) evaluated on every row of the viewer's scope — so
 * each costs a read of the scope, once for the list however many rows its page returns.
 */
const filtersScope = (read: (site: CostSite) => number) => (site: CostSite) => (site.whereFields * read(site)) / Math.max(site.rowsAsked, 1);
const readsBenefits = (site: CostSite) => site.figures.rowsOf('benefit') / ROWS_COUNTED_PER_COST_UNIT;

export const FIELD_COSTS: Record<string, DeclaredCost> = {
  // analysts (issue 17): the filters of the lists, and the aggregates, which read the whole scope
  'Query.persons': { perRow: filtersScope(readsScopePeople) },
  'Query.households': { perRow: filtersScope(readsScopePeople) },
  'Query.benefits': { perRow: filtersScope(readsBenefits) },
  'Query.findings': { perRow: filtersScope((site) => site.figures.rowsOf('finding') / ROWS_COUNTED_PER_COST_UNIT) },
  'BenefitConnection.totalCount': { perRow: readsBenefits },
  'Query.personsAggregate': { rows: () => 1, perRow: (site) => (1 + site.whereFields) * readsScopePeople(site) },
  'Query.benefitsAggregate': { rows: () => 1, perRow: (site) => (1 + site.whereFields) * readsBenefits(site) },

  // The coverage statement matches each region asked for against every person of the viewer's
  // scope (starts_with over their current region) and recomputes the nine categories: a
  // village's figures cost what the city's do. Measured, not guessed: see PERSONS_PER_COST_UNIT.
  'Query.coverage': {
    perRow: coverageOfRegion,
    position: (site) => {
      const code = site.arg('regionCode');
      return { root: typeof code === 'string' && /^\d{4,12}$/.test(code) ? code : site.scope, depth: 0 };
    },
  },
  // One row per region one level down: the real number of them (7 counties under the city, about
  // 10 towns per county, about 40 villages per town), not the assumed list size.
  'Coverage.children': {
    perRow: coverageOfRegion,
    rows: (site) => {
      const at = site.at ?? { root: site.scope, depth: 0 };
      const here = site.figures.regionsBelow(at.root, at.depth);
      return here > 0 ? site.figures.regionsBelow(at.root, at.depth + 1) / here : 0;
    },
    position: (site) => {
      const at = site.at ?? { root: site.scope, depth: 0 };
      return { root: at.root, depth: at.depth + 1 };
    },
  },
  // A count over every person or household matching the filter in scope, not one page.
  'PersonConnection.totalCount': { perRow: readsScopePeople },
  'HouseholdConnection.totalCount': { perRow: readsScopePeople },
  // Counts over tables that grow without bound (the audit trail gains a row per read of people).
  'FindingConnection.totalCount': { perRow: (site) => site.figures.rowsOf('finding') / ROWS_COUNTED_PER_COST_UNIT },
  'AuditEventConnection.totalCount': { perRow: (site) => site.figures.rowsOf('audit_event') / ROWS_COUNTED_PER_COST_UNIT },
  'QuarantineConnection.totalCount': { perRow: (site) => site.figures.rowsOf('quarantined_record') / ROWS_COUNTED_PER_COST_UNIT },
  // Nested lists as long as the data makes them on average (a household has two or three members,
  // not the ten assumed of a list nobody measured): a page of families is one planned statement.
  'Household.members': { rows: listOf('membership', 'household') },
  'Household.benefits': { rows: listOf('benefit', 'household') },
  'Person.benefits': { rows: listOf('benefit', 'person') },
  'Person.disability': { rows: listOf('disability_certificate', 'person') },
  'Person.schooling': { rows: listOf('schooling', 'person') },
  'Person.medicalSettlements': { rows: listOf('medical_settlement', 'person') },
};

/** A list's average length from the tables' sizes, at least 1; the assumed size where the tables are not known yet. */
function listOf(rows: CountedTable, per: CountedTable): (site: CostSite) => number {
  return (site) => {
    const owners = site.figures.rowsOf(per);
    if (!site.figures.measured(rows) || !site.figures.measured(per) || owners === 0) return QUERY_LIMITS.assumedListSize;
    return Math.max(1, Math.ceil(site.figures.rowsOf(rows) / owners));
  };
}

/**
 * What an operation costs: every field selected counts 1, times the size of every list it sits
 * in — the `first:` it asks for (default page 20 when omitted), else an assumed 10 per list — plus
 * what FIELD_COSTS declares for the fields that read more than they return. A connection's
 * `edges` take their size from the connection's `first:`.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  op: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  data: { figures: CostFigures; scope: string } = { figures: NO_FIGURES, scope: '' },
): number {
  const fragments = fragmentsOf(document);
  const memo = new Map<string, number>();
  const rootType = op.operation === 'mutation' ? schema.getMutationType() : op.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const variableDefaults = new Map(op.variableDefinitions?.map((v) => [v.variable.name.value, v.defaultValue]) ?? []);

  const intValue = (node: ValueNode | undefined): number | null => {
    if (!node) return null;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const given = variables?.[node.name.value];
      // not an Int at all: variable coercion refuses it, with a better message than a cost
      if (typeof given === 'number') return Number.isInteger(given) && Math.abs(given) <= 2 ** 31 - 1 ? given : null;
      return given === undefined ? intValue(variableDefaults.get(node.name.value) ?? undefined) : null;
    }
    return null;
  };

  const stringValue = (node: ValueNode | undefined): string | null => {
    if (!node) return null;
    if (node.kind === Kind.STRING) return node.value;
    if (node.kind === Kind.VARIABLE) {
      const given = variables?.[node.name.value];
      if (typeof given === 'string') return given;
      return given === undefined ? stringValue(variableDefaults.get(node.name.value) ?? undefined) : null;
    }
    return null;
  };

  const whereFieldsOfValue = (value: unknown, depth = 0): number => {
    if (depth > 20 || value === null || typeof value !== 'object') return 0;
    if (Array.isArray(value)) return value.reduce((n: number, v) => n + whereFieldsOfValue(v, depth + 1), 0);
    let n = 0;
    for (const [k, v] of Object.entries(value)) n += k === '_and' || k === '_or' || k === '_not' ? whereFieldsOfValue(v, depth + 1) : v === null || v === undefined ? 0 : 1;
    return n;
  };

  const whereFieldsOf = (node: ValueNode | undefined, depth = 0): number => {
    if (!node || depth > 20) return 0;
    if (node.kind === Kind.VARIABLE) return whereFieldsOfValue(variables?.[node.name.value]);
    if (node.kind === Kind.LIST) return node.values.reduce((n, v) => n + whereFieldsOf(v, depth + 1), 0);
    if (node.kind !== Kind.OBJECT) return 0;
    let n = 0;
    for (const f of node.fields) {
      const k = f.name.value;
      n += k === '_and' || k === '_or' || k === '_not' ? whereFieldsOf(f.value, depth + 1) : f.value.kind === Kind.NULL ? 0 : 1;
    }
    return n;
  };

  /**
   * An `orderBy:` on anything but the id (analysts, issue 17): no index serves a household's
   * region or size, nor a sort of every row a where lets through — it reads the scope as a filter does.
   */
  const ordersByValue = (node: ValueNode | undefined): number => {
    if (!node) return 0;
    if (node.kind === Kind.VARIABLE) {
      const given = variables?.[node.name.value] as { field?: unknown } | null | undefined;
      return given && typeof given === 'object' && given.field !== undefined && given.field !== 'ID' ? 1 : 0;
    }
    if (node.kind !== Kind.OBJECT) return 0;
    const field = node.fields.find((f) => f.name.value === 'field')?.value;
    if (field?.kind === Kind.VARIABLE) return variables?.[field.name.value] !== 'ID' ? 1 : 0;
    return field?.kind === Kind.ENUM && field.value !== 'ID' ? 1 : 0;
  };

  const fieldDef = (parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === '__typename') return TypeNameMetaFieldDef;
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  };

  const listFactor = (node: FieldNode, def: GraphQLField<unknown, unknown>): number => {
    if (def.args.some((a) => a.name === 'first')) {
      const first = intValue(node.arguments?.find((a) => a.name.value === 'first')?.value);
      return Math.max(first ?? DEFAULT_PAGE, 0);
    }
    const type = isNonNullType(def.type) ? def.type.ofType : def.type;
    if (!isListType(type)) return 1;
    return getNamedType(type).name.endsWith('Edge') ? 1 : QUERY_LIMITS.assumedListSize;
  };

  /**
   * A connection's fields and what they cost: its totalCount and pageInfo are read once per list,
   * not once per row of its page (a count of a million people asked beside fifty rows is one
   * count); the rest (edges) once per row.
   */
  const costBelow = (s: FieldNode, def: GraphQLField<unknown, unknown>, visiting: Set<string>, at: RegionPosition | null): { perRow: number; once: number } => {
    const type = getNamedType(def.type);
    if (!s.selectionSet) return { perRow: 0, once: 0 };
    if (!type.name.endsWith('Connection')) return { perRow: costOf(s.selectionSet, type, visiting, at), once: 0 };
    const onceOnly = (sel: SelectionNode) => sel.kind === Kind.FIELD && ONCE_PER_LIST.has(sel.name.value);
    const part = (keep: (sel: SelectionNode) => boolean): SelectionSetNode => ({ ...s.selectionSet!, selections: s.selectionSet!.selections.filter(keep) });
    return { perRow: costOf(part((sel) => !onceOnly(sel)), type, visiting, at), once: costOf(part(onceOnly), type, visiting, at) };
  };

  const costOf = (set: SelectionSetNode, parent: GraphQLNamedType | null | undefined, visiting: Set<string>, at: RegionPosition | null): number => {
    if (!parent) return 0;
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const def = fieldDef(parent, s.name.value);
        if (!def) continue;
        const declared = FIELD_COSTS[`${parent.name}.${s.name.value}`];
        if (!declared) {
          const below = costBelow(s, def, visiting, at);
          total += 1 + (s.selectionSet ? listFactor(s, def) * below.perRow + below.once : 0);
          continue;
        }
        const site: CostSite = {
          figures: data.figures, scope: data.scope, at, arg: (name) => stringValue(s.arguments?.find((a) => a.name.value === name)?.value),
          whereFields:
            whereFieldsOf(s.arguments?.find((a) => a.name.value === 'where')?.value) + ordersByValue(s.arguments?.find((a) => a.name.value === 'orderBy')?.value),
          rowsAsked: s.selectionSet ? listFactor(s, def) : 1,
        };
        const rows = declared.rows ? declared.rows(site) : s.selectionSet ? listFactor(s, def) : 1;
        const below = declared.position ? declared.position(site) : at;
        const fields = costBelow(s, def, visiting, below);
        total += 1 + rows * ((declared.perRow?.(site) ?? 0) + fields.perRow) + fields.once;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent, visiting, at);
      } else {
        const name = s.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        // a fragment costs differently at each region level it is spread at
        const key = at ? `${name}@${at.root}/${at.depth}` : name;
        if (!memo.has(key)) {
          memo.set(key, costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), new Set([...visiting, name]), at));
        }
        total += memo.get(key)!;
      }
    }
    return total;
  };
  return Math.ceil(costOf(op.selectionSet, rootType, new Set(), null));
}

/** Figures older than this are read again (in the background: requests use the old ones meanwhile). */
const FIGURES_MAX_AGE_MS = 10 * 60_000;

interface FiguresCache {
  loaded: CostFigures | null;
  loadedAt: number;
  loading: Promise<CostFigures> | null;
}

const figuresByPool = new WeakMap<Pool, FiguresCache>();

/**
 * The cost figures of the hub's database: people per region (counted again every ten minutes) and
 * the region tree. Shared by every plugin using the same pool; a failed read keeps the old figures
 * (or, before any, the level defaults) rather than failing requests.
 */
export async function costFiguresOf(pool: Pool): Promise<CostFigures> {
  let cache = figuresByPool.get(pool);
  if (!cache) figuresByPool.set(pool, (cache = { loaded: null, loadedAt: 0, loading: null }));
  const c = cache;
  if (!c.loading && (!c.loaded || Date.now() - c.loadedAt > FIGURES_MAX_AGE_MS)) {
    c.loading = readCostFigures(housekeeping(pool))
      .then((figures) => {
        c.loaded = figures;
        c.loadedAt = Date.now();
        return figures;
      })
      .catch(() => c.loaded ?? NO_FIGURES)
      .finally(() => {
        c.loading = null;
      });
  }
  return c.loaded ?? (await c.loading!);
}

async function readCostFigures(pool: HousekeepingReader): Promise<CostFigures> {
  const [people, regions, tables] = await Promise.all([
    pool.query<{ region: string; n: number }>(`select coalesce(region_code, '') as region, count(*)::int as n from person group by 1`),
    pool.query<{ code: string; parent: string | null }>(`select code, parent_code as parent from region`),
    // The planner's estimate: a count of a million audit rows is what the figure is there to avoid.
    pool.query<{ name: CountedTable; n: number }>(
      `select relname as name, reltuples::float8 as n from pg_class where relname = any($1::text[]) and relkind = 'r'`,
      [COUNTED_TABLES],
    ),
  ]);
  const total = people.rows.reduce((n, r) => n + r.n, 0);
  // -1: never analysed, no estimate; the people are counted exactly anyway
  const rows = new Map(tables.rows.filter((t) => Number(t.n) >= 0).map((t) => [t.name, Number(t.n)]));
  rows.set('person', total);
  const cities = new Set(regions.rows.filter((r) => r.parent === null).map((r) => r.code));
  const children = new Map<string, string[]>();
  for (const r of regions.rows) if (r.parent) (children.get(r.parent) ?? children.set(r.parent, []).get(r.parent)!).push(r.code);
  const under = new Map<string, number>();
  const below = new Map<string, number>();
  return {
    rowsOf: (table) => rows.get(table) ?? 0,
    measured: (table) => rows.has(table),
    personsUnder(prefix) {
      if (cities.has(prefix) || prefix === '') return total;
      let n = under.get(prefix);
      if (n === undefined) {
        n = people.rows.reduce((sum, r) => (r.region.startsWith(prefix) ? sum + r.n : sum), 0);
        under.set(prefix, n);
      }
      return n;
    },
    regionsBelow(code, depth) {
      const key = `${code}/${depth}`;
      let n = below.get(key);
      if (n === undefined) {
        let level = [code];
        for (let d = 0; d < depth; d++) level = level.flatMap((c) => children.get(c) ?? []);
        n = level.length;
        below.set(key, n);
      }
      return n;
    },
  };
}

export function costLimitError(cost: number, maxCost: number = QUERY_LIMITS.maxCost): GraphQLError | null {
  if (cost <= maxCost) return null;
  return new GraphQLError(
    `The query costs ${cost}; the cost limit is ${maxCost} (each field counts once per row it can return, and a coverage or a total count once per ${PERSONS_PER_COST_UNIT.toLocaleString('en')} people it counts: ask for smaller pages with first:, fewer nested lists or fewer levels of children)`,
    { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 }, cost, maxCost } },
  );
}
