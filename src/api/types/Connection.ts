import { type ClassType, Ctx, Field, Int, ObjectType } from 'type-graphql';
import { disclosedCount, getsTablesOnly, type DisclosedCount } from '../../auth/disclosure';
import { describeViewer, forbidden } from '../../auth/policy';
import type { ApiContext } from '../context';

@ObjectType('PageInfo')
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** What connectionOf fills in; the GraphQL fields read it through the viewer's disclosure rules. */
export interface ConnectionParts {
  edgeList: Edge<any>[];
  page: PageInfo;
  count: () => Promise<number>;
}

/** A list of rows is no answer for a role that gets tables only (src/auth/disclosure.ts): its count is. */
function refuseRows(ctx: ApiContext, connection: string, field: string): void {
  if (getsTablesOnly(ctx.viewer)) {
    throw forbidden(`${connection}.${field}: ${describeViewer(ctx.viewer)} gets no rows of a list; ask for totalCount`);
  }
}

/**
 * A Relay connection type for one node type. `totalCount` runs its count only when asked for,
 * and once however many of its fields are asked for; it is disclosed as the viewer may see it.
 */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionParts {
    edgeList!: Edge<T>[];
    page!: PageInfo;
    count!: () => Promise<number>;
    private disclosed?: Promise<DisclosedCount>;

    @Field(() => [EdgeType], { description: 'FORBIDDEN for ANALYST, which gets totalCount only' })
    edges(@Ctx() ctx: ApiContext): Edge<T>[] {
      refuseRows(ctx, `${name}Connection`, 'edges');
      return this.edgeList;
    }

    @Field(() => PageInfo, { description: 'FORBIDDEN for ANALYST, which gets totalCount only' })
    pageInfo(@Ctx() ctx: ApiContext): PageInfo {
      refuseRows(ctx, `${name}Connection`, 'pageInfo');
      return this.page;
    }

    @Field(() => Int, {
      nullable: true,
      description: 'all matching nodes, across pages; for ANALYST rounded to 5, and null (totalCountSuppressed) from 1 to min_cell_size − 1',
    })
    async totalCount(@Ctx() ctx: ApiContext): Promise<number | null> {
      return (await this.disclose(ctx)).value;
    }

    @Field(() => Boolean, { description: 'totalCount is withheld as a small cell (ANALYST only; false for every other role)' })
    async totalCountSuppressed(@Ctx() ctx: ApiContext): Promise<boolean> {
      return (await this.disclose(ctx)).suppressed;
    }

    private disclose(ctx: ApiContext): Promise<DisclosedCount> {
      // A list's filters may narrow it to any part of the viewer's region: the strictest
      // min_cell_size within it applies, on the day "today" means.
      this.disclosed ??= this.count().then((n) => disclosedCount(ctx, n, { regionCode: ctx.viewer.regionPrefix, day: ctx.today, within: true }));
      return this.disclosed;
    }
  }
  return ConnectionType;
}

/** Builds a connection from one over-fetched page (first + 1 rows tell whether more follow). */
export function connectionOf<T extends object, C extends ConnectionParts>(
  Type: new () => C,
  rows: T[],
  first: number,
  hadCursor: boolean,
  cursorOf: (row: T) => string,
  count: () => Promise<number>,
): C {
  const page = rows.slice(0, first);
  const c = new Type();
  c.edgeList = page.map((node) => ({ cursor: cursorOf(node), node }));
  c.page = {
    hasNextPage: rows.length > first,
    hasPreviousPage: hadCursor,
    startCursor: c.edgeList[0]?.cursor ?? null,
    endCursor: c.edgeList[c.edgeList.length - 1]?.cursor ?? null,
  };
  c.count = count;
  return c;
}
