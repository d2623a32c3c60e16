import { z } from 'zod';

/**
 * 教育局 student financial aid ledger (feeds.md §2): one GBK CSV per term, `xszz_{学年}_{学期}.csv`,
 * the complete record of that term. The row contract only says which columns a row must have;
 * the mapper reads each value and gives the precise quarantine reason.
 */
export const EDUCATION_FILE = /^xszz_(\d{4})-(\d{4})_([12])\.csv$/;

export const educationRow = z.object({
  学籍号: z.string(),
  身份证号: z.string(),
  姓名: z.string(),
  学校名称: z.string(),
  学段: z.string(),
  年级: z.string(),
  在校状态: z.string(),
  资助项目: z.string(),
  资助金额: z.string(),
  学年: z.string(),
  学期: z.string(),
  区划代码: z.string(),
});

export type EducationRow = z.infer<typeof educationRow>;
export const EDUCATION_HEADERS = Object.keys(educationRow.shape) as Array<keyof EducationRow>;

/** 学段 school stage */
export const STAGES = ['学前', '小学', '初中', '高中', '中职', '高校'] as const;
/** 在校状态 enrolment status: studying, suspended, graduated, dropped out */
export const SCHOOL_STATUSES = ['在读', '休学', '毕业', '退学'] as const;

/** 资助项目 → the hub's programme codes (rules.md "Programmes") */
export const AID_PROGRAMMES: Readonly<Record<string, string>> = {
  学前资助: 'JY_PRESCHOOL',
  义务教育生活补助: 'JY_LIVING',
  国家助学金: 'JY_GRANT',
  免学费: 'JY_FREE',
  生源地贷款: 'JY_LOAN',
};
