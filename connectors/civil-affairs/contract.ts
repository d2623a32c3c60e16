import { z } from 'zod';

/**
 * The civil-affairs registry's record shapes (feeds.md §1) — only what must hold for a record to
 * be read at all. Field values (ID numbers, dates, amounts, codes) are checked by the mappers,
 * which give the precise quarantine reason.
 */
const scalar = z.union([z.string(), z.number()]).nullish();

export const householdContract = z.object({
  hh_id: z.string().min(1),
  hzsfzh: scalar,
  jtdz: z.string().nullish(),
  qhdm: scalar,
  hjxz: z.string().nullish(),
  members: z.array(
    z.object({ sfzh: scalar, xm: z.string().nullish(), yhzgx: scalar, zlnl: z.string().nullish() }).passthrough(),
  ),
  enrollments: z.array(
    z
      .object({
        xmdm: z.string().nullish(),
        bzje: scalar,
        ksrq: scalar,
        zzrq: scalar,
        tkcy: z.array(scalar).nullish(),
        gyfs: z.string().nullish(),
        spjb: z.string().nullish(),
      })
      .passthrough(),
  ),
  updated_at: z.string(),
  deleted: z.boolean().nullish(),
});

export const grantContract = z.object({
  grant_id: z.string().min(1),
  sfzh: scalar,
  xm: z.string().nullish(),
  xmdm: z.string().nullish(),
  je: scalar,
  ffrq: scalar,
  ksrq: scalar,
  zzrq: scalar,
  qhdm: scalar,
  spjb: z.string().nullish(),
  ldxz_pzwh: z.string().nullish(),
  updated_at: z.string(),
  deleted: z.boolean().nullish(),
});

export const registrationContract = z.object({
  reg_id: z.string().min(1),
  sfzh: scalar,
  xm: z.string().nullish(),
  lb: z.string().nullish(),
  djrq: scalar,
  zxrq: scalar,
  qhdm: scalar,
  updated_at: z.string(),
  deleted: z.boolean().nullish(),
});

export type HouseholdRecord = z.infer<typeof householdContract>;
export type GrantRecord = z.infer<typeof grantContract>;
export type RegistrationRecord = z.infer<typeof registrationContract>;

/** 救助项目代码 the programme codes each endpoint may carry */
export const ENROLLMENT_PROGRAMMES = ['DB', 'TK', 'DSR'] as const;
export const GRANT_PROGRAMMES = ['LS', 'GE', 'SW'] as const;
/** 留守老人, 留守妇女, 留守儿童, 困境儿童, 流浪乞讨人员 */
export const REGISTER_CATEGORIES = ['LSLR', 'LSFN', 'LSET', 'KJET', 'LLQT'] as const;
export const REGISTRATION_TYPES = ['城镇', '农村'] as const;
export const SELF_CARE = ['全自理', '半失能', '全失能'] as const;
export const SUPPORT_MODES = ['集中', '分散'] as const;
export const APPROVAL_LEVELS = ['镇街', '区市'] as const;
