import { z } from 'zod';

/**
 * The disabled-persons register's record shape (feeds.md §6, camelCase) — only what must hold for
 * a record to be read at all; field values are checked by the mapper, which gives the precise
 * quarantine reason.
 */
const scalar = z.union([z.string(), z.number()]).nullish();

export const personContract = z.object({
  certNo: z.string().min(1),
  idCard: scalar,
  name: z.string().nullish(),
  category: scalar,
  grade: scalar,
  issueDate: scalar,
  validUntil: scalar,
  status: z.string().nullish(),
  regionCode: scalar,
  subsidies: z
    .array(z.object({ type: z.string().nullish(), monthlyAmount: scalar, startDate: scalar, endDate: scalar }).passthrough())
    .nullish(),
  modifiedAt: z.string(),
});

export type DisabledPersonRecord = z.infer<typeof personContract>;

/** 残疾类别: 1 视力 visual, 2 听力 hearing, 3 言语 speech, 4 肢体 physical, 5 智力 intellectual, 6 精神 mental, 7 多重 multiple */
export const CATEGORIES = [1, 2, 3, 4, 5, 6, 7] as const;
/** 残疾等级: 1 (most severe) … 4 */
export const GRADES = [1, 2, 3, 4] as const;
export const STATUSES = ['VALID', 'EXPIRED', 'REVOKED'] as const;
/** 两项补贴: 困难残疾人生活补贴 and 重度残疾人护理补贴, as the hub's programme codes */
export const SUBSIDY_PROGRAMMES = { LIVING: 'CJ_LIVING', NURSING: 'CJ_NURSING' } as const;

