import {
  normaliseIdNumber,
  normaliseRegionCode,
  normaliseRelation,
  parseAmount,
  parseBusinessDate,
  parseCount,
} from '../identity';
import type { RegionDirectory } from './connector';
import type { MapResult, MappedRecord, PersonObservation, QuarantineReason } from './types';

/**
 * Reading one field of a raw record into its clean value, or refusing the whole record with the
 * quarantine reason of feeds.md. Mappers read fields with these and stay straight-line code.
 */
export class RecordFault extends Error {
  constructor(
    readonly reason: QuarantineReason,
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`${reason} in ${field}`);
  }
}

export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

export function requiredText(value: unknown, field: string): string {
  if (isBlank(value)) throw new RecordFault('MISSING_FIELD', field, value);
  if (typeof value !== 'string' && typeof value !== 'number') throw new RecordFault('BAD_VALUE', field, value);
  return String(value).trim();
}

export function optionalText(value: unknown, field: string): string | null {
  return isBlank(value) ? null : requiredText(value, field);
}

/** A person named by a record: a valid ID number (the graph's identity) and the name it gives. */
export function personOf(idValue: unknown, nameValue: unknown, field: string, regionCode: string | null): PersonObservation {
  if (isBlank(idValue)) throw new RecordFault('MISSING_FIELD', field, idValue);
  const id = normaliseIdNumber(idValue);
  if (!id.ok) throw new RecordFault(id.fault, field, idValue);
  const name = typeof nameValue === 'string' ? nameValue.trim() : '';
  return { idNumber: id.id, name, sex: id.sex, birthDate: id.birthDate, regionCode };
}

export function idNumberOf(value: unknown, field: string): string {
  if (isBlank(value)) throw new RecordFault('MISSING_FIELD', field, value);
  const id = normaliseIdNumber(value);
  if (!id.ok) throw new RecordFault(id.fault, field, value);
  return id.id;
}

export function dateOf(value: unknown, field: string, required: true): string;
export function dateOf(value: unknown, field: string, required?: false): string | null;
export function dateOf(value: unknown, field: string, required = false): string | null {
  // the form nearly every feed sends, read as parseBusinessDate reads it
  if (typeof value === 'string' && isIsoCalendarDate(value)) return value;
  const d = parseBusinessDate(value);
  if (!d.ok) throw new RecordFault(d.fault, field, value);
  if (required && d.date === null) throw new RecordFault('MISSING_FIELD', field, value);
  return d.date;
}

/** `2025-01-02` naming a day of the calendar, exactly as parseBusinessDate gives it back */
function isIsoCalendarDate(value: string): boolean {
  if (value.length !== 10 || !ISO_DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** yuan with two decimals, or whole, without leading zeros: parseAmount gives them back as they are (whole ones with `.00`) */
const PLAIN_AMOUNT = /^(?:0|[1-9]\d*)(\.\d\d)?$/;
/** a number's digits without an exponent */
const PLAIN_NUMBER = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** a whole count without leading zeros, small enough to be exact */
const PLAIN_COUNT = /^(?:0|[1-9]\d{0,14})$/;

export function amountOf(value: unknown, field: string): string | null {
  if (typeof value === 'string' && PLAIN_AMOUNT.test(value)) return value.includes('.') ? value : `${value}.00`;
  if (typeof value === 'number' && value >= 0) {
    // a JSON number's shortest digits, as parseAmount spells them: two decimals at least
    const digits = String(value);
    if (PLAIN_NUMBER.test(digits)) {
      const point = digits.indexOf('.');
      return point < 0 ? `${digits}.00` : point === digits.length - 2 ? `${digits}0` : digits;
    }
  }
  const a = parseAmount(value);
  if (!a.ok) throw new RecordFault(a.fault, field, value);
  return a.amount;
}

export function countOf(value: unknown, field: string): number | null {
  if (typeof value === 'string' && PLAIN_COUNT.test(value)) return Number(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value === 0 ? 0 : value;
  const c = parseCount(value);
  if (!c.ok) throw new RecordFault(c.fault, field, value);
  return c.value;
}

export function regionOf(value: unknown, field: string, regions: RegionDirectory, required = true): string | null {
  if (isBlank(value)) {
    if (required) throw new RecordFault('MISSING_FIELD', field, value);
    return null;
  }
  const r = normaliseRegionCode(value);
  if (!r.ok) throw new RecordFault('UNKNOWN_REGION_CODE', field, value);
  if (!regions.has(r.code)) throw new RecordFault('UNKNOWN_REGION_CODE', field, value);
  return r.code;
}

export function relationOf(value: unknown, field: string): string {
  if (isBlank(value)) throw new RecordFault('MISSING_FIELD', field, value);
  const r = normaliseRelation(value);
  if (!r.ok) throw new RecordFault('BAD_VALUE', field, value);
  return r.code;
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], required = true): T | null {
  if (isBlank(value)) {
    if (required) throw new RecordFault('MISSING_FIELD', field, value);
    return null;
  }
  const v = String(value).trim() as T;
  if (!allowed.includes(v)) throw new RecordFault('BAD_VALUE', field, value);
  return v;
}

/** Runs a mapper; a fault refuses the whole record with its reason and raw payload. */
export function mapRecord(raw: unknown, recordKey: string | null, location: string | undefined, map: () => MappedRecord): MapResult {
  try {
    return { ok: true, record: map() };
  } catch (e) {
    if (!(e instanceof RecordFault)) throw e;
    return {
      ok: false,
      quarantine: {
        recordKey,
        reason: e.reason,
        field: e.field,
        value: e.value === undefined || e.value === null ? undefined : String(e.value),
        location,
        raw,
      },
    };
  }
}
