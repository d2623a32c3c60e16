/**
 * Plausible Chinese personal names (姓名) for synthetic people in Weihai: surnames common on the
 * Jiaodong peninsula, given names typical of the generation a person was born into.
 */
import type { Random } from './random';

/** Surname weights loosely follow Weihai: 王, 李, 张, 刘, 于, 孙 lead; 丛, 隋, 曲, 鞠 are local. */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 90], ['李', 70], ['张', 70], ['刘', 60], ['于', 45], ['孙', 40], ['林', 30], ['杨', 25],
  ['陈', 25], ['赵', 25], ['徐', 20], ['宋', 20], ['曲', 20], ['姜', 20], ['丛', 18], ['谷', 12],
  ['隋', 12], ['董', 12], ['吕', 12], ['周', 12], ['毕', 10], ['宫', 10], ['田', 10], ['乔', 8],
  ['邹', 8], ['戚', 8], ['鞠', 10], ['汤', 6], ['初', 8], ['慕', 5], ['黄', 10], ['郭', 10],
  ['胡', 8], ['梁', 8], ['高', 10], ['马', 8], ['衣', 6], ['车', 5], ['夏', 5], ['谭', 5],
];

const GIVEN_NAMES = {
  /** born before 1960 */
  olderMale: ['建国', '福', '忠', '贵', '山', '发', '长海', '德胜', '玉山', '洪昌', '学文', '福林', '振华', '树林', '志刚', '成', '明', '世英', '春生', '国庆', '宝山', '永福', '德顺', '文华'],
  olderFemale: ['淑英', '秀英', '桂英', '秀兰', '玉兰', '凤兰', '春梅', '美玲', '珍', '华', '英', '兰', '金凤', '秀珍', '桂兰', '玉珍', '凤英', '淑珍', '玉芝', '素梅', '爱华', '秀云'],
  /** born 1960–1989 */
  middleMale: ['伟', '强', '磊', '涛', '鹏', '斌', '杰', '勇', '峰', '波', '超', '海涛', '永刚', '卫东', '洪涛', '文涛', '建军', '志强', '军', '刚', '宁', '红军', '建华', '立新'],
  middleFemale: ['丽', '静', '芳', '娟', '婷', '艳', '红', '慧', '晓丽', '晓燕', '春燕', '美华', '玉梅', '雪梅', '晓梅', '丹', '玲', '雪', '红霞', '丽娜', '海燕', '小红'],
  /** born 1990 or later */
  youngerMale: ['浩然', '子豪', '宇轩', '俊熙', '天佑', '思远', '一鸣', '博文', '浩宇', '宇航', '睿', '阳', '凯', '明轩', '子轩', '皓轩', '梓睿', '泽宇', '铭', '嘉豪', '俊杰', '晨阳'],
  youngerFemale: ['子涵', '雨桐', '欣怡', '诗涵', '一诺', '梓萱', '婉清', '佳琪', '萱', '涵', '蕊', '思雨', '语桐', '可欣', '雨萱', '梦瑶', '欣然', '若曦', '佳怡', '紫涵', '静怡', '雅琪'],
} as const;

export type Sex = 'M' | 'F';

export function pickSurname(rng: Random, not?: string): string {
  for (;;) {
    const surname = rng.weighted(SURNAMES);
    if (surname !== not) return surname;
  }
}

export function pickGivenName(rng: Random, sex: Sex, birthYear: number): string {
  if (birthYear < 1960) return rng.pick(sex === 'M' ? GIVEN_NAMES.olderMale : GIVEN_NAMES.olderFemale);
  if (birthYear < 1990) return rng.pick(sex === 'M' ? GIVEN_NAMES.middleMale : GIVEN_NAMES.middleFemale);
  return rng.pick(sex === 'M' ? GIVEN_NAMES.youngerMale : GIVEN_NAMES.youngerFemale);
}
