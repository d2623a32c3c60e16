import { z } from 'zod';

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

