import crypto from 'node:crypto';
import busboy from 'busboy';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { readScreeningFile } from '../ingest/screeningFile';
import { UnreadableFile } from '../ingest/fileDrop';
import type { Actor, Created, NewScreening } from '../rules/screening/screenings';
import { MAX_UPLOAD_ROWS, ScreeningForbidden, ScreeningInputError } from '../rules/screening/screenings';
import type { HubLogger } from '../logging/logger';
import type { AuditEntry } from '../auth/auditTrail';
import type { Viewer } from '../auth/viewer';

/**
 * `POST /api/screenings` (office.md "Screening"): a proposed list as multipart/form-data — `file`
 * (CSV or XLSX), `programme`, `year`, `regionCode`, `title`, optional `asOf` — with the bearer
 * token as for GraphQL. The body is streamed through busboy with its limits (one file of at most
 * 20 MB, a few short fields); a file the hub cannot read is a 400 naming the problem and nothing
 * is stored; `201 { id, rows, rejected }` otherwise.
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/**
 * An XLSX's parts inflated together: a 100,000-row list of six columns is about 33 MB, and exceljs
 * holding it peaked at 554 MiB RSS (8 s) — twice that is the most a hub under a 640 MB heap takes.
 */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export interface ScreeningUploadOptions {
  /** the token's actor; throws UNAUTHENTICATED (a GraphQLError) without a valid one */
  authenticate(req: Request): Promise<Actor>;
  create(actor: Actor, screening: NewScreening): Promise<Created>;
  /** the audit row of the people the list names (judged, hence read), written before the answer leaves */
  audit(actor: Actor, created: Created): Promise<void>;
  log: HubLogger;
}

const FIELDS = new Set(['programme', 'year', 'regionCode', 'title', 'asOf']);

function answer(res: Response, status: number, message: string, code: string, field?: string): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { message, code, ...(field && { field }) } });
}

export function screeningUpload(opts: ScreeningUploadOptions): RequestHandler {
  return async (req, res) => {
    let actor: Actor;
    try {
      actor = await opts.authenticate(req);
    } catch (e) {
      const code = e instanceof GraphQLError ? String(e.extensions.code ?? 'UNAUTHENTICATED') : 'UNAUTHENTICATED';
      req.resume();
      answer(res, code === 'FORBIDDEN' ? 403 : 401, e instanceof Error ? e.message : 'not authenticated', code);
      return;
    }
    if (!req.is('multipart/form-data')) {
      req.resume();
      answer(res, 400, 'send multipart/form-data with a file and the fields programme, year, regionCode, title (asOf optional)', 'BAD_REQUEST');
      return;
    }
    let parsed: { fields: Record<string, string>; file: { name: string; bytes: Buffer } | null };
    try {
      parsed = await receive(req);
    } catch (e) {
      answer(res, 400, (e as Error).message, 'BAD_REQUEST');
      return;
    }
    const { fields, file } = parsed;
    if (!file) return answer(res, 400, 'no file: send the list as the multipart field "file"', 'BAD_REQUEST', 'file');
    try {
      const rows = await readScreeningFile(file.bytes, file.name, { maxRows: MAX_UPLOAD_ROWS, maxInflatedBytes: MAX_INFLATED_BYTES, maxCellChars: 4096 });
      const created = await opts.create(actor, {
        programme: fields.programme ?? '',
        year: /^\d{4}$/.test(fields.year ?? '') ? Number(fields.year) : Number.NaN,
        regionCode: fields.regionCode ?? '',
        title: fields.title ?? '',
        asOf: fields.asOf?.trim() || null,
        rows,
      });
      await opts.audit(actor, created);
      res.status(201).json({ id: created.id, rows: created.rows, rejected: created.rejected });
    } catch (e) {
      if (e instanceof UnreadableFile) return answer(res, 400, e.message, 'UNREADABLE_FILE', 'file');
      if (e instanceof ScreeningInputError) return answer(res, 400, e.message, 'BAD_USER_INPUT', e.argumentName);
      if (e instanceof ScreeningForbidden) return answer(res, 403, e.message, 'FORBIDDEN');
      opts.log.error({ err: { type: (e as Error)?.constructor?.name } }, 'screening upload failed');
      answer(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
    }
  };
}

/** The form, streamed: the file gathered up to the limit, the fields short; anything over a limit refuses the upload. */
function receive(req: Request): Promise<{ fields: Record<string, string>; file: { name: string; bytes: Buffer } | null }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 10, fieldSize: 1024, parts: 12 } });
    } catch (e) {
      reject(new Error(`not a readable multipart body: ${(e as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let file: { name: string; bytes: Buffer } | null = null;
    let failure: Error | null = null;
    const fail = (message: string) => {
      failure ??= new Error(message);
    };
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(`field ${name.slice(0, 20)}: longer than 1024 bytes`);
      else if (FIELDS.has(name)) fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const parts: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!failure) parts.push(chunk);
      });
      stream.on('limit', () => fail(`file: larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB (the limit of a list)`));
      stream.on('close', () => {
        if (!failure) file = { name: (info.filename || 'upload').slice(0, 100), bytes: Buffer.concat(parts) };
      });
    });
    bb.on('filesLimit', () => fail('only one file a list'));
    bb.on('fieldsLimit', () => fail('too many fields'));
    bb.on('partsLimit', () => fail('too many parts'));
    bb.on('error', (e: Error) => reject(new Error(`not a readable multipart body: ${e.message}`)));
    bb.on('close', () => (failure ? reject(failure) : resolve({ fields, file })));
    req.pipe(bb);
  });
}

/** The audit row of an upload: who, the people its list names, and the screening as purpose. */
export function screeningUploadAudit(viewer: Viewer, created: Created): AuditEntry {
  return {
    viewer,
    operationType: 'upload',
    operation: 'POST /api/screenings',
    querySha256: UPLOAD_SHA256,
    purpose: `screening ${created.id}`,
    personIds: created.personIds,
    householdIds: [],
  };
}

const UPLOAD_SHA256 = crypto.createHash('sha256').update('POST /api/screenings').digest('hex');
