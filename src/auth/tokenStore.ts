/**
 * Issued bearer tokens (`access_token`) and the key that signs them.
 *
 * The signing key lives in the database (`access_secret`), made the first time a token is minted
 * or checked: every hub process on one database accepts the same tokens, and a copy of the
 * database made for tests has its own key. Whoever can read that table could forge tokens — but
 * only tokens naming an existing, unrevoked row with exactly its role and region, since each
 * request is checked against the row; and whoever can read that table can read the data anyway.
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { ROLES, type Role, type Viewer } from '../api/viewer';
import { readToken, signToken, type TokenClaims } from './tokenFormat';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 3650;

export interface TokenRequest {
  role: string;
  region?: string | null;
  department?: string | null;
  label?: string | null;
  days?: number | null;
}

export interface TokenRow {
  id: string;
  label: string;
  role: Role;
  regionCode: string;
  department: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface IssuedToken extends TokenRow {
  token: string;
}

/** A token request that cannot be granted; the message says which option is wrong. */
export class TokenRequestError extends Error {}

const secrets = new WeakMap<Pool, Promise<Buffer>>();

/** The signing key, made on first use; concurrent first uses agree on one. */
export function signingSecret(pool: Pool): Promise<Buffer> {
  let secret = secrets.get(pool);
  if (!secret) {
    secret = (async () => {
      await pool.query(`insert into access_secret (id, secret) values (1, $1) on conflict (id) do nothing`, [randomBytes(32)]);
      const { rows } = await pool.query<{ secret: Buffer }>(`select secret from access_secret where id = 1`);
      return rows[0]!.secret;
    })();
    // A failure (database down) must not stick: the next request tries again.
    secret.catch(() => secrets.delete(pool));
    secrets.set(pool, secret);
  }
  return secret;
}

const tokenColumns = `id::text, label, role, region_code as "regionCode", department, created_at as "createdAt",
  expires_at as "expiresAt", revoked_at as "revokedAt"`;

/**
 * Checks a request for a token and writes its row. `departments` are the names a DEPARTMENT token
 * may carry (the connector names); `city` is the configured city, the scope of city-wide roles.
 */
export async function issueToken(pool: Pool, city: string, departments: readonly string[], request: TokenRequest): Promise<IssuedToken> {
  const role = request.role?.toUpperCase() as Role;
  if (!(ROLES as readonly string[]).includes(role)) throw new TokenRequestError(`--role must be one of ${ROLES.join(', ')} (got "${request.role}")`);
  const days = request.days ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new TokenRequestError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);

  const region = request.region?.trim() || null;
  if (role === 'TOWN' && !region) throw new TokenRequestError('a TOWN token needs --region CODE (its county, town or village code)');
  if (region && !(role === 'TOWN' || role === 'DEPARTMENT')) {
    throw new TokenRequestError(`--region is for TOWN and DEPARTMENT tokens; ${role} sees the whole city`);
  }
  if (region) {
    const { rows } = await pool.query(`select 1 from region where code = $1 and level <> 'CITY'`, [region]);
    if (!/^\d{6}$|^\d{9}$|^\d{12}$/.test(region) || !region.startsWith(city) || !rows.length) {
      throw new TokenRequestError(`--region: "${region.slice(0, 20)}" is not a county, town or village code of city ${city}`);
    }
  }

  const department = request.department?.trim() || null;
  if (role === 'DEPARTMENT' && !department) throw new TokenRequestError(`a DEPARTMENT token needs --department NAME (one of ${departments.join(', ')})`);
  if (department && role !== 'DEPARTMENT') throw new TokenRequestError('--department is for DEPARTMENT tokens only');
  if (department && !departments.includes(department)) throw new TokenRequestError(`--department must be one of ${departments.join(', ')} (got "${department}")`);

  const label = (request.label?.trim() || [role, department, region].filter(Boolean).join(' ')).slice(0, 200);
  const scope = region ?? city;
  const { rows } = await pool.query<TokenRow>(
    `insert into access_token (label, role, region_code, department, expires_at)
     values ($1, $2, $3, $4, now() + make_interval(days => $5)) returning ${tokenColumns}`,
    [label, role, scope, department, days],
  );
  const row = rows[0]!;
  const claims: TokenClaims = {
    jti: row.id,
    role,
    region: scope,
    ...(department && { department }),
    iat: Math.floor(row.createdAt.getTime() / 1000),
    exp: Math.floor(row.expiresAt.getTime() / 1000),
  };
  return { ...row, token: signToken(claims, await signingSecret(pool)) };
}

/** Revokes a token at once; a second revocation keeps the first time. */
export async function revokeToken(pool: Pool, id: string): Promise<'revoked' | 'already revoked' | 'unknown'> {
  if (!/^\d{1,18}$/.test(id)) return 'unknown';
  const revoked = await pool.query(`update access_token set revoked_at = now() where id = $1 and revoked_at is null`, [id]);
  if (revoked.rowCount) return 'revoked';
  const { rowCount } = await pool.query(`select 1 from access_token where id = $1`, [id]);
  return rowCount ? 'already revoked' : 'unknown';
}

export async function listTokens(pool: Pool): Promise<TokenRow[]> {
  const { rows } = await pool.query<TokenRow>(`select ${tokenColumns} from access_token order by id`);
  return rows;
}

export type RefusalReason = 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' | 'REVOKED' | 'UNKNOWN';

/**
 * The viewer a bearer token stands for, or why it does not stand for anyone. One indexed read of
 * the token's row per request: a revocation takes effect on the next request.
 */
export async function viewerOfToken(pool: Pool, token: string, now = new Date()): Promise<{ ok: true; viewer: Viewer; expiresAt: Date } | { ok: false; reason: RefusalReason }> {
  const read = readToken(token, await signingSecret(pool), Math.floor(now.getTime() / 1000));
  if (!read.ok) return { ok: false, reason: read.fault };
  const { claims } = read;
  const { rows } = await pool.query<TokenRow>(`select ${tokenColumns} from access_token where id = $1`, [claims.jti]);
  const row = rows[0];
  if (!row || row.role !== claims.role || row.regionCode !== claims.region || (row.department ?? undefined) !== claims.department) {
    return { ok: false, reason: 'UNKNOWN' };
  }
  if (row.revokedAt && row.revokedAt <= now) return { ok: false, reason: 'REVOKED' };
  if (row.expiresAt <= now) return { ok: false, reason: 'EXPIRED' };
  return {
    ok: true,
    expiresAt: row.expiresAt,
    viewer: { role: row.role, regionPrefix: row.regionCode, department: row.department, label: row.label, tokenId: row.id },
  };
}
