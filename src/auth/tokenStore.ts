/**
 * Issued bearer tokens (`access_token`) and the keys that sign them.
 *
 * The signing key lives in the database (`access_secret`), made the first time a token is minted
 * or a hub starts: every hub process on one database accepts the same tokens, and a copy of the
 * database made for tests has its own key. Whoever can read that table could forge tokens — but
 * only tokens naming an existing, unrevoked row with exactly its role and region, since each
 * request is checked against the row (tokenRegistry.ts); and whoever can read that table can read
 * the data anyway. `weijiu token rotate-key` retires the key and makes the next one: every token
 * signed before is refused from then on, so a leaked key or database copy stops being useful.
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { ROLES, type Role } from './viewer';
import { signToken, type TokenClaims } from './tokenFormat';

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
  /** the number of the key that signed it (access_secret.id) */
  keyGeneration: number;
}

export interface IssuedToken extends TokenRow {
  token: string;
}

/** A token request that cannot be granted; the message says which option is wrong. */
export class TokenRequestError extends Error {}

export interface SigningKey {
  generation: number;
  secret: Buffer;
  retiredAt: Date | null;
}

/** Makes the first key unless there is one; concurrent first uses agree on one. */
export async function ensureSigningKey(pool: Pool): Promise<void> {
  await pool.query(
    `insert into access_secret (id, secret) select 1, $1 where not exists (select 1 from access_secret) on conflict do nothing`,
    [randomBytes(32)],
  );
}

/** Every key, the current one first, then the retired ones newest first. */
export async function readSigningKeys(pool: Pool): Promise<SigningKey[]> {
  const { rows } = await pool.query<SigningKey>(
    `select id::int as generation, secret, retired_at as "retiredAt" from access_secret order by retired_at is not null, id desc`,
  );
  return rows;
}

/** The current signing key, made on first use. Read each time: a rotation elsewhere counts at once. */
export async function signingSecret(pool: Pool): Promise<Buffer> {
  await ensureSigningKey(pool);
  const { rows } = await pool.query<{ secret: Buffer }>(`select secret from access_secret where retired_at is null`);
  return rows[0]!.secret;
}

export const tokenColumns = `id::text, label, role, region_code as "regionCode", department, created_at as "createdAt",
  expires_at as "expiresAt", revoked_at as "revokedAt", key_generation::int as "keyGeneration"`;

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
  await ensureSigningKey(pool);
  // The row names the key current when it is written; signed with that key, the token is refused
  // at once if a rotation came in between, like every token issued before the rotation.
  const { rows } = await pool.query<TokenRow>(
    `insert into access_token (label, role, region_code, department, expires_at, key_generation)
     values ($1, $2, $3, $4, now() + make_interval(days => $5), (select id from access_secret where retired_at is null))
     returning ${tokenColumns}`,
    [label, role, scope, department, days],
  );
  const row = rows[0]!;
  const { rows: keys } = await pool.query<{ secret: Buffer }>(`select secret from access_secret where id = $1`, [row.keyGeneration]);
  const claims: TokenClaims = {
    jti: row.id,
    role,
    region: scope,
    ...(department && { department }),
    iat: Math.floor(row.createdAt.getTime() / 1000),
    exp: Math.floor(row.expiresAt.getTime() / 1000),
  };
  return { ...row, token: signToken(claims, keys[0]!.secret) };
}

/** Revokes a token at once; a second revocation keeps the first time. */
export async function revokeToken(pool: Pool, id: string): Promise<'revoked' | 'already revoked' | 'unknown'> {
  if (!/^\d{1,18}$/.test(id)) return 'unknown';
  const revoked = await pool.query(`update access_token set revoked_at = now() where id = $1 and revoked_at is null`, [id]);
  if (revoked.rowCount) return 'revoked';
  const { rowCount } = await pool.query(`select 1 from access_token where id = $1`, [id]);
  return rowCount ? 'already revoked' : 'unknown';
}

export interface TokenListing extends TokenRow {
  /** signed by a key retired since (`weijiu token rotate-key`): refused like a revoked token */
  keyRetired: boolean;
}

export async function listTokens(pool: Pool): Promise<TokenListing[]> {
  const { rows } = await pool.query<TokenListing>(
    `select ${tokenColumns},
       not exists (select 1 from access_secret k where k.id = access_token.key_generation and k.retired_at is null) as "keyRetired"
     from access_token order by id`,
  );
  return rows;
}

export interface KeyRotation {
  generation: number;
  retiredGeneration: number | null;
  /** the tokens that worked until now (neither revoked nor expired) and stop working */
  stopped: TokenRow[];
}

/**
 * Retires the current signing key and makes the next one, in one transaction: every hub process
 * hears of it (the table's trigger notifies) and refuses every token signed before. Keeps the old
 * keys so that a token of one is told it was signed by a retired key, not that it is forged.
 */
export async function rotateSigningKey(pool: Pool): Promise<KeyRotation> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // one rotation at a time: a second waits and retires the key the first made
    await client.query('lock table access_secret in exclusive mode');
    const retired = await client.query<{ generation: number }>(
      `update access_secret set retired_at = now() where retired_at is null returning id::int as generation`,
    );
    const made = await client.query<{ generation: number }>(
      `insert into access_secret (id, secret) values ((select coalesce(max(id), 0) + 1 from access_secret), $1) returning id::int as generation`,
      [randomBytes(32)],
    );
    const retiredGeneration = retired.rows[0]?.generation ?? null;
    const stopped = await client.query<TokenRow>(
      `select ${tokenColumns} from access_token where key_generation = $1 and revoked_at is null and expires_at > now() order by id`,
      [retiredGeneration],
    );
    await client.query('commit');
    return { generation: made.rows[0]!.generation, retiredGeneration, stopped: stopped.rows };
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

export type RefusalReason = 'MALFORMED' | 'BAD_SIGNATURE' | 'RETIRED_KEY' | 'EXPIRED' | 'REVOKED' | 'UNKNOWN';
