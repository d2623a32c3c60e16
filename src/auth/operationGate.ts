/**
 * The checks a whole operation passes before any resolver runs (an Apollo plugin,
 * didResolveOperation): a DEPARTMENT app runs only registered documents and sees no schema, no
 * operation costs more than the limit, and no string holds a NUL character (PostgreSQL text
 * cannot, so it would fail deep inside a statement). Refusals are request errors with a 4xx status.
 * Errors sent to a viewer without introspection suggest no names of the schema.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, type DocumentNode, GraphQLError, Kind, type OperationDefinitionNode, type SelectionSetNode, visit } from 'graphql';
import type { Pool } from 'pg';
import type { Viewer } from './viewer';
import { isRegisteredFor, operationSha256 } from './operationAllowList';
import { describeViewer, mayIntrospect, runsOnlyRegisteredOperations } from './policy';
import { costFiguresOf, costLimitError, QUERY_LIMITS, queryCost } from './queryLimits';

function refused(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** Whether the operation asks for the schema (`__schema`, `__type`); `__typename` is not introspection. */
export function usesIntrospection(document: DocumentNode, op: OperationDefinitionNode): boolean {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type' || (!!s.selectionSet && visit(s.selectionSet));
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      const fragment = fragments.get(s.name.value);
      return !!fragment && visit(fragment.selectionSet);
    });
  return visit(op.selectionSet);
}

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 50) return false;
  return Object.values(value).some((v) => holdsNul(v, depth + 1));
}

function documentHoldsNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The message without graphql-js's closing suggestion, which always ends it. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [\s\S]*\?$/, '');
}

export function operationGate<C extends { viewer: Viewer }>(pool: Pool, maxCost: number = QUERY_LIMITS.maxCost): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, source, document, operation, request, schema }) {
          const { viewer } = contextValue;
          if (runsOnlyRegisteredOperations(viewer)) {
            const sha256 = operationSha256(source);
            if (!(await isRegisteredFor(pool, sha256, viewer.department))) {
              throw refused(
                `${describeViewer(viewer)} runs only registered operations, and this document (sha256 ${sha256}) is not registered: ask the office to register it (weijiu operations add FILE)`,
              );
            }
          }
          if (holdsNul(request.variables) || documentHoldsNul(document)) {
            throw new GraphQLError('A string argument holds a NUL character (U+0000), which no value of the hub can contain', {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          // no such operation in the document: execution answers that
          if (!operation) return;
          if (!mayIntrospect(viewer) && usesIntrospection(document, operation)) {
            throw refused(`introspection is not available to ${describeViewer(viewer)}: the schema is published as schema/schema.graphql`);
          }
          const figures = await costFiguresOf(pool);
          const error = costLimitError(queryCost(schema, document, operation, request.variables, { figures, scope: viewer.regionPrefix }), maxCost);
          if (error) throw error;
        },
        // graphql-js suggests names close to a wrong one ("Did you mean …"): that is the schema,
        // which a viewer without introspection must not learn by guessing
        async willSendResponse({ contextValue, response }) {
          if (mayIntrospect(contextValue.viewer) || response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({ ...e, message: withoutSuggestions(e.message) }));
        },
      };
    },
  };
}
