import { z } from 'zod';

/**
 * 乡村振兴局 registered-poor and monitoring ledger (feeds.md §5): `fpdx_{YYYYMMDD}.csv`, GBK, a full
 * snapshot with one row per household member. The row contract says which columns a row must
 * have; the mapper reads each value and gives the precise quarantine reason.
 */
export const POVERTY_FILE = /^fpdx_(\d{4})(\d{2})(\d{2})\.csv$/;

export const povertyRow = z.object({
  户编号: z.string(),
  户主身份证号: z.string(),
  成员身份证号: z.string(),
  成员姓名: z.string(),
  与户主关系: z.string(),
  识别年度: z.string(),
  脱贫状态: z.string(),
  监测对象类型: z.string(),
  主要风险: z.string(),
  家庭年人均纯收入: z.string(),
  区划代码: z.string(),
});

export type PovertyRow = z.infer<typeof povertyRow>;
export const POVERTY_HEADERS = Object.keys(povertyRow.shape) as Array<keyof PovertyRow>;

/** 脱贫状态: out of poverty / not yet */
export const POVERTY_STATUSES = ['已脱贫', '未脱贫'] as const;
/** 监测对象类型 (防返贫监测): unstable, marginal, sudden severe hardship; empty = not monitored */
export const MONITORING_TYPES = ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'] as const;
/** 主要风险 main risk */
export const MAIN_RISKS = ['因病', '因残', '因学', '因灾', '因意外', '缺劳力', '其他'] as const;
