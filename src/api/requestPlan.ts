/**
 * A request's reads planned before they run (as PostGraphile's Grafast plans): a root field looks
 * ahead at the fields asked below it, and every loader those fields' resolvers will call becomes
 * one level of a single statement — each level the loader's own batch (./batches.ts), its keys
 * taken in SQL from the level above — and the loaders are primed with the answer. The resolvers
 * then run as they always do and find their data waiting. A field the plan does not know, or
 * whose arguments it cannot read, costs its loader's own statement, as before.
 */
import { createHash } from 'node:crypto';
import type DataLoader from 'dataloader';
import {
  type FieldNode, type GraphQLField, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode,
  getArgumentValues, getDirectiveValues, getNamedType, GraphQLIncludeDirective, GraphQLSkipDirective, isObjectType,
} from 'graphql';
import type { ApiContext } from './context';
import { batchOf, type Batch } from './batches';
import { yearArgument } from './argumentChecks';
import { getsTablesOnly } from '../auth/disclosure';

type Args = Record<string, any>;

/**
 * The loaders a field's resolver calls, in order: the first keyed by a column of its parent's
 * row, each next one by the value of the one before (a person's household id, then the household).
 * The same calls the resolvers make; tests/api/requestPlan.test.ts answers every shape both ways.
 * A resolver that calls one of these loaders must be listed here or in READS_LOADERS: the plan
 * reads of a loader only the columns the fields it knows need.
 */
interface Relation {
  key: string;
  /** the key column holds a list of keys (a finding's parameter ids) */
  each?: true;
  loaders(args: Args, ctx: ApiContext): Array<DataLoader<string, any>>;
}

const RELATIONS: Record<string, Record<string, Relation>> = {
  Person: {
    household: { key: 'id', loaders: (a, c) => [c.loaders.householdOfPerson(a.asOf ?? c.today), c.loaders.householdById] },
    region: { key: 'id', loaders: (a, c) => [c.loaders.regionOfPerson(a.asOf ?? c.today), c.loaders.regionByCode] },
    benefits: { key: 'id', loaders: (a, c) => [c.loaders.benefitsOfPerson(benefitArgs(a))] },
    deceasedOn: { key: 'id', loaders: (_, c) => [c.loaders.deathOfPerson] },
    disability: { key: 'id', loaders: (_, c) => [c.loaders.facts('disability_certificate')] },
    schooling: { key: 'id', loaders: (_, c) => [c.loaders.facts('schooling')] },
    medicalSettlements: { key: 'id', loaders: (a, c) => [c.loaders.facts('medical_settlement', { year: yearArgument(a.year) })] },
    death: { key: 'id', loaders: (_, c) => [c.loaders.facts('death_record')] },
    poverty: { key: 'id', loaders: (_, c) => [c.loaders.facts('poverty_record')] },
    economicFacts: { key: 'id', loaders: (a, c) => [c.loaders.facts('economic_fact', { newestOnly: !a.history })] },
    observations: { key: 'id', loaders: (_, c) => [c.loaders.observationsOfPerson] },
  },
  Household: {
    head: { key: 'headPersonId', loaders: (_, c) => [c.loaders.personById] },
    members: { key: 'id', loaders: (a, c) => [c.loaders.membersOfHousehold(a.asOf ?? c.today)] },
    benefits: { key: 'id', loaders: (a, c) => [c.loaders.benefitsOfHousehold(benefitArgs(a))] },
    region: { key: 'regionCode', loaders: (_, c) => [c.loaders.regionByCode] },
  },
  Member: {
    person: { key: 'personId', loaders: (_, c) => [c.loaders.personById] },
  },
  Benefit: {
    programme: { key: 'programmeCode', loaders: (_, c) => [c.loaders.programmeByCode] },
    person: { key: 'personId', loaders: (_, c) => [c.loaders.personById] },
    household: { key: 'householdId', loaders: (_, c) => [c.loaders.householdById] },
    region: { key: 'regionCode', loaders: (_, c) => [c.loaders.regionByCode] },
  },
  Finding: {
    parameters: { key: 'parameterIds', each: true, loaders: (_, c) => [c.loaders.rules.parameterById] },
    decisions: { key: 'id', loaders: (_, c) => [c.loaders.rules.decisionsOf] },
    person: { key: 'personId', loaders: (_, c) => [c.loaders.personById] },
    household: { key: 'householdId', loaders: (_, c) => [c.loaders.householdById] },
    region: { key: 'regionCode', loaders: (_, c) => [c.loaders.regionByCode] },
  },
};

