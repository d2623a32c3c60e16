/**
 * What a GraphQL error may tell a client. Errors the client caused keep their message and code;
 * anything else is the hub's own fault and leaves as "Internal server error", the original going
 * to the log. ID numbers (身份证号) are masked everywhere, in responses and in the log.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { maskIdNumbersIn } from '../identity/idNumber';
import { INTERNAL_ERROR_MESSAGE, type HubLogger } from '../logging/logger';

/** Codes that mean "the request was wrong", so the client must see what was wrong with it. */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'PAYLOAD_TOO_LARGE',
]);

/** type-graphql's `@Authorized` refusal says UNAUTHORIZED; the hub's contract calls that FORBIDDEN. */
const CODE_ALIASES: Record<string, string> = { UNAUTHORIZED: 'FORBIDDEN' };

/**
 * Apollo's own refusals of a persisted-query request carry no code (only HTTP 400), so they would
 * pass for the hub's fault: a registered hash sent with other text is the client's mistake.
 */
const APOLLO_REQUEST_REFUSALS: Record<string, { code: string; message: string }> = {
  'provided sha does not match query': {
    code: 'BAD_USER_INPUT',
    message:
      'The persisted query\'s sha256Hash is not the sha256 of the query text sent with it: send the registered text exactly as registered, or its sha256Hash alone',
  },
  'Unsupported persisted query version': { code: 'BAD_USER_INPUT', message: 'Unsupported persisted query version: only version 1 is supported' },
};

const stderrLogger: HubLogger = {
  info: (o, msg) => console.info(msg ?? '', o),
  error: (o, msg) => console.error(msg ?? '', o),
};

export function formatError(
  exposeDetails: boolean,
  log: HubLogger = stderrLogger,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const refusal = apolloRefusalOf(error);
    if (refusal) return { message: refusal.message, extensions: { code: refusal.code } };
    const code = clientCodeOf(formatted, error);
    if (code) {
      const { stacktrace, validationErrors, ...extensions } = formatted.extensions ?? {};
      return maskDeep({
        ...formatted,
        extensions: {
          ...extensions,
          ...(validationErrors !== undefined && { validationErrors: describeValidationErrors(validationErrors) }),
          ...(exposeDetails && stacktrace !== undefined && { stacktrace }),
          code,
        },
      });
    }

    const original = unwrapResolverError(error);
    log.error(
      { err: describeError(original), path: formatted.path, code: formatted.extensions?.code },
      'GraphQL request failed with an internal error',
    );
    if (exposeDetails) {
      return maskDeep({ ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } });
    }
    return {
      message: INTERNAL_ERROR_MESSAGE,
      ...(formatted.locations && { locations: formatted.locations }),
      ...(formatted.path && { path: formatted.path }),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function apolloRefusalOf(error: unknown): { code: string; message: string } | undefined {
  // Apollo labels an uncoded error INTERNAL_SERVER_ERROR in `formatted`; the error itself has none
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined || error.originalError) return undefined;
  return Object.hasOwn(APOLLO_REQUEST_REFUSALS, error.message) ? APOLLO_REQUEST_REFUSALS[error.message] : undefined;
}

function clientCodeOf(formatted: GraphQLFormattedError, error: unknown): string | undefined {
  const raw = formatted.extensions?.code;
  const code = typeof raw === 'string' ? (CODE_ALIASES[raw] ?? raw) : undefined;
  if (code && CLIENT_ERROR_CODES.has(code)) return code;
  // graphql-js raises some input errors during execution rather than validation (a variable that
  // cannot be coerced where an argument is used); they carry no code, and no resolver threw them.
  const original = unwrapResolverError(error);
  if (
    original instanceof GraphQLError &&
    original.extensions.code === undefined &&
    original.originalError === undefined &&
    /^(Argument|Variable) "/.test(original.message)
  ) {
    return 'BAD_USER_INPUT';
  }
  return undefined;
}

/**
 * class-validator's errors (type-graphql's ArgumentValidationError) carry the whole input object as
 * `target` and the rejected `value`: keep only which property broke which constraint.
 */
function describeValidationErrors(errors: unknown): unknown {
  if (!Array.isArray(errors)) return undefined;
  return errors.map((e: { property?: unknown; constraints?: unknown; children?: unknown }) => ({
    property: e?.property,
    ...(e?.constraints !== undefined && { constraints: e.constraints }),
    ...(Array.isArray(e?.children) && e.children.length > 0 && { children: describeValidationErrors(e.children) }),
  }));
}

function describeError(error: unknown): object {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return maskDeep({
      type: error.constructor?.name ?? 'Error',
      message: error.message,
      ...(code !== undefined && { code: String(code) }),
      stack: error.stack,
    });
  }
  return { type: typeof error, message: maskIdNumbersIn(String(error)) };
}

/** Every string inside, masked: error extensions can hold echoed input anywhere. */
function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskIdNumbersIn(value) as T;
  if (Array.isArray(value)) return value.map(maskDeep) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)])) as T;
  }
  return value;
}
