import { z, type ZodType } from 'zod';
import { RecordFault } from '../../src/ingest/recordFields';

/**
 * The health registry's record shapes (feeds.md §3) — only what must hold for a record to be read
 * at all. Field values (ID numbers, dates, amounts, codes) are checked by the mappers, which give
 * the precise quarantine reason.
 */
const scalar = z.union([z.string(), z.number()]).nullish();

/** 医保结算 one hospital settlement */
export const settlementContract = z.object({
  jsid: z.string().min(1),
  sfzh: scalar,
  xm: z.string().nullish(),
  jsrq: scalar,
  zfy: scalar,
  ybbx: scalar,
  yljz: scalar,
  grzf: scalar,
  jbzd: scalar,
  dbbz: scalar,
});

/** 死亡医学证明 a medical death certificate */
export const deathContract = z.object({
  swzmbh: z.string().min(1),
  sfzh: scalar,
  xm: z.string().nullish(),
  swrq: scalar,
  qhdm: scalar,
});

export type SettlementRecord = z.infer<typeof settlementContract>;
export type DeathRecord = z.infer<typeof deathContract>;

/** 大病标志: `1` a catastrophic-illness settlement, `0` not */
export const CATASTROPHIC_FLAGS = ['0', '1'] as const;

/** The record as its contract reads it, or a fault naming the first field that does not fit. */
export function readShape<T>(raw: unknown, contract: ZodType<T>): T {
  const parsed = contract.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const value = valueAt(raw, issue.path);
  throw new RecordFault(value === undefined || value === null ? 'MISSING_FIELD' : 'BAD_VALUE', issue.path.join('.') || '(record)', value);
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** The record key, read before anything else so that even a refused record names its key. */
export function keyOf(raw: unknown, field: string): string | null {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}
