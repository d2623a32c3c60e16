import { z } from 'zod';

/**
 * 住建局 housing-security ledger (feeds.md §4): one workbook per export, `zfbz_{YYYYMMDD}.xlsx`, a
 * full snapshot of both sheets. The row contracts say which columns a row must have; the
 * mappers read each value and give the precise quarantine reason.
 */
export const HOUSING_FILE = /^zfbz_(\d{4})(\d{2})(\d{2})\.xlsx$/;

/** 保障房 public rental housing and rent subsidies */
export const PUBLIC_HOUSING_SHEET = '保障房';
export const publicHousingRow = z.object({
  序号: z.string(),
  申请人身份证号: z.string(),
  申请人姓名: z.string(),
  家庭人口: z.string(),
  保障方式: z.string(),
  '补贴金额(元/月)': z.string(),
  开始日期: z.string(),
  结束日期: z.string(),
  房源地址: z.string(),
  区划代码: z.string(),
});
export const PUBLIC_HOUSING_HEADERS = Object.keys(publicHousingRow.shape);

/** 危房 rural dangerous houses (assessment and renovation) */
export const DANGEROUS_HOUSE_SHEET = '危房';
export const dangerousHouseRow = z.object({
  序号: z.string(),
  户主身份证号: z.string(),
  户主姓名: z.string(),
  鉴定等级: z.string(),
  鉴定日期: z.string(),
  改造状态: z.string(),
  补助金额: z.string(),
  区划代码: z.string(),
});
export const DANGEROUS_HOUSE_HEADERS = Object.keys(dangerousHouseRow.shape);

/** 保障方式 → programme: 实物配租 a public rental flat, 租赁补贴 a rent subsidy */
export const HOUSING_MODES: Readonly<Record<string, string>> = {
  实物配租: 'ZF_FLAT',
  租赁补贴: 'ZF_RENT',
};
/** 鉴定等级: C and D are dangerous */
export const HOUSE_RATINGS = ['A', 'B', 'C', 'D'] as const;
/** 改造状态 renovation: not started, under way, done */
export const RENOVATION_STATUSES = ['未改造', '改造中', '已改造'] as const;
