import { GraphQLError } from 'graphql';
import { DEFAULT_PAGE, MAX_PAGE } from '../auth/queryLimits';

/**
 * Relay connections over keyset pagination: the cursor is the row's id, so a page is one
 * indexed range scan however deep it is.
 */
export function encodeCursor(kind: string, id: string): string {
  return Buffer.from(`${kind}:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [k, id] = text.split(':');
  if (k !== kind || !/^\d{1,18}$/.test(id ?? '')) {
    throw new GraphQLError('after: not a cursor of this list', { extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  }
  return id;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw new GraphQLError(`first: must be between 0 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
  }
  return first;
}
