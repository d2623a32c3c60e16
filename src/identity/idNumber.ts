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
 * Every digit run (ASCII or full-width) in free text long enough to be an ID number. 18 or more
 * characters (17+ digits and an optional final X) are always masked: an invalid ID number is
 * usually a mistyped real one, and a disability certificate number embeds the ID number. A
 * 15-digit run is masked when its positions 7–12 read as a YYMMDD date, which leaves 15-digit
 * household numbers such as poverty-relief 户编号 readable.
 */
const DIGIT_RUN = /[0-9０-９]+[XxＸｘ]?/gu;

export function maskIdNumbersIn(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const length = Array.from(run).length;
    if (length >= 18) return maskIdNumber(run);
    if (length === 15 && /^\d{15}$/.test(run.normalize('NFKC')) && looksLikeYYMMDD(run.normalize('NFKC').slice(6, 12))) {
      return maskIdNumber(run);
    }
    return run;
  });
}

function looksLikeYYMMDD(yymmdd: string): boolean {
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
