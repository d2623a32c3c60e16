/**
 * 居民身份证号码 resident ID numbers (GB 11643-1999): normalising the spellings feeds deliver,
 * validating them, and masking them wherever they could reach a log or an error message.
 */
import { todayInShanghai } from './businessDate';

export type IdFault = 'BAD_ID_FORMAT' | 'BAD_ID_CHECK_DIGIT' | 'BAD_ID_BIRTH_DATE';
export type IdResult =
  | { ok: true; id: string; birthDate: string /* YYYY-MM-DD */; sex: 'M' | 'F'; regionOfRegistration: string /* 6 digits */ }
  | { ok: false; fault: IdFault };

export type IdOptions = {
  /** The day a birth date may not be after (YYYY-MM-DD); today in Asia/Shanghai when omitted. */
  today?: string;
};

/** ISO 7064 MOD 11-2 weights of the first 17 digits (2^(17-i) mod 11). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits of an ID number (ISO 7064 MOD 11-2). */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('checkDigit needs exactly 17 ASCII digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Spreadsheet and copy-paste debris around an ID number: text markers and apostrophes. */
const LEADING_APOSTROPHE = /^['‘’`]+/;
/** A number cell exported as text, e.g. `371082197001312470.0`. */
const TRAILING_ZERO_FRACTION = /\.0+$/;

/**
 * Brings a delivered ID number to its 18 upper-case characters, or says what is wrong with it.
 *
 * Accepted spellings: surrounding or inner spaces (including full-width and no-break spaces),
 * full-width digits and Ｘ, lower-case x, a leading apostrophe (the spreadsheet text marker),
 * a trailing `.0`, and the legacy 15-digit form (born 19xx, no check digit: `19` is inserted
 * after the region code and the check digit computed, so it can only fail on its birth date).
 *
 * Checks run in this order and the first failure is reported: format, then birth date, then
 * check digit — so a number with an impossible birth date is BAD_ID_BIRTH_DATE whatever its
 * check digit. A JavaScript number above 2^53 has already lost digits, so it is BAD_ID_FORMAT.
 */
export function normaliseIdNumber(raw: unknown, options: IdOptions = {}): IdResult {
  const text = cleanText(raw);
  if (text === null) return { ok: false, fault: 'BAD_ID_FORMAT' };

  let id: string;
  if (/^\d{17}[\dX]$/.test(text)) {
    id = text;
  } else if (/^\d{15}$/.test(text)) {
    const first17 = `${text.slice(0, 6)}19${text.slice(6)}`;
    id = first17 + checkDigit(first17);
  } else {
    return { ok: false, fault: 'BAD_ID_FORMAT' };
  }

  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isPlausibleBirthDate(birthDate, options.today ?? todayInShanghai())) {
    return { ok: false, fault: 'BAD_ID_BIRTH_DATE' };
  }
  if (checkDigit(id.slice(0, 17)) !== id[17]) return { ok: false, fault: 'BAD_ID_CHECK_DIGIT' };

  return {
    ok: true,
    id,
    birthDate,
    // The 17th character is the last digit of the sequence code: odd for men, even for women.
    sex: Number(id[16]) % 2 === 1 ? 'M' : 'F',
    regionOfRegistration: id.slice(0, 6),
  };
}

function cleanText(raw: unknown): string | null {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'bigint') text = String(raw);
  else if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) return null;
    text = String(raw);
  } else return null;

  // NFKC turns full-width digits, Ｘ/ｘ, ＇ and the ideographic space into their ASCII forms.
  text = text.normalize('NFKC').replace(/\s+/gu, '');
  text = text.replace(LEADING_APOSTROPHE, '').replace(TRAILING_ZERO_FRACTION, '');
  return text.toUpperCase();
}

function isPlausibleBirthDate(date: string, today: string): boolean {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  // ISO dates compare correctly as strings.
  return date <= today;
}

/** A display form that keeps the region code and the last four: `371002********1232`. */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id);
  // Too short to keep anything without revealing most of it.
  if (chars.length < 11) return '*'.repeat(chars.length);
  return chars.slice(0, 6).join('') + '*'.repeat(chars.length - 10) + chars.slice(-4).join('');
}

/**
 * Digit groups (ASCII or full-width, a group may end in a check character) joined by the gaps an
 * ID number is written with: spaces of any width and hyphens — `371082 20100812 0702`, the
 * education feed's spelling, is one chain of three groups.
 */
const DIGIT_CHAIN = /[0-9０-９]+[XxＸｘ]?(?:[\s\-‐‑‒–—－]{1,3}[0-9０-９]+[XxＸｘ]?)*/gu;
const GROUP = /[0-9０-９]+[XxＸｘ]?/gu;

/** 省级行政区划代码: the first two digits every resident ID number starts with. */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

/** One stretch of a chain read as an ID number: which of its characters, and the ASCII form. */
interface IdStretch {
  /** indices into the chain's characters, gaps excluded */
  at: number[];
  ascii: string;
}

/**
 * Whether 15, 17 or 18 ASCII characters read as an ID number: a province code first and a
 * calendar-shaped birth date where GB 11643 puts it. The date is checked loosely (any day 1–31)
 * because a wrong birth date is exactly what gets a record quarantined — it is still someone's number.
 */
