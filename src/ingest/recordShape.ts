import type { ZodType } from 'zod';
import { RecordFault } from './recordFields';

/**
 * The first look at a JSON record: its key (read before anything else, so that even a refused
 * record names it) and its shape by the connector's zod contract, or a fault naming the first
 * field that does not fit — `subsidies[0].monthlyAmount`, the way the quarantine names it.
 */
export function readShape<T>(raw: unknown, contract: ZodType<T>): T {
  const parsed = contract.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const value = valueAt(raw, issue.path);
  throw new RecordFault(value === undefined || value === null ? 'MISSING_FIELD' : 'BAD_VALUE', fieldName(issue.path), value);
}

export function keyOf(raw: unknown, field: string): string | null {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(record)';
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}
