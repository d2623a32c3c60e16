import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { parseBusinessDate } from '../identity';

/** `Date`: a calendar date `YYYY-MM-DD`, no time zone (api.md). Kept a string end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD, with no time zone.',
  serialize: (v) => String(v),
  parseValue: (v) => strictDate(v),
  parseLiteral: (ast) => strictDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function strictDate(v: unknown): string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    throw new GraphQLError('Date must be a string YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const d = parseBusinessDate(v);
  if (!d.ok || !d.date) throw new GraphQLError(`${v} is not a calendar date`, { extensions: { code: 'BAD_USER_INPUT' } });
  return d.date;
}

/** `DateTime`: an instant, ISO 8601 with offset. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with offset.',
  serialize: (v) => (v instanceof Date ? v : new Date(String(v))).toISOString(),
  parseValue: (v) => parseInstant(v),
  parseLiteral: (ast) => parseInstant(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseInstant(v: unknown): Date {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) {
    throw new GraphQLError('DateTime must be an ISO 8601 string with offset', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return new Date(v);
}

/** `Decimal`: money in yuan as a string such as "1234.50" — never a float. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1234.50" (yuan).',
  serialize: (v) => String(v),
  parseValue: (v) => parseDecimal(v),
  parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDecimal(v: unknown): string {
  if (typeof v !== 'string' || !/^-?\d+(\.\d+)?$/.test(v)) {
    throw new GraphQLError('Decimal must be a string such as "1234.50"', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return v;
}
