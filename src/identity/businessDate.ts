/**
 * Business (calendar) dates — 业务日期 — kept as `YYYY-MM-DD` strings end to end, so that no
 * JavaScript Date ever shifts one by a day between UTC and Asia/Shanghai (+08:00).
 */

export type DateResult = { ok: true; date: string | null } | { ok: false; fault: 'IMPOSSIBLE_DATE' | 'BAD_VALUE' };

const MS_PER_DAY = 86_400_000;
/** Excel's 1900 date system: serial 1 is 1900-01-01 and the last serial is 9999-12-31. */
const LAST_SERIAL = 2_958_465;
/** Excel counts a 29 February 1900 that never was (a Lotus 1-2-3 compatibility bug). */
const PHANTOM_LEAP_DAY_SERIAL = 60;
/** A bare numeric string is read as a serial only in this span (1954-10 … 2119-01): see below. */
const SERIAL_TEXT_MIN = 20_000;
const SERIAL_TEXT_MAX = 80_000;

const shanghaiDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** 'YYYY-MM-DD' when year/month/day name a real day of the Gregorian calendar, else null. */
function calendarDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1 || year > 9999) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}


/** Days since 1970-01-01 of a valid 'YYYY-MM-DD'. */
function epochDay(date: string): number {
  const year = Number(date.slice(0, 4));
  const d = new Date(0);
  d.setUTCFullYear(year, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round(d.getTime() / MS_PER_DAY);
}

function fromEpochDay(days: number): string {
  const d = new Date(days * MS_PER_DAY);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The date of a spreadsheet serial number (fraction = time of day, ignored). */
function fromSerial(serial: number): DateResult {
  const whole = Math.floor(serial);
  if (!(whole >= 1 && whole <= LAST_SERIAL)) return { ok: false, fault: 'BAD_VALUE' };
  if (whole === PHANTOM_LEAP_DAY_SERIAL) return { ok: false, fault: 'IMPOSSIBLE_DATE' };
  // Serials after the phantom day count from 1899-12-30, those before it from 1899-12-31.
  const base = whole > PHANTOM_LEAP_DAY_SERIAL ? epochDay('1899-12-30') : epochDay('1899-12-31');
  return { ok: true, date: fromEpochDay(base + whole) };
}

function fromParts(year: string, month: string, day: string): DateResult {
  const date = calendarDate(Number(year), Number(month), Number(day));
  return date === null ? { ok: false, fault: 'IMPOSSIBLE_DATE' } : { ok: true, date };
}

const OPTIONAL_TIME = String.raw`(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
/** 2024-03-01, 2024-3-1, 2024/3/1, 2024.03.01, each with an optional wall-clock time. */
const SEPARATED = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${OPTIONAL_TIME}$`);
/** 2024年3月1日 (the 日 is sometimes left off). */
const CHINESE = new RegExp(String.raw`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?${OPTIONAL_TIME}$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
/** An instant with an explicit offset: its date is the one on a Shanghai calendar. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Reads a business date from any form the feeds use: `2024-03-01`, `20240301`, `2024/3/1`,
 * `2024-3-1`, `2024年3月1日`, `2024.03.01`, a spreadsheet date cell (exceljs gives a Date at UTC
 * midnight of the cell's day, so the UTC day is taken), a spreadsheet serial number (`45352`),
 * or an ISO instant (`2024-03-01T00:00:00+08:00`, dated on the Shanghai calendar). Empty means
 * open-ended (null). A date in a known form that does not exist (`2025-02-30`) is
 * IMPOSSIBLE_DATE; anything else is BAD_VALUE.
 *
 * A bare numeric string is a serial only when it has five digits in 20000..80000 — shorter or
 * longer numbers in a text cell are more likely a typo than a date, and would otherwise turn
 * into silent dates in 1900 or far in the future.
 */
export function parseBusinessDate(raw: unknown): DateResult {
  if (raw === null || raw === undefined) return { ok: true, date: null };
  if (raw instanceof Date) {
    const year = raw.getUTCFullYear();
    if (Number.isNaN(year) || year < 1 || year > 9999) return { ok: false, fault: 'BAD_VALUE' };
    return { ok: true, date: fromEpochDay(Math.floor(raw.getTime() / MS_PER_DAY)) };
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, fault: 'BAD_VALUE' };
    // A yyyymmdd typed into a number cell.
    if (Number.isInteger(raw) && raw >= 10_000_101 && raw <= 99_991_231) return parseText(String(raw));
    return fromSerial(raw);
  }
  if (typeof raw !== 'string') return { ok: false, fault: 'BAD_VALUE' };
  return parseText(raw);
}

function parseText(raw: string): DateResult {
  // NFKC folds full-width digits, ／, －, ． and the ideographic space.
  const text = raw.normalize('NFKC').trim().replace(/^'/, '');
  if (text === '') return { ok: true, date: null };

  let m = INSTANT.exec(text);
  if (m) {
    if (calendarDate(Number(m[1]), Number(m[2]), Number(m[3])) === null) return { ok: false, fault: 'IMPOSSIBLE_DATE' };
    try {
      return { ok: true, date: isoDateInShanghai(text) };
    } catch {
      return { ok: false, fault: 'BAD_VALUE' };
    }
  }
  if ((m = SEPARATED.exec(text))) return fromParts(m[1]!, m[3]!, m[4]!);
  if ((m = CHINESE.exec(text))) return fromParts(m[1]!, m[2]!, m[3]!);

  const number = text.replace(/\.0+$/, '');
  if ((m = COMPACT.exec(number))) return fromParts(m[1]!, m[2]!, m[3]!);
  if (/^\d{5}$/.test(number)) {
    const serial = Number(number);
    if (serial >= SERIAL_TEXT_MIN && serial <= SERIAL_TEXT_MAX) return fromSerial(serial);
  }
  return { ok: false, fault: 'BAD_VALUE' };
}

/**
 * The Asia/Shanghai calendar date of an instant: `2025-11-01T23:30:00Z` → `2025-11-02`. An ISO
 * string without an offset is taken as Shanghai wall-clock time, so its own date is returned.
 * Throws RangeError when the value is not an instant.
 */
export function isoDateInShanghai(instant: string | Date): string {
  if (instant instanceof Date) {
    if (Number.isNaN(instant.getTime())) throw new RangeError('isoDateInShanghai: invalid Date');
    return shanghaiDate(instant.getTime());
  }
  const text = instant.trim();
  const m = INSTANT.exec(text);
  if (m) {
    const date = calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
    const hour = Number(m[4]);
    const minute = Number(m[5]);
    const second = Number(m[6] ?? '0');
    if (date === null || hour > 24 || minute > 59 || second > 60) {
      throw new RangeError(`isoDateInShanghai: not an ISO-8601 instant: ${text}`);
    }
    const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
    const utc = epochDay(date) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    return shanghaiDate(utc - offsetMinutes(m[8]!) * 60_000);
  }
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(text);
  const date = local ? calendarDate(Number(local[1]), Number(local[2]), Number(local[3])) : null;
  if (date === null) throw new RangeError(`isoDateInShanghai: not an ISO-8601 instant: ${text}`);
  return date;
}

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return offset[0] === '-' ? -minutes : minutes;
}

const SHANGHAI_FIXED_SINCE = Date.UTC(1992, 0, 1);

/** Uses the time-zone database (China kept summer time 1986–1991, so +08:00 is not always right). */
function shanghaiDate(utcMillis: number): string {
  // since 1992 Shanghai has been UTC+08:00 all year: no need to ask the time-zone database (3 µs)
  if (utcMillis >= SHANGHAI_FIXED_SINCE) return fromEpochDay(Math.floor((utcMillis + 8 * 3_600_000) / MS_PER_DAY));
  const parts = shanghaiDateFormat.formatToParts(new Date(utcMillis));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** The date `days` days after (or, negative, before) a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  const valid = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!valid || calendarDate(Number(valid[1]), Number(valid[2]), Number(valid[3])) === null) {
    throw new RangeError(`addDays: not a YYYY-MM-DD date: ${date}`);
  }
  if (!Number.isInteger(days)) throw new RangeError(`addDays: days must be a whole number, got ${days}`);
  return fromEpochDay(epochDay(date) + days);
}

/** Today's date on the Shanghai calendar — the hub's "today" whatever the server's time zone. */
let cachedToday: { until: number; date: string } | null = null;

/** Today in Asia/Shanghai; computed at most once a minute (every ID number's birth date is checked against it). */
export function todayInShanghai(): string {
  const now = Date.now();
  if (!cachedToday || now >= cachedToday.until) cachedToday = { until: now + 60_000 - (now % 60_000), date: shanghaiDate(now) };
  return cachedToday.date;
}
