import { z } from 'zod';
import { parseBusinessDate } from '../../src/identity';

/**
 * 家庭经济状况核对 the economic-check oracle (feeds.md §7): a batch of ID numbers in, the facts
 * of the bank, insurance, tax, social-security, real-estate, vehicle and business registers out.
 */
export const MAX_IDS_PER_CALL = 200;
/** the oracle answers HTTP 429 beyond this */
export const MAX_CALLS_PER_SECOND = 5;

const scalar = z.union([z.string(), z.number()]).nullish();

export const factContract = z.object({
  sfzh: scalar,
  source: z.string().nullish(),
  item: scalar,
  value: scalar,
  unit: z.string().nullish(),
  as_of: scalar,
});

export const answerContract = z.object({
  results: z.array(z.unknown()),
  missing: z.array(z.unknown()).nullish(),
});

export type EconomicFactRecord = z.infer<typeof factContract>;
export type OracleAnswer = z.infer<typeof answerContract>;

/** 银行存款, 商业保险, 纳税, 社保, 不动产, 车辆, 市场主体 */
export const SOURCES = ['BANK', 'INSURANCE', 'TAX', 'SOCIAL_SECURITY', 'REAL_ESTATE', 'VEHICLE', 'BUSINESS'] as const;

/**
 * The record key `sfzh|source|item|as_of`: each field as delivered but trimmed, the date in ISO
 * form when it parses — read before anything else so that even a refused fact names its key.
 */
export function keyOf(raw: unknown): string | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');
  const asOf = parseBusinessDate(r.as_of);
  const parts = [text(r.sfzh), text(r.source), text(r.item), asOf.ok && asOf.date ? asOf.date : text(r.as_of)];
  return parts.some((p) => p) ? parts.join('|') : null;
}

