/**
 * Masked forms of personal data for roles that may not see it whole: ID numbers keep their
 * region code and last four (`371002********1232`, src/identity) in whatever spelling they were
 * written, names keep their surname (`张**`) wherever the record's names appear, and records as
 * registries sent them are masked field by field.
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

/**
 * Keys that hold a person's name. The feeds' contracts (connectors/∗/contract.ts) name people
 * under `xm` (姓名 in pinyin initials), `name`, `姓名`, `申请人姓名`, `户主姓名` and `成员姓名`;
 * tests/auth/masking.test.ts reads every contract and fails when one declares a name this list
 * misses. The feeds also deliver names under keys no contract declares: a contact person, a
 * guardian, a head of household named by role.
 */
const NAME_KEYS = new Set([
  'xm', 'hzxm', 'name', 'fullname', 'realname', '姓名', '户主', '申请人', '联系人', '监护人', '代理人', '法定代理人', '紧急联系人',
  'guardian', 'contact', 'contactperson', 'householder', 'applicant',
]);
/** …and the families of such keys: `cyxm` 成员姓名, `guardianName`, `监护人姓名`, `紧急联系人`. */
const NAME_KEY_ENDINGS = /xm$|name$|姓名$|联系人$|监护人$|代理人$|^guardian|^contact/i;
/** Keys that end like a name key but hold something else. */
const NOT_NAME_KEYS = /^(file|sheet|host|user|school|org|unit|company|bank|region|town|village|street|item|project|type)_?name$|^contact_?(phone|tel|mobile|address|dh)$/i;

/** Whether a field holds a person's name; a path such as `members[2].xm` is judged by its last key. */
export function isNameField(field: string | null | undefined): boolean {
  if (!field) return false;
  const last = field.split(/[.[\]]/).filter(Boolean).pop() ?? field;
  if (/^\d+$/.test(last)) return isNameField(field.slice(0, field.lastIndexOf('[')));
  const key = last.trim();
  if (NOT_NAME_KEYS.test(key)) return false;
  return NAME_KEYS.has(key.toLowerCase()) || NAME_KEY_ENDINGS.test(key);
}

/** The names a record gives (the values of its name fields, however deep), longest first. */
export function namesIn(record: unknown): string[] {
  const names = new Set<string>();
  const walk = (value: unknown, key: string | null, depth: number): void => {
    if (depth > 20) return;
    if (typeof value === 'string') {
      // A single character would mask that character everywhere: it names nobody on its own.
      if (isNameField(key) && Array.from(value.trim()).length >= 2) names.add(value.trim());
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v, key, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k, depth + 1);
    }
  };
  walk(record, null, 0);
  return [...names].sort((a, b) => b.length - a.length);
}

/** A name after its label in free text: `联系人张伟`, `监护人：李娜`, `guardian: 王芳`. */
const LABELLED_NAME = /(联系人|监护人|代理人|姓名|guardian|contact)(\s*[:：=]?\s*)(\p{Script=Han}{2,4})(?!\*)/giu;

/** Free text with the given names, and any name after a name label, masked to their surnames. */
export function maskNamesIn(text: string, names: readonly string[] = []): string {
  let masked = text.replace(LABELLED_NAME, (_all, label: string, gap: string, name: string) => label + gap + maskName(name));
  for (const name of names) masked = masked.split(name).join(maskName(name));
  return masked;
}

/** A record as received, with every name field, every name it gives and every ID number in it masked. */
export function maskRecord(record: unknown): unknown {
  const names = namesIn(record);
  const walk = (value: unknown, key: string | null, depth: number): unknown => {
    if (depth > 20) return null;
    if (typeof value === 'string') return isNameField(key) ? maskName(value) : maskNamesIn(maskIdNumbersIn(value), names);
    // An ID number delivered as a JSON number (a spreadsheet export) is a digit run too.
    if (typeof value === 'number') {
      const masked = maskIdNumbersIn(String(value));
      return masked === String(value) ? value : masked;
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, key, depth + 1));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskIdNumbersIn(k), walk(v, k, depth + 1)]));
  };
  return walk(record, null, 0);
}

/** The offending value of a quarantined record, masked as its field requires: names by the record's names. */
export function maskFieldValue(field: string | null, value: string | null, names: readonly string[] = []): string | null {
  if (value === null) return null;
  return isNameField(field) ? maskName(value) : maskNamesIn(maskIdNumbersIn(value), names);
}

export interface QuarantinedEntry {
  recordKey: string | null;
  reason: string;
  field: string | null;
  value: string | null;
  location: string | null;
  raw: unknown;
}

/**
 * What an operator (ADMIN) sees of a quarantined record (api.md, *Who sees which field*): why it
 * was refused — reason, field, record key and offending value, with every ID number and name in
 * them masked — and nothing else of the record: `raw` is withheld, since its addresses, diagnoses
 * and amounts are person data too.
 */
export function quarantinedForOperator<T extends QuarantinedEntry>(entry: T): T {
  const names = namesIn(entry.raw);
  const text = (s: string | null) => (s === null ? null : maskNamesIn(maskIdNumbersIn(s), names));
  return {
    ...entry,
    recordKey: text(entry.recordKey),
    reason: text(entry.reason)!,
    field: text(entry.field),
    value: maskFieldValue(entry.field, entry.value, names),
    location: text(entry.location),
    raw: null,
  };
}
