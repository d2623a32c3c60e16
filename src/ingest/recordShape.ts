import type { ZodType } from 'zod';
import { RecordFault } from './recordFields';

/**
 * The first look at a JSON record: its key (read before anything else, so that even a refused
 * record names it) and its shape by the connector's zod contract, or a fault naming the first
 * field that does not fit — `subsidies[0].monthlyAmount`, the way the quarantine names it.
 */
export function readShape<T>(raw: unknown, contract: ZodType<T>): T {
  // A record that plainly fits is read as it is: zod would copy it (and its arrays) field by
  // field, a few µs and the garbage of every record. The mappers only read the contract's fields.
  if (fitsPlainly(contract)?.(raw)) return raw as T;
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

type Fits = (value: unknown) => boolean;

const plainChecks = new WeakMap<object, Fits | null>();

/**
 * A check that accepts only what the zod contract accepts, built from its definition (objects,
 * strings with a minimum length, finite numbers, booleans, arrays, unions, optional and nullable),
 * or null for a contract with anything else (which zod alone then reads). Whatever it refuses zod
 * reads, and names the fault.
 */
function fitsPlainly(schema: ZodType<unknown>): Fits | null {
  let fits = plainChecks.get(schema);
  if (fits === undefined) {
    fits = compile(schema);
    plainChecks.set(schema, fits);
  }
  return fits;
}

interface Definition {
  type: string;
  checks?: Array<{ _zod?: { def?: { check?: string; minimum?: number } } }>;
  innerType?: unknown;
  options?: unknown[];
  element?: unknown;
  shape?: Record<string, unknown>;
  catchall?: { _zod?: { def?: { type?: string } } };
}

function compile(schema: unknown): Fits | null {
  const def = (schema as { _zod?: { def?: Definition } } | null)?._zod?.def;
  if (!def) return null;
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'string': {
      let min = 0;
      for (const c of checks) {
        const d = c._zod?.def;
        if (d?.check !== 'min_length' || typeof d.minimum !== 'number') return null;
        min = Math.max(min, d.minimum);
      }
      return (v) => typeof v === 'string' && v.length >= min;
    }
    case 'number':
      return checks.length ? null : (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return checks.length ? null : (v) => typeof v === 'boolean';
    case 'optional': {
      const inner = compile(def.innerType);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType);
      return inner && ((v) => v === null || inner(v));
    }
    case 'union': {
      const options = (def.options ?? []).map(compile);
      if (checks.length || !options.length || options.some((o) => o === null)) return null;
      const all = options as Fits[];
      return (v) => all.some((o) => o(v));
    }
    case 'array': {
      const element = compile(def.element);
      if (checks.length || !element) return null;
      return (v) => Array.isArray(v) && v.every(element);
    }
    case 'object': {
      // stripped or passed through, unknown keys are accepted; a strict object is zod's
      const catchall = def.catchall?._zod?.def?.type;
      if (checks.length || !def.shape || (catchall !== undefined && catchall !== 'unknown')) return null;
      const fields: Array<[string, Fits]> = [];
      for (const [key, field] of Object.entries(def.shape)) {
        const fits = compile(field);
        if (!fits) return null;
        fields.push([key, fits]);
      }
      return (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
        const record = v as Record<string, unknown>;
        for (const [key, fits] of fields) if (!fits(record[key])) return false;
        return true;
      };
    }
    default:
      return null;
  }
}
