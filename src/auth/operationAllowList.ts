/**
 * 登记的查询 the documents DEPARTMENT apps may run: the office registers each document's exact
 * text (`weijiu operations add FILE` or the `registerOperation` mutation) and a DEPARTMENT token
 * then runs only documents whose sha256 is registered, for any department or for its own. The
 * same table answers Apollo's persisted-query lookups, so an app may send just the hash.
 */
import { createHash } from 'node:crypto';
import { GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import type { Pool } from 'pg';
import { entityManagerFor } from '../db/database';
import { RegisteredOperation } from '../graph/entities';
import { aliasLimitRule, depthLimitRule, QUERY_LIMITS } from './queryLimits';

export const MAX_DOCUMENT_LENGTH = 100_000;

export interface RegisteredOperationRow {
  sha256: string;
  name: string | null;
  department: string | null;
  document: string;
  registeredBy: string;
  registeredAt: Date;
  retiredAt: Date | null;
}

export class OperationRegistrationError extends Error {}

/** The hash apps and the hub agree on: sha256 of the document's UTF-8 text, exactly as sent, in hex. */
export function operationSha256(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex');
}

const columns = `sha256, name, department, document, registered_by as "registeredBy", registered_at as "registeredAt", retired_at as "retiredAt"`;

/**
 * Registers a document after checking it against the schema and the query limits, so that only
 * documents that can run are on the list. Registering it again replaces its entry.
 */
export async function registerOperation(
  pool: Pool,
  schema: GraphQLSchema,
  input: { document: string; name?: string | null; department?: string | null; registeredBy: string },
  departments: readonly string[],
): Promise<RegisteredOperationRow> {
  const { document } = input;
  if (!document.trim()) throw new OperationRegistrationError('document: empty');
  if (document.length > MAX_DOCUMENT_LENGTH) throw new OperationRegistrationError(`document: longer than ${MAX_DOCUMENT_LENGTH} characters`);
  const department = input.department?.trim() || null;
  if (department && !departments.includes(department)) {
    throw new OperationRegistrationError(`department: must be one of ${departments.join(', ')} (got "${department.slice(0, 40)}")`);
  }
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, parse(document, { maxTokens: QUERY_LIMITS.maxTokens }), [...specifiedRules, depthLimitRule(), aliasLimitRule()]);
  } catch (e) {
    errors = [e instanceof GraphQLError ? e : new GraphQLError(String(e))];
  }
  if (errors.length) throw new OperationRegistrationError(`document: not a valid operation of this schema: ${errors[0]!.message}`);
  // one statement (insert … on conflict do update): two registrations of one document at once both succeed
  const entry = await entityManagerFor(pool).upsert(
    RegisteredOperation,
    {
      sha256: operationSha256(document),
      name: input.name?.trim() || null,
      department,
      document,
      registeredBy: input.registeredBy,
      registeredAt: new Date(),
      retiredAt: null,
    },
    { onConflictFields: ['sha256'], onConflictAction: 'merge' },
  );
  return operationRow(entry);
}

function operationRow(o: RegisteredOperation): RegisteredOperationRow {
  return {
    sha256: o.sha256,
    name: o.name ?? null,
    department: o.department ?? null,
    document: o.document,
    registeredBy: o.registeredBy,
    registeredAt: o.registeredAt!,
    retiredAt: o.retiredAt ?? null,
  };
}

export async function isRegisteredFor(pool: Pool, sha256: string, department: string | null): Promise<boolean> {
  const { rowCount } = await pool.query(
    `select 1 from registered_operation where sha256 = $1 and retired_at is null and (department is null or department = $2)`,
    [sha256, department],
  );
  return (rowCount ?? 0) > 0;
}

export async function listOperations(pool: Pool): Promise<RegisteredOperationRow[]> {
  const { rows } = await pool.query<RegisteredOperationRow>(`select ${columns} from registered_operation order by registered_at, sha256`);
  return rows;
}

/** Takes a document off the list; apps running it are refused from the next request on. */
export async function retireOperation(pool: Pool, sha256: string): Promise<boolean> {
  const em = entityManagerFor(pool);
  const entry = await em.findOne(RegisteredOperation, { sha256, retiredAt: null });
  if (!entry) return false;
  entry.retiredAt = new Date();
  await em.flush();
  return true;
}

/**
 * Apollo's persisted-query store, read from the register: `get` finds a registered document by
 * its hash; documents clients send are never stored (`set` does nothing), so the list stays the
 * office's.
 */
export function registeredOperationStore(pool: Pool) {
  return {
    async get(key: string): Promise<string | undefined> {
      const sha256 = key.replace(/^apq:/, '');
      if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
      const { rows } = await pool.query<{ document: string }>(`select document from registered_operation where sha256 = $1 and retired_at is null`, [sha256]);
      return rows[0]?.document;
    },
    async set(): Promise<void> {},
    async delete(): Promise<boolean> {
      return false;
    },
  };
}
