import { type ClassType, Field, Int, ObjectType } from 'type-graphql';

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

/** A Relay connection type for one node type; `totalCount` runs its count only when asked for. */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: Edge<T>[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    count!: () => Promise<number>;

    @Field(() => Int, { description: 'all matching nodes, across pages' })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  return ConnectionType;
}

/** Builds a connection from one over-fetched page (first + 1 rows tell whether more follow). */
export function connectionOf<T extends object, C extends { edges: Edge<any>[]; pageInfo: PageInfo; count: () => Promise<number> }>(
  Type: new () => C,
  rows: T[],
  first: number,
  hadCursor: boolean,
  cursorOf: (row: T) => string,
  count: () => Promise<number>,
): C {
  const page = rows.slice(0, first);
  const c = new Type();
  c.edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  c.pageInfo = {
    hasNextPage: rows.length > first,
    hasPreviousPage: hadCursor,
    startCursor: c.edges[0]?.cursor ?? null,
    endCursor: c.edges[c.edges.length - 1]?.cursor ?? null,
  };
  c.count = count;
  return c;
}
