/**
 * Mess and faults for the fields of the other departments' records, field by field: a record
 * names its ID, date, amount, region and relation fields as slots, and one of them is written
 * in a messy form (still valid) or broken in exactly one way (to be quarantined).
 *
 * The medium decides which forms are realistic: a JSON API, a GBK CSV file (no `¥`: GBK has
 * only `￥`), or a spreadsheet, whose cells can also be numbers and dates.
 */
import { coarserRegionCode, fullWidthDigits, messyAmount, messyAmountGbk, messyDate, messyIdNumber, relationWord } from './deliveryMess';
import { legacyIdNumber } from './idNumber';
import { idWithImpossibleBirthDate, idWithWrongCheckCharacter, impossibleDate, negativeAmount, unknownVillageCode } from './invalidForms';
import type { Random } from './random';
import type { QuarantineReason, SheetCell } from './records';

export type Medium = 'json' | 'csv' | 'sheet';
export type SlotKind = 'id' | 'date' | 'amount' | 'region' | 'relation';

export interface Slot {
  /** the field name, or the column header of a file */
  name: string;
  kind: SlotKind;
  read(): SheetCell;
  write(value: SheetCell): void;
}

/** A slot on an object's property. */
export function field<T extends object>(record: T, key: keyof T & string, kind: SlotKind, name: string = key): Slot {
  const fields = record as Record<string, SheetCell>;
  return { name, kind, read: () => fields[key], write: (value) => (fields[key] = value) };
}

/** A slot on a cell of a row. */
export function cell(cells: SheetCell[], index: number, kind: SlotKind, name: string): Slot {
  return { name, kind, read: () => cells[index], write: (value) => (cells[index] = value) };
}

export interface Fault {
  reason: QuarantineReason;
  field: string;
  /** the bad value as text */
  value: string;
}

const DAY_MS = 86_400_000;
/** Spreadsheet serial of 1970-01-01 (1900 date system). */
const SERIAL_OF_EPOCH = 25_569;

function isoOf(value: SheetCell): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return null;
}

function textOf(value: SheetCell): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value === null ? '' : String(value);
}

/** Can this slot be broken in some way? (An empty optional field cannot.) */
function breakable(slot: Slot): boolean {
  if (slot.kind === 'relation') return false;
  const value = slot.read();
  if (value === null || value === '') return false;
  if (slot.kind === 'date') return isoOf(value) !== null;
  if (slot.kind === 'amount') return Number(textOf(value)) > 0;
  return true;
}

/**
 * Breaks one of the slots in one way; null when none can be broken. `townCode` is where an
 * unknown region code is made up.
 */
export function spoilOne(rng: Random, slots: Slot[], townCode: string, knownVillages: ReadonlySet<string>): Fault | null {
  const candidates = slots.filter(breakable);
  if (candidates.length === 0) return null;
  // A kind of fault first, then a field of that kind: a record with four amounts is not four times as likely to have a negative one.
  const kind = rng.pick([...new Set(candidates.map((s) => s.kind))]);
  const slot = rng.pick(candidates.filter((s) => s.kind === kind));
  const value = slot.read();
  let bad: string;
  let reason: QuarantineReason;
  switch (slot.kind) {
    case 'id':
      reason = rng.chance(0.6) ? 'BAD_ID_CHECK_DIGIT' : 'BAD_ID_BIRTH_DATE';
      bad = reason === 'BAD_ID_CHECK_DIGIT' ? idWithWrongCheckCharacter(rng, String(value)) : idWithImpossibleBirthDate(rng, String(value));
      break;
    case 'date':
      reason = 'IMPOSSIBLE_DATE';
      bad = impossibleDate(rng, Number((isoOf(value) as string).slice(0, 4)));
      break;
    case 'amount':
      reason = 'NEGATIVE_AMOUNT';
      bad = negativeAmount(Number(textOf(value)).toFixed(2));
      break;
    default:
      reason = 'UNKNOWN_REGION_CODE';
      bad = unknownVillageCode(rng, townCode, knownVillages);
  }
  slot.write(bad);
  return { reason, field: slot.name, value: bad };
}

/** Writes one of the slots in a messy form that still means the same value. */
export function messOne(rng: Random, slots: Slot[], medium: Medium): void {
  const candidates = slots.filter((s) => {
    const value = s.read();
    return value !== null && value !== '';
  });
  if (candidates.length === 0) return;
  const slot = rng.pick(candidates);
  const value = slot.read();
  switch (slot.kind) {
    case 'id':
      slot.write(messyIdIn(rng, String(value), medium));
      return;
    case 'date': {
      const iso = isoOf(value);
      if (iso === null) return;
      if (medium === 'sheet' && rng.chance(0.3)) slot.write(Date.parse(iso) / DAY_MS + SERIAL_OF_EPOCH);
      else slot.write(medium === 'sheet' && rng.chance(0.3) ? iso : messyDate(rng, iso));
      return;
    }
    case 'amount': {
      const text = Number(textOf(value)).toFixed(2);
      if (medium === 'json') slot.write(messyAmount(rng, text));
      else if (medium === 'csv') slot.write(rng.chance(0.2) ? text.replace(/0$/, '') : messyAmountGbk(rng, text));
      else slot.write(messyAmountGbk(rng, text));
      return;
    }
    case 'region': {
      const code = String(value);
      if (medium !== 'json' && rng.chance(0.5)) slot.write(medium === 'sheet' && rng.chance(0.6) ? Number(code) : `${code}.0`);
      else if (code.length === 12) slot.write(coarserRegionCode(rng, code));
      return;
    }
    default:
      if (/^\d\d$/.test(String(value))) slot.write(relationWord(String(value)));
  }
}

/**
 * A messy ID in a form the medium can carry. Files add a spreadsheet's marks: a leading `'`
 * (the text marker), a trailing `.0`, and in a sheet a 15-digit legacy ID typed as a number
 * (an 18-digit one cannot be: a number cell keeps only 15 significant digits).
 */
function messyIdIn(rng: Random, id: string, medium: Medium): SheetCell {
  if (medium !== 'json' && rng.chance(0.4)) {
    if (medium === 'sheet' && id.slice(6, 8) === '19' && rng.chance(0.5)) return Number(legacyIdNumber(id));
    return rng.chance(0.5) || !/^\d{18}$/.test(id) ? `'${id}` : `${id}.0`;
  }
  const messy = messyIdNumber(rng, id);
  return medium === 'json' || !/[０-９]/.test(messy) ? messy : fullWidthDigits(id);
}
