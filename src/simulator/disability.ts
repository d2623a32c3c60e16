/**
 * The disabled-persons register's certificates of one household (残联, feeds.md §6), as the
 * versions the register delivered: issued, renewed every ten years or left to expire, the
 * 两项补贴 added — 护理补贴 (NURSING) for grades 1–2, 生活补贴 (LIVING) for the disabled in 低保 or
 * 特困 — and revoked after a death, the subsidies ending with the month.
 */
import { addYears, dayFromCivil, endOfMonth, isoDate, localTimestamp } from './calendar';
import { basicLivingSince, basicLivingUntil, type Family } from './family';
import { field, messOne, type Slot, spoilOne } from './fieldFaults';
import { type Person, type Run, timeOfDay } from './generationRun';
import type { Random } from './random';
import type { CertificateStatus, SimDisabledPerson, SimSubsidy } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, min } = Math;

const FIRST_CERTIFICATES = dayFromCivil(2008, 1, 1);
/** The 两项补贴 began in Shandong in 2016. */
const SUBSIDIES_BEGIN = dayFromCivil(2016, 1, 1);
const LIVING_MONTHLY = '120.00';
const NURSING_MONTHLY: Record<number, string> = { 1: '150.00', 2: '100.00' };

export interface DisabilityRates {
  /** chance that a grade 1–2 certificate has no nursing subsidy (rule G1) */
  nursingGap: number;
  /** chance that a disabled person in 低保 or 特困 has no living subsidy (rule G2) */
  livingGap: number;
  /** chance that the register never learns of a death, and the subsidies run on (rule D3) */
  missedDeath: number;
}

/** A version with the instant it is ordered and filtered by. */
export interface TimedRecord<T> {
  record: T;
  /** epoch milliseconds of modifiedAt */
  at: number;
}

interface Event {
  day: number;
  apply(state: State): void;
}

interface State {
  issue: number;
  validUntil: number;
  status: CertificateStatus;
  subsidies: { type: 'LIVING' | 'NURSING'; amount: string; start: number; end: number | null }[];
}

function instantOf(timestamp: string): number {
  return Date.parse(timestamp);
}

export function certificatesOf(rng: Random, run: Run, family: Family, rates: DisabilityRates): TimedRecord<SimDisabledPerson>[] {
  const out: TimedRecord<SimDisabledPerson>[] = [];
  for (const person of family.people) {
    if (person.disability) out.push(...certificateVersions(rng, run, family, person, rates));
  }
  return out;
}

function certificateVersions(rng: Random, run: Run, family: Family, person: Person, rates: DisabilityRates): TimedRecord<SimDisabledPerson>[] {
  const { delivery, village } = family;
  const disability = person.disability as NonNullable<Person['disability']>;
  const lastDay = min(run.asOf - 15, person.death === null ? Infinity : person.death - 1);
  const earliest = max(FIRST_CERTIFICATES, person.birth + 365);
  if (earliest > lastDay) return [];

  const firstIssue = rng.int(earliest, lastDay);
  const state: State = { issue: firstIssue, validUntil: addYears(firstIssue, 10) - 1, status: 'VALID', subsidies: [] };
  const events: Event[] = [{ day: min(run.asOf, firstIssue + rng.int(0, 30)), apply: () => undefined }];

  // Renewed before it runs out, or left to expire.
  let validUntil = state.validUntil;
  while (validUntil < run.asOf) {
    const ran = validUntil;
    if (rng.chance(0.85)) {
      const renewed = ran - rng.int(0, 60);
      const until = addYears(renewed, 10) - 1;
      events.push({ day: renewed, apply: (s) => ((s.issue = renewed), (s.validUntil = until), (s.status = 'VALID')) });
      validUntil = until;
    } else {
      events.push({ day: ran + 1 + rng.int(0, 20), apply: (s) => (s.status = 'EXPIRED') });
      break;
    }
  }

  if (disability.grade <= 2 && !rng.chance(rates.nursingGap)) {
    const start = max(firstIssue, SUBSIDIES_BEGIN) + rng.int(15, 90);
    const amount = NURSING_MONTHLY[disability.grade];
    if (start <= lastDay) events.push({ day: start + rng.int(0, 10), apply: (s) => s.subsidies.push({ type: 'NURSING', amount, start, end: null }) });
  }
  const poorSince = basicLivingSince(family, person);
  if (poorSince !== null && !rng.chance(rates.livingGap)) {
    const start = max(firstIssue, SUBSIDIES_BEGIN, poorSince) + rng.int(15, 90);
    const until = basicLivingUntil(family, person);
    const listedOn = start + rng.int(0, 10);
    if (start <= lastDay && (until === null || until >= start)) {
      events.push({ day: listedOn, apply: (s) => s.subsidies.push({ type: 'LIVING', amount: LIVING_MONTHLY, start, end: null }) });
      if (until !== null) {
        // 低保 or 特困 ended: the living subsidy ends with that month.
        const ends = endOfMonth(until);
        events.push({ day: max(ends + rng.int(1, 20), listedOn + 1), apply: (s) => s.subsidies.forEach((x) => x.type === 'LIVING' && x.end === null && (x.end = ends)) });
      }
    }
  }
  if (person.death !== null && !rng.chance(rates.missedDeath)) {
    const ends = endOfMonth(person.death);
    events.push({
      day: person.death + rng.int(5, 40),
      apply: (s) => {
        s.status = 'REVOKED';
        for (const x of s.subsidies) if (x.end === null || x.end > ends) x.end = max(x.start, ends);
      },
    });
  }

  events.sort((a, b) => a.day - b.day);
  const certNo = `${person.id}${disability.category}${disability.grade}`;
  const versions: TimedRecord<SimDisabledPerson>[] = [];
  for (const event of events) {
    if (event.day > run.asOf) break;
    event.apply(state);
    // A subsidy is listed once it has started.
    const subsidies: SimSubsidy[] = state.subsidies
      .filter((s) => s.start <= event.day)
      .map((s) => ({ type: s.type, monthlyAmount: s.amount, startDate: isoDate(s.start), endDate: s.end === null ? null : isoDate(s.end) }));
    const modifiedAt = localTimestamp(event.day, timeOfDay(rng));
    versions.push({
      at: instantOf(modifiedAt),
      record: {
        certNo, idCard: person.id, name: person.name, category: disability.category, grade: disability.grade,
        issueDate: isoDate(state.issue), validUntil: isoDate(state.validUntil), status: state.status,
        regionCode: village.code, subsidies, modifiedAt,
      },
    });
  }

  // A spoiled certificate is delivered as its newest version only, so its key stands for one bad record.
  if (versions.length > 0 && delivery.faults.chance(delivery.invalidRate)) {
    const newest = versions[versions.length - 1];
    const fault = spoilOne(delivery.faults, slotsOf(newest.record), village.townCode, run.knownVillageCodes);
    if (fault) {
      delivery.invalid.push({ feed: 'disability', where: 'persons', key: certNo, ...fault });
      return [newest];
    }
  }
  for (const version of versions) if (delivery.mess.chance(delivery.messyRate)) messOne(delivery.mess, slotsOf(version.record), 'json');
  return versions;
}

function slotsOf(record: SimDisabledPerson): Slot[] {
  const slots = [field(record, 'idCard', 'id'), field(record, 'issueDate', 'date'), field(record, 'regionCode', 'region')];
  record.subsidies.forEach((subsidy, i) => {
    slots.push(field(subsidy, 'monthlyAmount', 'amount', `subsidies[${i}].monthlyAmount`), field(subsidy, 'startDate', 'date', `subsidies[${i}].startDate`));
  });
  return slots;
}
