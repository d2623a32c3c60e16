/**
 * The forms a clean value takes in real exports (feeds.md, "Rules common to every feed"). Each
 * one still means the same value: the hub must read it back, not quarantine it.
 */
import { legacyIdNumber } from './idNumber';
import type { Random } from './random';

/** ３７１０… — digits typed with a Chinese input method. */
export function fullWidthDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 48 + 0xff10));
}

/** One messy form of a valid 18-character ID (the 15-digit form only for births in 19xx). */
export function messyIdNumber(rng: Random, id18: string): string {
  const forms: [string, number][] = [['fullWidth', 2], ['spaces', 2]];
  if (id18.slice(6, 8) === '19') forms.push(['legacy', 3]);
  if (id18.endsWith('X')) forms.push(['lowerX', 6]);
  switch (rng.weighted(forms)) {
    case 'legacy':
      return legacyIdNumber(id18);
    case 'lowerX':
      return id18.slice(0, 17) + 'x';
    case 'fullWidth':
      return fullWidthDigits(id18);
    default:
      return rng.pick([` ${id18}  `, ` ${id18}`, `${id18} `, `\t${id18}`]);
  }
}

/** A village code given only to the town (9 digits) or county (6 digits) level. */
export function coarserRegionCode(rng: Random, code12: string): string {
  return rng.chance(0.6) ? code12.slice(0, 9) : code12.slice(0, 6);
}

/** `1,300.00`, `¥1300.00`, `￥1300.00` or `1300.00元` for `1300.00`. */
export function messyAmount(rng: Random, amount: string): string {
  const forms = ['yuanSign', 'fullWidthYuanSign', 'yuanWord'];
  if (Math.abs(Number(amount)) >= 1000) forms.push('thousands', 'thousands');
  switch (rng.pick(forms)) {
    case 'thousands': {
      const [whole, cents] = amount.split('.');
      return `${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`;
    }
    case 'yuanSign':
      return `¥${amount}`;
    case 'fullWidthYuanSign':
      return `￥${amount}`;
    default:
      return `${amount}元`;
  }
}

/** The word some exports write instead of the relation code; it stands for its range's first code. */
export function relationWord(code: string): string {
  if (code === '01') return '户主';
  if (code === '02') return '配偶';
  if (code === '51') return '父亲';
  if (code === '52') return '母亲';
  if (code.startsWith('1')) return '之子';
  if (code.startsWith('2')) return '之女';
  if (code.startsWith('3')) return '孙子';
  return '其他';
}

/** `20250630`, `2025/6/30` or `2025年6月30日` for `2025-06-30`. */
export function messyDate(rng: Random, iso: string): string {
  const [year, month, day] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  switch (rng.int(0, 2)) {
    case 0:
      return `${year}${month}${day}`;
    case 1:
      return `${year}/${Number(month)}/${Number(day)}`;
    default:
      return `${year}年${Number(month)}月${Number(day)}日`;
  }
}

/** An amount in a form a GBK file can carry: `￥`, `元` or thousands separators, never `¥` (not in GBK). */
export function messyAmountGbk(rng: Random, amount: string): string {
  for (;;) {
    const messy = messyAmount(rng, amount);
    if (!messy.includes('¥')) return messy;
  }
}
