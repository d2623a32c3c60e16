/**
 * Counts the SQL statements sent to PostgreSQL by this process, on every connection of every
 * pool. The N+1 tests read it around one GraphQL request: a number that grows with the page
 * size is a loader missing.
 */
let statements = 0;

export function statementCount(): number {
  return statements;
}

/** Wraps a pg client's `query` so each statement it sends is counted. */
export function countStatementsOf(client: { query: (...args: any[]) => any }): void {
  const marked = client as { query: (...args: any[]) => any; __counted?: boolean };
  if (marked.__counted) return;
  const original = client.query.bind(client);
  marked.query = (...args: any[]) => {
    statements++;
    return original(...args);
  };
  marked.__counted = true;
}
