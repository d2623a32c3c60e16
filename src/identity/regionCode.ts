/**
 * 区划代码 statistical division codes: 4 digits a city, 6 a county-level area, 9 a town or
 * street, 12 a village or community. Membership in the region table is the caller's check
 * (UNKNOWN_REGION_CODE); this module only reads the shape.
 */

export type RegionLevel = 'CITY' | 'COUNTY' | 'TOWN' | 'VILLAGE';
export type RegionCodeResult = { ok: true; code: string /* 6, 9 or 12 digits */ } | { ok: false; fault: 'BAD_VALUE' };

/**
 * A delivered region code as 6, 9 or 12 digits, at exactly the level given: a 12-digit code
 * ending in zeros is not shortened. Accepts a number cell (371002001001), a trailing `.0`,
 * surrounding spaces, full-width digits and the spreadsheet text marker `'`.
 */
export function normaliseRegionCode(raw: unknown): RegionCodeResult {
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) return { ok: false, fault: 'BAD_VALUE' };
    text = String(raw);
  } else if (typeof raw === 'string') {
    text = raw.normalize('NFKC').trim().replace(/^'/, '').replace(/\.0+$/, '');
  } else {
    return { ok: false, fault: 'BAD_VALUE' };
  }
  return /^(?:\d{6}|\d{9}|\d{12})$/.test(text) ? { ok: true, code: text } : { ok: false, fault: 'BAD_VALUE' };
}

const LEVELS: Readonly<Record<number, RegionLevel>> = { 4: 'CITY', 6: 'COUNTY', 9: 'TOWN', 12: 'VILLAGE' };

/** The level of a region code, read from its length. Throws RangeError for anything else. */
export function regionLevel(code: string): RegionLevel {
  const level = /^\d+$/.test(code) ? LEVELS[code.length] : undefined;
  if (level === undefined) throw new RangeError(`regionLevel: not a 4-, 6-, 9- or 12-digit code: ${JSON.stringify(code)}`);
  return level;
}
