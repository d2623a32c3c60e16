/**
 * `orderBy` of the analysts' connections (api.md *Analysts*): one field and a direction, stable
 * (the id breaks ties, in the same direction) and cursor-safe — the cursor carries the sort value
 * and the id, so the next page is a keyset seek past them, whatever rows arrive between pages.
 * Nulls sort last ascending, first descending, as a flag before the value.
 */
import { GraphQLError } from 'graphql';
import { registerEnumType } from 'type-graphql';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

/** A field a list can be ordered by: its SQL expression over the list's row and that value's type. */
export interface OrderColumn {
  expr: string;
  cast: 'text' | 'numeric' | 'date' | 'int';
}

/** What stands in for null beside the null flag (only compared among nulls, where it is constant). */
const SENTINEL: Record<OrderColumn['cast'], string> = { text: "''", numeric: '0', date: "'-infinity'::date", int: '0' };

interface CursorContent {
  k: string;
  o: string;
  v: string | null;
  id: string;
}

function badCursor(): GraphQLError {
  return new GraphQLError('after: not a cursor of this list in this order', { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
}

export interface KeysetPage {
  /** the seek past the cursor, or null on the first page */
  seek: string | null;
  orderBy: string;
  /** the sort value as text, to select as "sortValue" */
  sortValue: string;
  cursor(id: string, sortValue: string | null): string;
}

/**
 * The page of a list of `kind` (person, benefit, …) ordered by `field` of `columns` (its id column
 * `idExpr`), after the cursor `after`; values bound into `params`.
 */
export function keysetPage(opts: {
  kind: string;
  field: string;
  direction: OrderDirection;
  column: OrderColumn;
  idExpr: string;
  after: string | null | undefined;
  params: unknown[];
}): KeysetPage {
  const order = `${opts.field}.${opts.direction}`;
  const { expr, cast } = opts.column;
  const tuple = `((${expr}) is null, coalesce((${expr})::${cast}, ${SENTINEL[cast]}), ${opts.idExpr})`;
  const dir = opts.direction === OrderDirection.DESC ? 'desc' : 'asc';
  let seek: string | null = null;
  if (opts.after !== null && opts.after !== undefined) {
    let c: CursorContent;
    try {
      c = JSON.parse(Buffer.from(opts.after, 'base64url').toString('utf8')) as CursorContent;
    } catch {
      throw badCursor();
    }
    if (
      !c || c.k !== opts.kind || c.o !== order || typeof c.id !== 'string' || !/^\d{1,18}$/.test(c.id)
      || (c.v !== null && (typeof c.v !== 'string' || c.v.length > 200))
    ) throw badCursor();
    if (c.v !== null && !valid(cast, c.v)) throw badCursor();
    opts.params.push(c.v === null, c.v);
    const [isNull, value] = [`$${opts.params.length - 1}::boolean`, `$${opts.params.length}::${cast}`];
    opts.params.push(c.id);
    seek = `${tuple} ${dir === 'desc' ? '<' : '>'} (${isNull}, coalesce(${value}, ${SENTINEL[cast]}), $${opts.params.length}::bigint)`;
  }
  return {
    seek,
    orderBy: `(${expr}) is null ${dir}, (${expr}) ${dir}, ${opts.idExpr} ${dir}`,
    sortValue: `(${expr})::text`,
    cursor: (id, v) => Buffer.from(JSON.stringify({ k: opts.kind, o: order, v, id } satisfies CursorContent), 'utf8').toString('base64url'),
  };
}

/** A cursor's sort value as its column's type reads it (a forged one is the client's mistake, not a 500). */
function valid(cast: OrderColumn['cast'], v: string): boolean {
  switch (cast) {
    case 'int':
      return /^-?\d{1,9}$/.test(v);
    case 'numeric':
      return /^-?\d{1,14}(\.\d{1,4})?$/.test(v);
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
    case 'text':
      return true;
  }
}
