/**
 * Who a GraphQL request comes from: the bearer token in its `Authorization` header, checked
 * against the process's copy of the token table (no query). Without a valid one the request is
 * refused with UNAUTHENTICATED (HTTP 401) before anything is read.
 */
import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Viewer } from './viewer';
import type { TokenRegistry } from './tokenRegistry';
import type { RefusalReason } from './tokenStore';

const REFUSALS: Record<RefusalReason | 'MISSING', string> = {
  MISSING: 'A bearer token is required: send the header "Authorization: Bearer <token>" (the office issues tokens with `weijiu token create`)',
  MALFORMED: 'The bearer token is not a Weijiu Hub token',
  BAD_SIGNATURE: 'The bearer token is not valid for this hub',
  RETIRED_KEY: 'The bearer token was signed by a retired key: ask the office for a new one',
  UNKNOWN: 'The bearer token is not valid for this hub',
  EXPIRED: 'The bearer token has expired: ask the office for a new one',
  REVOKED: 'The bearer token has been revoked',
};

/** Longer than any token the hub issues; a bigger header is not worth an HMAC. */
const MAX_TOKEN_LENGTH = 2048;

export function unauthenticated(reason: RefusalReason | 'MISSING'): GraphQLError {
  return new GraphQLError(REFUSALS[reason], {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: {
        status: 401,
        // Apollo reads a HeaderMap here; graphql-yoga's typings (pulled in by the GraphiQL renderer) declare a plain record.
        headers: new HeaderMap([['www-authenticate', `Bearer realm="weijiu"${reason === 'MISSING' ? '' : ', error="invalid_token"'}`]]) as unknown as Record<string, string>,
      },
    },
  });
}

export function bearerTokenOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export async function authenticate(tokens: TokenRegistry, req: IncomingMessage): Promise<Viewer> {
  const token = bearerTokenOf(req);
  if (!token) throw unauthenticated('MISSING');
  if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('MALFORMED');
  const result = await tokens.check(token);
  if (!result.ok) throw unauthenticated(result.reason);
  return result.viewer;
}

/**
 * The purpose a client declares for a request (`X-Purpose`), as the audit trail keeps it. Header
 * values are Latin-1 on the wire (browsers refuse anything else), so Chinese text comes
 * percent-encoded UTF-8 and is decoded here.
 */
export function declaredPurpose(req: IncomingMessage): string | null {
  const raw = req.headers['x-purpose'];
  let text = Array.isArray(raw) ? raw.join(', ') : (raw ?? '');
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // not percent-encoded after all: kept as sent
    }
  }
  text = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return text ? Array.from(text).slice(0, 200).join('') : null;
}
