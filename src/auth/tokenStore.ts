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
import { LockMode } from '@mikro-orm/core';
import type { Pool } from 'pg';
import { entityManagerFor } from '../db/database';
import { AccessSecret, AccessToken } from '../graph/entities';
import { ROLES, type Role } from './viewer';
import { signToken, type TokenClaims } from './tokenFormat';
import type { HousekeepingReader } from '../db/statementCounter';

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

/**
 * Makes the first key unless there is one; concurrent first uses agree on one. One SQL statement,
 * not the EntityManager: "insert unless the table has any row, else nothing" is one atomic
 * statement here, and two hubs starting at once on one database must not both make a key.
 */
export async function ensureSigningKey(pool: Pool): Promise<void> {
  await pool.query(
    `insert into access_secret (id, secret) select 1, $1 where not exists (select 1 from access_secret) on conflict do nothing`,
    [randomBytes(32)],
  );
}

/** Every key, the current one first, then the retired ones newest first. */
export async function readSigningKeys(pool: HousekeepingReader): Promise<SigningKey[]> {
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
  const em = entityManagerFor(pool);
  // The row names the key current when it is read; signed with that key, the token is refused at
  // once if a rotation came in between, like every token issued before the rotation.
  const key = await em.findOneOrFail(AccessSecret, { retiredAt: null });
  // Both times from one clock, so that a token lives exactly its days (iat and exp below).
  const createdAt = new Date();
  const token = em.create(AccessToken, {
    label,
    role,
    regionCode: scope,
    department,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + days * DAY_MS),
    keyGeneration: key.id,
  });
  await em.flush();
  const row = tokenRow(token);
  const claims: TokenClaims = {
    jti: row.id,
    role,
    region: scope,
    ...(department && { department }),
    iat: Math.floor(row.createdAt.getTime() / 1000),
    exp: Math.floor(row.expiresAt.getTime() / 1000),
  };
  return { ...row, token: signToken(claims, key.secret) };
}

const DAY_MS = 86_400_000;

function tokenRow(t: AccessToken): TokenRow {
  return {
    id: t.id,
    label: t.label,
    role: t.role,
    regionCode: t.regionCode,
    department: t.department ?? null,
    createdAt: t.createdAt!,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt ?? null,
    keyGeneration: t.keyGeneration,
  };
}

/** Revokes a token at once; a second revocation keeps the first time. */
export async function revokeToken(pool: Pool, id: string): Promise<'revoked' | 'already revoked' | 'unknown'> {
  if (!/^\d{1,18}$/.test(id)) return 'unknown';
  return entityManagerFor(pool).transactional(async (em) => {
    // locked, so that of two revocations at once the second sees the first
    const token = await em.findOne(AccessToken, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!token) return 'unknown';
    if (token.revokedAt) return 'already revoked';
    token.revokedAt = new Date();
    return 'revoked';
  });
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
  return entityManagerFor(pool).transactional(async (em) => {
    // one rotation at a time: a second waits and retires the key the first made
    await em.execute('lock table access_secret in exclusive mode');
    const current = await em.findOne(AccessSecret, { retiredAt: null });
    const [newest] = await em.find(AccessSecret, {}, { orderBy: { id: 'desc' }, limit: 1 });
    if (current) {
      current.retiredAt = new Date();
      // retired before the next is written: at most one key is current (access_secret_current)
      await em.flush();
    }
    const made = em.create(AccessSecret, { id: (newest?.id ?? 0) + 1, secret: randomBytes(32) });
    await em.flush();
    const retiredGeneration = current?.id ?? null;
    const stopped =
      retiredGeneration === null
        ? []
        : await em.find(AccessToken, { keyGeneration: retiredGeneration, revokedAt: null, expiresAt: { $gt: new Date() } }, { orderBy: { id: 'asc' } });
    return { generation: made.id, retiredGeneration, stopped: stopped.map(tokenRow) };
  });
}

export type RefusalReason = 'MALFORMED' | 'BAD_SIGNATURE' | 'RETIRED_KEY' | 'EXPIRED' | 'REVOKED' | 'UNKNOWN';
