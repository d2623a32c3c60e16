/**
 * Citizen ID numbers (居民身份证号码, GB 11643-1999) for synthetic people. Written here on purpose
 * rather than shared with the hub: if both used one implementation, a bug in it could not show.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function checkCharacter(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new Error('an ID body is 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (body17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * An 18-character ID: region of registration (6), birth date `YYYYMMDD` (8), sequence (3, odd
 * for men, even for women), check character.
 */
export function idNumber(region6: string, birthYYYYMMDD: string, sequence: number): string {
  const body = `${region6}${birthYYYYMMDD}${`${sequence}`.padStart(3, '0')}`;
  return body + checkCharacter(body);
}

/** The pre-1999 15-digit form: two-digit year, no check character (only for births in 19xx). */
export function legacyIdNumber(id18: string): string {
  if (id18.slice(6, 8) !== '19') throw new Error('only people born in 19xx have a 15-digit ID');
  return id18.slice(0, 6) + id18.slice(8, 17);
}

/** The same ID with any check character but the right one. */
export function withWrongCheckCharacter(id18: string, pick: number): string {
  const right = id18[17];
  const wrong = CHECK_CHARACTERS.split('').filter((c) => c !== right);
  return id18.slice(0, 17) + wrong[pick % wrong.length];
}

/**
 * The 18-character form of an ID as a registry may deliver it (spaces, full-width digits, a
 * lowercase x, the 15-digit form, a spreadsheet's `'` or `.0`), or null for anything else —
 * so the simulator can tell the same person apart in its own messy records.
 */
export function canonicalId(text: unknown): string | null {
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const plain = String(text)
    .trim()
    .replace(/^'/, '')
    .replace(/\.0$/, '')
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 48))
    .toUpperCase();
  if (/^\d{15}$/.test(plain)) {
    const body = `${plain.slice(0, 6)}19${plain.slice(6)}`;
    return body + checkCharacter(body);
  }
  if (!/^\d{17}[\dX]$/.test(plain) || checkCharacter(plain.slice(0, 17)) !== plain[17]) return null;
  return plain;
}
