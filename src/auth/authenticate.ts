/**
 * Who a GraphQL request comes from: the bearer token in its `Authorization` header, checked
 * against the process's copy of the token table (no query). Without a valid one the request is
 * refused with UNAUTHENTICATED (HTTP 401) before anything is read.
 *
 * The office's page signs in once with a token and then sends a session cookie instead
 * (`OfficeSessions` below): the token stays on the server, and is checked again on every request,
 * so its revocation ends the session at once.
 */
import { randomBytes } from 'node:crypto';
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
  if (!token) {
    const sessionId = sessionIdOf(req);
    if (sessionId) return authenticateSession(tokens, req, sessionId);
    throw unauthenticated('MISSING');
  }
  if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('MALFORMED');
  const result = await tokens.check(token);
  if (!result.ok) throw unauthenticated(result.reason);
  return result.viewer;
}

/** The office page's session cookie (HttpOnly, SameSite=Strict, Path=/): a random id, never the token. */
export const SESSION_COOKIE = 'weijiu_session';
/** A session nobody used for this long is over (office.md: 8 idle hours). */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** Sessions one process keeps at most; past it the longest idle go first. */
const MAX_SESSIONS = 10_000;
/** The roles the office's page is for. */
export const PAGE_ROLES: ReadonlySet<Viewer['role']> = new Set(['OFFICE', 'TOWN']);

/** Headers a cross-site form or image cannot send: a cookie request that changes anything carries one. */
const CSRF_HEADERS = ['apollo-require-preflight', 'x-csrf'];

interface Session {
  token: string;
  lastSeen: number;
}

/**
 * The page's sessions of one hub process: session id → token, in memory (a restart signs
 * everyone out; with several hub processes a sign-in holds on the process that made it).
 */
export class OfficeSessions {
  private readonly sessions = new Map<string, Session>();

  /** A new session for a token already checked; the id to put in the cookie. */
  open(token: string): string {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { token, lastSeen: Date.now() });
    return id;
  }

  /** The session's token, its idle clock restarted; null (and the session ended) after 8 idle hours. */
  use(id: string): string | null {
    const session = this.sessions.get(id);
    if (!session) return null;
    const now = Date.now();
    if (now - session.lastSeen > SESSION_IDLE_MS) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeen = now;
    // Map order = least recently used first, for the sweep
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session.token;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (now - s.lastSeen <= SESSION_IDLE_MS && this.sessions.size < MAX_SESSIONS) break;
      this.sessions.delete(id);
    }
  }
}

// one session table per token registry, i.e. per hub: every route that authenticates sees it
const sessionTables = new WeakMap<TokenRegistry, OfficeSessions>();

export function sessionsOf(tokens: TokenRegistry): OfficeSessions {
  let table = sessionTables.get(tokens);
  if (!table) sessionTables.set(tokens, (table = new OfficeSessions()));
  return table;
}

export function sessionIdOf(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

function sessionEnded(): GraphQLError {
  return new GraphQLError('会话已结束，请重新登录 (the session has ended: sign in again at /office)', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/**
 * A request of the page. Only reads may come without a CSRF header (a download link); anything
 * else — a mutation, an upload — needs one, which a cross-site form cannot send.
 */
async function authenticateSession(tokens: TokenRegistry, req: IncomingMessage, sessionId: string): Promise<Viewer> {
  const safe = req.method === 'GET' || req.method === 'HEAD';
  if (!safe && !CSRF_HEADERS.some((h) => typeof req.headers[h] === 'string' && req.headers[h] !== '')) {
    throw new GraphQLError(`A request with the session cookie must carry the header "apollo-require-preflight: true"`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
  const sessions = sessionsOf(tokens);
  const token = sessions.use(sessionId);
  if (!token) throw sessionEnded();
  const result = await tokens.check(token);
  if (!result.ok) {
    // revoked, expired or its key retired: the session goes with it
    sessions.end(sessionId);
    throw unauthenticated(result.reason);
  }
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