/** Fields answered from a row's column of another name. */
const COLUMN_OF: Record<string, string> = {
  'Person.birthYear': 'birthDate',
};

/**
 * Fields whose resolvers read several loaders by the parent's key and answer an object of their
 * own (a person's housing: security benefits and dangerous houses): each read whole.
 */
const READS_LOADERS: Record<string, { key: string; loaders: (ctx: ApiContext) => Array<DataLoader<string, any>> }> = {
  'Person.housing': { key: 'id', loaders: (c) => [c.loaders.benefitsOfPerson({}), c.loaders.facts('dangerous_house')] },
};

function benefitArgs(a: Args) {
  // both is the resolver's BAD_USER_INPUT: not planned, so that it is the resolver that says so
  if (a.activeOn && a.year) throw new Error('activeOn and year');
  return { activeOn: a.activeOn, year: yearArgument(a.year) };
}

interface Level {
  name: string;
  /** the root's own statement; a loader's level makes its statement when the plan runs */
  sql: string | null;
  batch: Batch<any> | null;
  loader: DataLoader<string, any> | null;
  keys: { bound: readonly string[] } | { level: Level; column: string; each?: true };
  /** revived rows, once read */
  rows: any[];
}

/**
 * Where a plan starts: rows of its own statement (the root's nodes, or the ids of its nodes as a
 * loader reads them), or a loader's values for keys it was given. The root's own parameters are
 * numbered from $1.
 */
export type PlanStart =
  | { sql: string; params: unknown[]; revive(row: any): void; prime?: DataLoader<string, any> }
  | { sql: string; params: unknown[]; nodes: DataLoader<string, any>; /** the statement's rows (ids and, say, a sort value) */ seen?(rows: any[]): void }
  | { loader: DataLoader<string, any>; keys: readonly string[] };

class RequestPlan {
  readonly params: unknown[] = [];
  readonly levels: Level[] = [];

  constructor(
    private readonly ctx: ApiContext,
    private readonly info: GraphQLResolveInfo,
  ) {}

  /** The columns asked of each loader's rows, over every level reading it: all, or those named. */
  private readonly wants = new Map<DataLoader<string, any>, Set<string> | 'all'>();

  /** A level reading a loader's batch for keys bound or taken from a level above; null for a loader without one. */
  read(loader: DataLoader<string, any>, keys: Level['keys']): Level | null {
    const batch = batchOf(loader);
    if (!batch) return null;
    if ('level' in keys) this.want(keys.level.loader, keys.column);
    const level: Level = { name: `l${this.levels.length}`, sql: null, batch, loader, keys, rows: [] };
    this.levels.push(level);
    return level;
  }

  start(sql: string, params: unknown[]): Level {
    this.params.push(...params);
    const level: Level = { name: `l${this.levels.length}`, sql, batch: null, loader: null, keys: { bound: [] }, rows: [] };
    this.levels.push(level);
    return level;
  }

  /**
   * Notes a column the answer needs of a loader's rows (null: all of them). The rows primed into a
   * loader serve every field that reads it in this request, so a loader gets the union of what
   * its levels need, and a field the plan does not know needs every column (RELATIONS).
   */
  private want(loader: DataLoader<string, any> | null, column: string | null): void {
    if (!loader) return;
    const wanted = this.wants.get(loader);
    if (wanted === 'all') return;
    if (column === null) this.wants.set(loader, 'all');
    else if (wanted) wanted.add(column);
    else this.wants.set(loader, new Set([column]));
  }

