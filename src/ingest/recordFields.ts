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
  const d = parseBusinessDate(value);
  if (!d.ok) throw new RecordFault(d.fault, field, value);
  if (required && d.date === null) throw new RecordFault('MISSING_FIELD', field, value);
  return d.date;
}

export function amountOf(value: unknown, field: string): string | null {
  const a = parseAmount(value);
  if (!a.ok) throw new RecordFault(a.fault, field, value);
  return a.amount;
}

export function countOf(value: unknown, field: string): number | null {
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
