/**
 * The per-field operators of the analysts' boolean expressions (api.md *Analysts*, Hasura's
 * names): `_eq`, `_in`, `_gte`, `_lte`, `_is_null`, and `_prefix` for text. Each becomes a SQL
 * predicate over one expression with its values bound as parameters, never spliced into the text.
 */
import { Field, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../scalars';
import { badInput } from '../argumentChecks';

@InputType('StringComparison', { description: 'text: equal, one of, starting with, absent' })
export class StringComparison {
  @Field(() => String, { nullable: true }) _eq?: string | null;
  @Field(() => [String], { nullable: true }) _in?: string[] | null;
  @Field(() => String, { nullable: true, description: 'starts with (a region code: that region and everything under it)' }) _prefix?: string | null;
  @Field(() => Boolean, { nullable: true }) _is_null?: boolean | null;
}

@InputType('IntComparison')
export class IntComparison {
  @Field(() => Int, { nullable: true }) _eq?: number | null;
  @Field(() => [Int], { nullable: true }) _in?: number[] | null;
  @Field(() => Int, { nullable: true }) _gte?: number | null;
  @Field(() => Int, { nullable: true }) _lte?: number | null;
  @Field(() => Boolean, { nullable: true }) _is_null?: boolean | null;
}

@InputType('DecimalComparison', { description: 'money, in yuan' })
export class DecimalComparison {
  @Field(() => DecimalScalar, { nullable: true }) _eq?: string | null;
  @Field(() => [DecimalScalar], { nullable: true }) _in?: string[] | null;
  @Field(() => DecimalScalar, { nullable: true }) _gte?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) _lte?: string | null;
  @Field(() => Boolean, { nullable: true }) _is_null?: boolean | null;
}

@InputType('DateComparison', { description: 'for ANALYST every date is taken as its month’s last day' })
export class DateComparison {
  @Field(() => DateScalar, { nullable: true }) _eq?: string | null;
  @Field(() => [DateScalar], { nullable: true }) _in?: string[] | null;
  @Field(() => DateScalar, { nullable: true }) _gte?: string | null;
  @Field(() => DateScalar, { nullable: true }) _lte?: string | null;
  @Field(() => Boolean, { nullable: true }) _is_null?: boolean | null;
}

@InputType('BooleanComparison')
export class BooleanComparison {
  @Field(() => Boolean, { nullable: true }) _eq?: boolean | null;
}

/** Values bound as `$n`, numbered after those the caller already holds. */
export class Bound {
  constructor(readonly values: unknown[]) {}
  bind(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

interface AnyComparison {
  _eq?: unknown;
  _in?: unknown[] | null;
  _gte?: unknown;
  _lte?: unknown;
  _prefix?: string | null;
  _is_null?: boolean | null;
}

/** Every operator given, and-ed; `true` for an empty comparison. `cast` is the SQL type of `expr`. */
export function compared(expr: string, c: AnyComparison | null | undefined, cast: string, bound: Bound, path: string): string {
  if (!c) return 'true';
  const parts: string[] = [];
  if (c._eq !== null && c._eq !== undefined) parts.push(`${expr} = ${bound.bind(c._eq, cast)}`);
  if (c._in !== null && c._in !== undefined) {
    if (c._in.length > 1000) throw badInput(`${path}._in: at most 1000 values`, 'where');
    parts.push(`${expr} = any(${bound.bind(c._in, `${cast}[]`)})`);
  }
  if (c._gte !== null && c._gte !== undefined) parts.push(`${expr} >= ${bound.bind(c._gte, cast)}`);
  if (c._lte !== null && c._lte !== undefined) parts.push(`${expr} <= ${bound.bind(c._lte, cast)}`);
  if (c._prefix !== null && c._prefix !== undefined) parts.push(`starts_with(${expr}, ${bound.bind(c._prefix, 'text')})`);
  if (c._is_null === true) parts.push(`${expr} is null`);
  if (c._is_null === false) parts.push(`${expr} is not null`);
  return parts.length ? `(${parts.join(' and ')})` : 'true';
}

/** `_and`, `_or`, `_not` of a boolean expression around its own fields' predicate. */
export interface Connectives<W> {
  _and?: W[] | null;
  _or?: W[] | null;
  _not?: W | null;
}

/** How deep `_and` / `_or` / `_not` may nest: an expression is a question, not a program. */
export const MAX_WHERE_DEPTH = 8;

export function combined<W extends Connectives<W>>(
  w: W | null | undefined,
  own: (w: W) => string[],
  path: string,
  depth = 0,
): string {
  if (!w) return 'true';
  if (depth > MAX_WHERE_DEPTH) throw badInput(`${path}: nested deeper than ${MAX_WHERE_DEPTH}`, 'where');
  const parts = own(w).filter((p) => p !== 'true');
  if (w._and) parts.push(...w._and.map((x, i) => combined(x, own, `${path}._and[${i}]`, depth + 1)));
  if (w._or) parts.push(w._or.length ? `(${w._or.map((x, i) => combined(x, own, `${path}._or[${i}]`, depth + 1)).join(' or ')})` : 'false');
  if (w._not) parts.push(`not coalesce(${combined(w._not, own, `${path}._not`, depth + 1)}, false)`);
  return parts.length ? `(${parts.join(' and ')})` : 'true';
}
