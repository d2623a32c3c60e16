/**
 * The bearer token's text: a compact JWT signed with HMAC-SHA256 (`HS256`), so that any JWT tool
 * can read its claims, while the hub accepts only its own fixed header — no algorithm choice is
 * left to the token. The claims name the token's row (`jti`), which the hub checks on every
 * request against its in-process copy of the token table (tokenRegistry.ts). The header names no
 * key: the hub tries its current key, then the retired ones, to tell a token of a retired key
 * from a forged one.
 *
 *   header  {"alg":"HS256","typ":"JWT"}
 *   claims  {"iss":"weijiu","jti":"12","role":"TOWN","region":"371082","iat":1790000000,"exp":1797776000}
 *           (+ "department":"education" for DEPARTMENT tokens)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from './viewer';

export interface TokenClaims {
  /** the access_token row */
  jti: string;
  role: Role;
  region: string;
  department?: string;
  /** seconds since the epoch */
  iat: number;
  exp: number;
}

export const ISSUER = 'weijiu';
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signToken(claims: TokenClaims, secret: Buffer): string {
  const payload = base64url(JSON.stringify({ iss: ISSUER, ...claims }));
  return `${HEADER}.${payload}.${signature(`${HEADER}.${payload}`, secret)}`;
}

export type TokenFault = 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED';

/** The claims of a well-formed token with a good signature that has not expired; else what is wrong. */
export function readToken(token: string, secret: Buffer, nowSeconds: number): { ok: true; claims: TokenClaims } | { ok: false; fault: TokenFault; claims?: TokenClaims } {
  const read = readTokenSignedBy(token, [{ secret }], nowSeconds);
  return read.ok ? { ok: true, claims: read.claims } : { ok: false, fault: read.fault, ...(read.claims && { claims: read.claims }) };
}

/**
 * Like readToken, with several keys: which of them signed the token (tried in the order given,
 * so the current key first), and its claims. An expired token still names its key.
 */
export function readTokenSignedBy<K extends { secret: Buffer }>(
  token: string,
  keys: readonly K[],
  nowSeconds: number,
): { ok: true; claims: TokenClaims; key: K } | { ok: false; fault: TokenFault; claims?: TokenClaims; key?: K } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER || !/^[A-Za-z0-9_-]+$/.test(parts[1]!) || !/^[A-Za-z0-9_-]{43}$/.test(parts[2]!)) {
    return { ok: false, fault: 'MALFORMED' };
  }
  const given = Buffer.from(parts[2]!, 'base64url');
  const key = keys.find((k) => {
    const expected = Buffer.from(signature(`${parts[0]}.${parts[1]}`, k.secret), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!key) return { ok: false, fault: 'BAD_SIGNATURE' };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, fault: 'MALFORMED' };
  }
  const claims = claimsOf(raw);
  if (!claims) return { ok: false, fault: 'MALFORMED' };
  if (claims.exp <= nowSeconds) return { ok: false, fault: 'EXPIRED', claims, key };
  return { ok: true, claims, key };
}

function claimsOf(raw: Record<string, unknown>): TokenClaims | null {
  const { iss, jti, role, region, department, iat, exp } = raw;
  if (iss !== ISSUER || typeof jti !== 'string' || !/^\d{1,18}$/.test(jti)) return null;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return null;
  if (typeof region !== 'string' || !/^\d{4,12}$/.test(region)) return null;
  if (department !== undefined && typeof department !== 'string') return null;
  if (typeof iat !== 'number' || typeof exp !== 'number') return null;
  return { jti, role: role as Role, region, ...(department !== undefined && { department }), iat, exp };
}

function signature(signingInput: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
