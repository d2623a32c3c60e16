/**
 * Masked forms of personal data for roles that may not see it whole: ID numbers keep their
 * region code and last four (`371002********1232`, src/identity), names keep their surname
 * (`张**`), and records as registries sent them are masked field by field.
 */
import { maskIdNumber, maskIdNumbersIn } from '../identity';

/** 复姓 two-character surnames common enough to matter; any other name keeps its first character. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯', '轩辕', '端木', '呼延', '南宫', '西门', '独孤',
]);

/** 姓 the surname and one asterisk per other character: 张三丰 → 张**, 欧阳修文 → 欧阳**. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  if (chars.length <= keep) return '*'.repeat(chars.length);
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

export { maskIdNumber, maskIdNumbersIn };

/** Field names that hold a person's name in the feeds: xm, hzxm (户主姓名), name, 姓名, 成员姓名, … */
const NAME_FIELD = /xm$|name$|姓名/i;

export function isNameField(field: string | null | undefined): boolean {
  if (!field) return false;
  // `members[2].xm` names the field `xm`
  const last = field.split(/[.[\]]/).filter(Boolean).pop() ?? field;
  return NAME_FIELD.test(last);
}

/** A record as received, with every name field and every ID number in it masked. */
export function maskRecord(value: unknown, key: string | null = null, depth = 0): unknown {
  if (typeof value === 'string') return isNameField(key) ? maskName(value) : maskIdNumbersIn(value);
  // An ID number delivered as a JSON number (a spreadsheet export) is a long digit run too.
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 1e14 ? maskIdNumbersIn(String(value)) : value;
  if (value === null || typeof value !== 'object' || depth > 20) return depth > 20 ? null : value;
  if (Array.isArray(value)) return value.map((v) => maskRecord(v, key, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskRecord(v, k, depth + 1)]));
}

/** The offending value of a quarantined record, masked as its field requires. */
export function maskFieldValue(field: string | null, value: string | null): string | null {
  if (value === null) return null;
  return isNameField(field) ? maskName(value) : maskIdNumbersIn(value);
}
