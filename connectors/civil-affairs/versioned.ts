import type { ZodType } from 'zod';
import { isoDateInShanghai } from '../../src/identity';
import { RecordFault } from '../../src/ingest/recordFields';

/**
 * Every civil-affairs endpoint versions its records by `updated_at`: the newest version is the
 * state, and whatever it no longer lists ends on that version's date (Asia/Shanghai).
 */
export function readVersioned<T extends { updated_at: string }>(raw: unknown, contract: ZodType<T>): { record: T; versionAt: string; versionDate: string } {
  const parsed = contract.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(record)';
    const missing = issue.code === 'invalid_type' && getPath(raw, issue.path) === undefined;
    throw new RecordFault(missing ? 'MISSING_FIELD' : 'BAD_VALUE', field, getPath(raw, issue.path));
  }
  const versionAt = parsed.data.updated_at;
  if (Number.isNaN(Date.parse(versionAt))) throw new RecordFault('IMPOSSIBLE_DATE', 'updated_at', versionAt);
  return { record: parsed.data, versionAt, versionDate: isoDateInShanghai(versionAt) };
}

function getPath(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** The record key, read before anything else so that even a refused record names its key. */
export function keyOf(raw: unknown, field: string): string | null {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}
