/**
 * Counts the SQL statements sent to PostgreSQL by this process, on every connection of every
 * pool. The N+1 tests read it around one GraphQL request: a number that grows with the page
 * size is a loader missing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

let statements = 0;

export function statementCount(): number {
  return statements;
}

let housekeepingStatements = 0;
const housekeepingWork = new AsyncLocalStorage<true>();

/**
 * Statements a process sends on its own schedule — the token registry's reloads, the cost
 * model's figures — whenever they fall: counted apart, so that a request's count is the request's.
 */
export function housekeeping<T>(work: () => Promise<T>): Promise<T> {
  return housekeepingWork.run(true, work);
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
    if (housekeepingWork.getStore()) housekeepingStatements++;
    else statements++;
    return original(...args);
  };
  marked.__counted = true;
}
