/**
 * Counts the SQL statements sent to PostgreSQL by this process, on every connection of every
 * pool. The N+1 tests read it around one GraphQL request: a number that grows with the page
 * size is a loader missing.
 */
import type { Client, Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';

let statements = 0;

export function statementCount(): number {
  return statements;
}

let housekeepingStatements = 0;
const HOUSEKEEPING = Symbol('housekeeping');

/** What a housekeeping reader can do: `query`, like a pool. */
export interface HousekeepingReader {
  query<R extends QueryResultRow = any>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * Statements a process sends on its own schedule — the token registry's reloads, the cost
 * model's figures — whenever they fall: counted apart, so that a request's count is the request's.
 * Each statement is marked where it is made (not by an AsyncLocalStorage, whose promise hooks
 * would tax every promise of every request).
 */
export function housekeeping(db: Pool | PoolClient | Client): HousekeepingReader {
  return {
    query: (text, values) => (db as Pool).query({ text, values, [HOUSEKEEPING]: true } as QueryConfig),
  };
}

export function housekeepingStatementCount(): number {
  return housekeepingStatements;
}

/** Wraps a pg client's `query` so each statement it sends is counted. */
export function countStatementsOf(client: { query: (...args: any[]) => any }): void {
  const marked = client as { query: (...args: any[]) => any; __counted?: boolean };
  if (marked.__counted) return;
  const original = client.query.bind(client);
  marked.query = (...args: any[]) => {
    if ((args[0] as { [HOUSEKEEPING]?: true } | null)?.[HOUSEKEEPING]) housekeepingStatements++;
    else statements++;
    return original(...args);
  };
  marked.__counted = true;
}