function readsAsIdNumber(s: string): boolean {
  if (!PROVINCES.has(s.slice(0, 2))) return false;
  if (s.length === 18 || s.length === 17) {
    if (!/^\d{17}[\dX]?$/.test(s)) return false;
    const year = Number(s.slice(6, 10));
    return year >= 1900 && year <= 2099 && isMonthDay(s.slice(10, 14));
  }
  return s.length === 15 && /^\d{15}$/.test(s) && isMonthDay(s.slice(8, 12));
}

function isMonthDay(mmdd: string): boolean {
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2, 4));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

const ID_LENGTHS = [18, 17, 15] as const;

/**
 * The stretches of one chain that are, or may be, an ID number:
 * - with wholeRuns (for masking), a contiguous run of 18 or more characters, always (an invalid
 *   ID number is usually a mistyped real one, and a disability certificate number embeds one);
 * - 18 characters, 17 digits (the check digit missing) or 15 digits (the legacy form) that read
 *   as an ID number, inside one run or made of whole groups (`371082 20100812 0702`).
 * Ordinary numbers stay readable: amounts, dates, 11-digit phone numbers, 12-digit region codes,
 * 15-digit household numbers whose positions 7–12 are no date.
 */
function idStretches(chain: string, wholeRuns: boolean): IdStretch[] {
  // Most chains in a log line are short counts and amounts: fewer than 15 characters hold no ID number.
  if (chain.length < 15) return [];
  const groups: Array<{ at: number[]; ascii: string }> = [];
  for (const m of chain.matchAll(GROUP)) {
    // Every character of a chain is one UTF-16 unit (ASCII, full-width, spaces), so string
    // indices are character indices.
    const at = Array.from({ length: m[0].length }, (_, k) => m.index + k);
    groups.push({ at, ascii: m[0].normalize('NFKC').toUpperCase() });
  }
  const found: IdStretch[] = [];
  for (const g of groups) {
    if (wholeRuns && g.at.length >= 18) found.push({ at: g.at, ascii: g.ascii });
    for (const n of ID_LENGTHS) {
      for (let k = 0; k + n <= g.ascii.length; k++) {
        const ascii = g.ascii.slice(k, k + n);
        if (readsAsIdNumber(ascii)) found.push({ at: g.at.slice(k, k + n), ascii });
      }
    }
  }
  for (let i = 0; i < groups.length; i++) {
    let ascii = groups[i]!.ascii;
    let at = groups[i]!.at;
    for (let j = i + 1; j < groups.length && ascii.length < 18; j++) {
      ascii += groups[j]!.ascii;
      at = at.concat(groups[j]!.at);
      if ((ID_LENGTHS as readonly number[]).includes(ascii.length) && readsAsIdNumber(ascii)) found.push({ at, ascii });
    }
  }
  // Longest first, and none inside another: the 15 digits inside an 18-character number are
  // not a second, legacy one, and a long run is masked as one.
  const taken = new Set<number>();
  return found
    .sort((a, b) => b.at.length - a.at.length)
    .filter((f) => {
      if (f.at.some((i) => taken.has(i))) return false;
      for (const i of f.at) taken.add(i);
      return true;
    });
}

/**
 * Every ID number in free text masked to its region code, asterisks and its last four, in the
 * spelling it was written in (`371082 ******** 0702`, `１１０１０５********００２Ｘ`): 18 characters,
 * 17 digits, the legacy 15, with spaces or hyphens inside, full-width, inside a longer token
 * such as a 学籍号 (`G371083********2351`) or a JSON number.
 */
export function maskIdNumbersIn(text: string): string {
  return text.replace(DIGIT_CHAIN, (chain) => {
    const hidden = new Set<number>();
    for (const s of idStretches(chain, true)) for (const i of s.at.slice(6, -4)) hidden.add(i);
    return hidden.size === 0 ? chain : Array.from(chain, (c, i) => (hidden.has(i) ? '*' : c)).join('');
  });
}

/**
 * The ID numbers free text holds, in their 18-character form (a 17-digit one completed with its
 * check digit, a legacy 15-digit one widened), whatever their spelling — to find whom a text is about.
 */
export function idNumbersIn(text: string): string[] {
  const ids = new Set<string>();
  collectIdNumbers(text, ids, new Set());
  return [...ids];
}

/** A resident ID number in its normalised form, the spelling most answers carry. */
const NORMALISED = /^[0-9]{17}[0-9X]$/;

/** Adds the ID numbers of a text to `ids`, skipping the digit chains already read (a text names the same people many times). */
function collectIdNumbers(text: string, ids: Set<string>, readChains: Set<string>): void {
  for (const [chain] of text.matchAll(DIGIT_CHAIN)) {
    if (readChains.has(chain)) continue;
    readChains.add(chain);
    // a normalised number alone: itself, as the full reading would find (longest first)
    if (NORMALISED.test(chain) && readsAsIdNumber(chain)) {
      ids.add(chain);
      continue;
    }
    for (const s of idStretches(chain, false)) {
      if (s.ascii.length === 18) ids.add(s.ascii);
      else if (s.ascii.length === 17) ids.add(s.ascii + checkDigit(s.ascii));
      else {
        const first17 = `${s.ascii.slice(0, 6)}19${s.ascii.slice(6)}`;
        ids.add(first17 + checkDigit(first17));
      }
    }
  }
}
