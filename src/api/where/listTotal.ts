/**
 * A list's page and its `totalCount` from one statement (issue 17): the count rides on the page's
 * rows as a column, and the sets a `where` works out for everyone (a person's region, the nine
 * categories, a household's size) are each worked out once in that statement, for the page and the
 * count alike. A list asked for its count alone (ANALYST's only answer) reads no page.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { ApiContext } from '../context';
import { fieldsAsked } from '../requestPlan';

/**
 * The sets of ids a statement reads more than once, each a materialized CTE: a `where` reads
 * `ids(...)` in place of its uncorrelated subquery. Without it (an aggregate, read once) the
 * subquery stays inline.
 */
export class SharedSets {
  private readonly ctes: string[] = [];

  /** `column in` the ids `sql` selects (one column, uncorrelated), worked out once per statement. */
  ids(column: string, sql: string): string {
    const name = `shared_ids_${this.ctes.length}`;
    this.ctes.push(`${name} as materialized (${sql})`);
    return `${column} in (select * from ${name})`;
  }

  /** The `with …` to put before a statement that reads them (empty if none). */
  get with(): string {
    return this.ctes.length ? `with ${this.ctes.join(',\n')}\n` : '';
  }
}

/** `column in (sql)`, shared when the statement reads it twice. */
export function idsIn(shared: SharedSets | undefined, column: string, sql: string): string {
  return shared ? shared.ids(column, sql) : `${column} in (${sql})`;
}

/** What a list's answer needs: its rows (edges, pageInfo), its count (totalCount, totalCountSuppressed). */
export interface ListReads {
  rows: boolean;
  total: boolean;
}

export function listReads(ctx: ApiContext, info: GraphQLResolveInfo): ListReads {
  const asked = fieldsAsked(ctx, info);
  return {
    rows: asked.has('edges') || asked.has('pageInfo'),
    total: asked.has('totalCount') || asked.has('totalCountSuppressed'),
  };
}

/**
 * A page's statement that carries its list's count, when both are asked: `column` adds the count
 * beside the page's own columns, `take` reads it off each row (and removes it: the rows are the
 * nodes), `count` answers `totalCount`.
 */
export class PageTotal {
  private read: number | null = null;

  constructor(readonly carried: boolean) {}

  /** `, (count) as "totalCount"`: an uncorrelated subquery, worked out once for the statement */
  column(countSql: string): string {
    return this.carried ? `, (${countSql}) as "totalCount"` : '';
  }

  take(row: Record<string, unknown>): void {
    if (!this.carried) return;
    this.read = Number(row.totalCount);
    delete row.totalCount;
  }

  /**
   * The count as the page's statement read it, or 0 for an empty first page (nothing matched);
   * a page past the end of the list has no row to carry it, and is counted apart.
   */
  count(hadCursor: boolean, apart: () => Promise<number>): Promise<number> {
    if (this.carried && this.read !== null) return Promise.resolve(this.read);
    if (this.carried && !hadCursor) return Promise.resolve(0);
    return apart();
  }
}