  /** Plans the fields asked of `type` on the rows of `level`, and below them. */
  expand(level: Level, type: GraphQLObjectType, selections: readonly SelectionSetNode[]): void {
    for (const [field, nodes] of this.fieldsOf(type, selections)) {
      const relation = RELATIONS[type.name]?.[field.name];
      const child = getNamedType(field.type);
      const below = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (!relation) {
        // a wrapper of the same rows (a list's edges and node)
        if (isObjectType(child) && CONNECTION_PARTS.has(field.name) && below.length) this.expand(level, child, below);
        // a field its resolver answers from the row: the column of its name, or the one it reads;
        // one that reads loaders of its own (a person's housing) needs their every column
        else if (READS_LOADERS[`${type.name}.${field.name}`]) {
          const { key, loaders } = READS_LOADERS[`${type.name}.${field.name}`]!;
          for (const l of loaders(this.ctx)) {
            this.read(l, { level, column: key });
            this.want(l, null);
          }
        }
        else this.want(level.loader, COLUMN_OF[`${type.name}.${field.name}`] ?? field.name);
        continue;
      }
      let loaders: Array<DataLoader<string, any>>;
      try {
        loaders = relation.loaders(getArgumentValues(field, nodes[0]!, this.info.variableValues), this.ctx);
      } catch {
        this.want(level.loader, relation.key);
        continue; // arguments the resolver will refuse
      }
      let from: Level | null = level;
      let column = relation.key;
      let each = relation.each;
      for (const loader of loaders) {
        const next: Level | null = this.read(loader, { level: from, column, ...(each && { each }) });
        each = undefined;
        // a hop on the way (a person's household id) is read whole
        if (from !== level) this.want(from.loader, null);
        if (!next) break;
        from = next;
        column = from.batch?.valueColumn ?? 'id';
      }
      if (from !== level && isObjectType(child) && below.length) this.expand(from, child, below);
      else if (from !== level) this.want(from.loader, null);
    }
  }

  /** The fields of a selection on a type, by response name, with fragments and @skip/@include applied. */
  fieldsOf(type: GraphQLObjectType, selections: readonly SelectionSetNode[]): Map<GraphQLField<unknown, unknown>, FieldNode[]> {
    const out = new Map<GraphQLField<unknown, unknown>, FieldNode[]>();
    const byResponseKey = new Map<string, FieldNode[]>();
    const visit = (set: SelectionSetNode) => {
      for (const s of set.selections) {
        if (!this.included(s)) continue;
        if (s.kind === 'Field') {
          const key = s.alias?.value ?? s.name.value;
          (byResponseKey.get(key) ?? byResponseKey.set(key, []).get(key)!).push(s);
        } else if (s.kind === 'InlineFragment') {
          if (!s.typeCondition || s.typeCondition.name.value === type.name) visit(s.selectionSet);
        } else {
          const fragment = this.info.fragments[s.name.value];
          if (fragment && fragment.typeCondition.name.value === type.name) visit(fragment.selectionSet);
        }
      }
    };
    for (const set of selections) visit(set);
    const fields = type.getFields();
    for (const nodes of byResponseKey.values()) {
      const field = fields[nodes[0]!.name.value];
      // one level per response name: aliases with other arguments are other levels
      if (field) out.set({ ...field }, nodes);
    }
    return out;
  }

  private included(node: Parameters<typeof getDirectiveValues>[1]): boolean {
    const vars = this.info.variableValues;
    if (getDirectiveValues(GraphQLSkipDirective, node, vars)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, vars)?.if !== false;
  }

  /** One statement: every level a materialized CTE, all of them back as one JSON array of arrays. */
  async run(): Promise<void> {
    if (!this.levels.length) return;
    for (const level of this.levels) {
      if (level.sql !== null) continue;
      const batch = level.batch!;
      const keys = level.keys;
      let keySql: string;
      if ('bound' in keys) {
        this.params.push(keys.bound);
        keySql = `$${this.params.length}::${batch.keyType}[]`;
      } else if (keys.each) {
        keySql = `(select array_agg(distinct e) from ${keys.level.name} k, json_array_elements_text(to_json(k."${keys.column}")) e)::${batch.keyType}[]`;
      } else {
        keySql = `(select array_agg(distinct k."${keys.column}") from ${keys.level.name} k)::${batch.keyType}[]`;
      }
      const wanted = this.wants.get(level.loader!);
      level.sql = batch.sql(keySql, this.params, wanted === 'all' || !wanted ? undefined : (c) => wanted.has(c));
    }
    const ctes = this.levels.map((l) => `${l.name} as materialized (${l.sql})`).join(',\n');
    const out = this.levels.map((l) => `(select coalesce(json_agg(${l.name}), '[]'::json) from ${l.name})`).join(', ');
    const text = `with ${ctes}\nselect json_build_array(${out}) as levels`;
    const { rows } = await this.ctx.hub.pool.query<{ levels: any[][] }>({ text, values: this.params, name: preparedName(text) });
    const read = rows[0]!.levels;
    this.levels.forEach((level, i) => {
      level.rows = read[i]!;
      if (level.batch) for (const r of level.rows) level.batch.revive(r);
    });
    for (const level of this.levels) {
      if (!level.batch || !level.loader) continue;
      const keys = 'bound' in level.keys ? level.keys.bound : distinct(level.keys.level.rows, level.keys.column, level.keys.each);
      const values = level.batch.assemble(keys, level.rows);
      keys.forEach((k, i) => level.loader!.prime(k, values[i]));
    }
  }
}

