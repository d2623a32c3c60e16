import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Pool } from 'pg';
import type { AuditEntry } from '../../auth/auditTrail';
import { declaredPurpose } from '../../auth/authenticate';
import type { Role, Viewer } from '../../auth/viewer';
import type { HubLogger } from '../../logging/logger';

/**
 * What every XLSX export shares (office.md "Exports"): the viewer taken from the request by the
 * function the hub passes in (the bearer token, or the page's session), the roles allowed, a
 * client's mistake as a 400 JSON error naming the parameter, and the audit row of the people an
 * export names — committed before its first byte leaves, as GraphQL's audit plugin does.
 */
export interface ExportOptions {
  /** the request's viewer; throws a GraphQLError (UNAUTHENTICATED, FORBIDDEN) without one */
  authenticate(req: Request): Promise<Viewer>;
  pool: Pool;
  city: string;
  today(): string;
  audit(entry: AuditEntry): Promise<void>;
  log: HubLogger;
}

/** A client's mistake in a parameter: 400, naming it. */
export class ExportInputError extends Error {
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
  }
}

/** Refused (403): outside the token's role or region. */
export class ExportForbidden extends Error {}

/** Nothing there (404): a screening or report that does not exist, or that the reader may not see. */
export class ExportNotFound extends Error {}

function answer(res: Response, status: number, message: string, code: string, parameter?: string): void {
  if (!res.headersSent) res.status(status).json({ error: { message, code, ...(parameter && { parameter }) } });
}

export function exportHandler(
  opts: ExportOptions,
  roles: readonly Role[],
  produce: (viewer: Viewer, req: Request, res: Response) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    let viewer: Viewer;
    try {
      viewer = await opts.authenticate(req);
    } catch (e) {
      const code = e instanceof GraphQLError ? String(e.extensions.code ?? 'UNAUTHENTICATED') : 'UNAUTHENTICATED';
      return answer(res, code === 'FORBIDDEN' ? 403 : 401, e instanceof Error ? e.message : 'not authenticated', code);
    }
    if (!roles.includes(viewer.role)) return answer(res, 403, `${viewer.role} tokens get no such export`, 'FORBIDDEN');
    try {
      await produce(viewer, req, res);
    } catch (e) {
      if (e instanceof ExportInputError) return answer(res, 400, e.message, 'BAD_USER_INPUT', e.parameter);
      if (e instanceof ExportForbidden) return answer(res, 403, e.message, 'FORBIDDEN');
      if (e instanceof ExportNotFound) return answer(res, 404, e.message, 'NOT_FOUND');
      opts.log.error({ err: { type: (e as Error)?.constructor?.name, message: (e as Error)?.message?.slice(0, 200) }, path: req.path }, 'export failed');
      // once streaming, the download is cut short rather than ending as a valid but partial file
      if (res.headersSent) res.destroy(e as Error);
      else answer(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
    }
  };
}

/** A query parameter given once, as text; absent or empty → null. */
export function queryParameter(req: Request, name: string): string | null {
  const v = req.query[name];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string') throw new ExportInputError(`${name}: give it once, as text`, name);
  return v;
}

/** A query parameter that may be repeated or comma-separated (list fields of a filter). */
export function listParameter(req: Request, name: string): string[] | null {
  const v = req.query[name];
  if (v === undefined || v === '') return null;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : [null]));
  if (parts.some((p) => p === null)) throw new ExportInputError(`${name}: a list of values, repeated or comma-separated`, name);
  return (parts as string[]).map((p) => p.trim()).filter(Boolean);
}

export const REGION_CODE = /^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/;

export function dateParameter(req: Request, name: string): string | null {
  const v = queryParameter(req, name);
  if (v === null) return null;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : null;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new ExportInputError(`${name}: not a date (YYYY-MM-DD)`, name);
  return v;
}

/** The audit row of an export: like a read of every person it names (docs/roles-and-tokens.md). */
export function exportAudit(viewer: Viewer, req: Request, what: string, personIds: readonly string[], householdIds: readonly string[], purpose?: string): AuditEntry {
  const operation = `GET /api/exports/${what}`;
  return {
    viewer,
    operationType: 'export',
    operation,
    querySha256: crypto.createHash('sha256').update(operation).digest('hex'),
    purpose: declaredPurpose(req) ?? purpose ?? null,
    personIds,
    householdIds,
  };
}
