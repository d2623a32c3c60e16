/**
 * Calendar dates as day numbers (days since 1970-01-01), so the generator does date arithmetic
 * without Date objects or time zones. The registries live in China Standard Time (+08:00).
 */

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { floor } = Math;

/** Howard Hinnant's days_from_civil; a day past the month's end rolls into the next month. */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDay(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const day = doy - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad(value: number, width: number): string {
  return `${value}`.padStart(width, '0');
}

/** `YYYY-MM-DD` */
export function isoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `YYYYMMDD`, the form inside an ID number. */
export function compactDate(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}`;
}

/** Parses `YYYY-MM-DD` (trusted input: configuration, not feed data). */
export function dayFromIsoDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${text}`);
  return dayFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** `YYYY-MM-DDThh:mm:ss+08:00` for a local day and a second of that day. */
export function localTimestamp(dayNumber: number, secondOfDay: number): string {
  const hours = floor(secondOfDay / 3600);
  const minutes = floor((secondOfDay % 3600) / 60);
  const seconds = secondOfDay % 60;
  return `${isoDate(dayNumber)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}+08:00`;
}

/** The same calendar day `years` later (29 February becomes 1 March in a common year). */
export function addYears(dayNumber: number, years: number): number {
  const { year, month, day } = civilFromDay(dayNumber);
  return dayFromCivil(year + years, month, day);
}

export function yearOf(dayNumber: number): number {
  return civilFromDay(dayNumber).year;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whole years of age on a given day. */
export function ageOn(birthDay: number, onDay: number): number {
  const birth = civilFromDay(birthDay);
  const on = civilFromDay(onDay);
  let age = on.year - birth.year;
  if (on.month < birth.month || (on.month === birth.month && on.day < birth.day)) age -= 1;
  return age;
}

/** The last day of the month of a day. */
export function endOfMonth(dayNumber: number): number {
  const { year, month } = civilFromDay(dayNumber);
  return dayFromCivil(year, month + 1, 1) - 1;
}