/**
 * A plan's statement is prepared on each connection (PostgreSQL then plans a request's shape once,
 * not on every request: a few milliseconds of a page's time), up to a bound, so that clients
 * sending ever new shapes cannot fill the server's memory with prepared statements.
 */
const PREPARED_SHAPES = 500;
const prepared = new Map<string, string>();

function preparedName(text: string): string | undefined {
  let name = prepared.get(text);
  if (!name && prepared.size < PREPARED_SHAPES) prepared.set(text, (name = `plan_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return name;
}

/** The fields that hold a list's rows without being a relation. */
const CONNECTION_PARTS = new Set(['edges', 'node']);

function distinct(rows: any[], column: string, each?: true): string[] {
  const seen = new Set<string>();
  for (const r of rows) {
    const v = r[column];
    for (const key of each ? (v ?? []) : [v]) if (key !== null && key !== undefined) seen.add(String(key));
  }
  return [...seen];
}

/** The names of the fields asked of a root field's answer (a list's edges, pageInfo, totalCount), as the plan reads them. */
export function fieldsAsked(ctx: ApiContext, info: GraphQLResolveInfo): Set<string> {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return new Set();
  const selections = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  return new Set([...new RequestPlan(ctx, info).fieldsOf(type, selections).keys()].map((f) => f.name));
}

/**
 * Runs a root field's reads as one statement: its own rows (or a loader's, for keys it was given)
 * and everything its selection will ask of them. Returns the root's nodes in the statement's
 * order (or the loader's values in the keys' order).
 */
export async function plannedRead<T>(ctx: ApiContext, info: GraphQLResolveInfo, start: PlanStart): Promise<Array<T | null>> {
  if (!ctx.hub.config.database.planRequests) return unplannedRead(ctx, start);
  const plan = new RequestPlan(ctx, info);
  let nodes: Level | null;
  let ids: Level | null = null;
  if ('loader' in start) {
    nodes = plan.read(start.loader, { bound: start.keys });
  } else if ('nodes' in start) {
    ids = plan.start(start.sql, start.params);
    nodes = plan.read(start.nodes, { level: ids, column: 'id' });
  } else {
    nodes = plan.start(start.sql, start.params);
  }
  const type = getNamedType(info.returnType);
  // Analysts get counts, never rows below a root: nothing to plan for them.
  if (nodes && isObjectType(type) && !getsTablesOnly(ctx.viewer)) {
    plan.expand(nodes, type, info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])));
  }
  await plan.run();
  if ('loader' in start) return (await start.loader.loadMany(start.keys)) as Array<T | null>;
  if ('nodes' in start) {
    start.seen?.(ids!.rows);
    return (await start.nodes.loadMany(ids!.rows.map((r) => String(r.id)))) as Array<T | null>;
  }
  for (const r of nodes!.rows) start.revive(r);
  if (start.prime) for (const r of nodes!.rows) start.prime.prime(r.id, r);
  return nodes!.rows as T[];
}

/** The same read without looking ahead: the root's statement, then each loader as its resolver calls it. */
async function unplannedRead<T>(ctx: ApiContext, start: PlanStart): Promise<Array<T | null>> {
  if ('loader' in start) return (await start.loader.loadMany(start.keys)) as Array<T | null>;
  const { rows } = await ctx.hub.pool.query(start.sql, start.params);
  if ('nodes' in start) {
    start.seen?.(rows);
    return (await start.nodes.loadMany(rows.map((r) => String(r.id)))) as Array<T | null>;
  }
  for (const r of rows) start.revive(r);
  if (start.prime) for (const r of rows) start.prime.prime(r.id, r);
  return rows as T[];
}
