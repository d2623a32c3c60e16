/**
 * Limits on what one GraphQL document may ask, so that no client — careless or hostile — can make
 * the hub do unbounded work: tokens (at parse), depth and aliases (validation rules:
 * GRAPHQL_VALIDATION_FAILED), and a cost that multiplies each level by the page size it asks
 * for (`first:`), checked with the request's variables before execution (BAD_USER_INPUT). Every
 * refusal names the limit. Fragments are measured once each, so a "fragment bomb" costs no
 * more to measure than to read.
 */
import {
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode, type ValidationRule, type ValueNode,
  GraphQLError, isListType, isNonNullType, isObjectType, isInterfaceType, getNamedType, Kind,
  SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef,
} from 'graphql';
import { DEFAULT_PAGE } from '../api/connection';

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
 * What an operation costs: every field selected counts 1, times the size of every list it sits
 * in — the `first:` it asks for (default page 20 when omitted), else an assumed 10 per list.
 * A connection's `edges` take their size from the connection's `first:`.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  op: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
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

  const costOf = (set: SelectionSetNode, parent: GraphQLNamedType | null | undefined, visiting: Set<string>): number => {
    if (!parent) return 0;
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const def = fieldDef(parent, s.name.value);
        if (!def) continue;
        total += 1 + (s.selectionSet ? listFactor(s, def) * costOf(s.selectionSet, getNamedType(def.type), visiting) : 0);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent, visiting);
      } else {
        const name = s.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        if (!memo.has(name)) {
          memo.set(name, costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), new Set([...visiting, name])));
        }
        total += memo.get(name)!;
      }
    }
    return total;
  };
  return costOf(op.selectionSet, rootType, new Set());
}

export function costLimitError(cost: number, maxCost: number = QUERY_LIMITS.maxCost): GraphQLError | null {
  if (cost <= maxCost) return null;
  return new GraphQLError(
    `The query costs ${cost}; the cost limit is ${maxCost} (each field counts once per row it can return: ask for smaller pages with first:, or fewer nested lists)`,
    { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
  );
}
