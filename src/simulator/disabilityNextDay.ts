/**
 * The disabled-persons register's next day (残联, feeds.md §6): about `share` of its
 * certificates get a new version modified today — renewed before it runs out, a 护理补贴 or
 * 生活补贴 approved, a subsidy ending with the month, a third-generation card issued in
 * exchange for the old one (换领).
 * Read in two steps: the newest versions first (their old holders are candidates for today's
 * deaths), then the changes, leaving out anyone who died today.
 */
import { addYears, endOfMonth, isoDate, localTimestamp } from './calendar';
import type { Resident } from './civilAffairsNextDay';
import type { DisabilityData } from './disabilityRegistry';
import { timeOfDay } from './generationRun';
import { ageOf, canonicalId, invalidKeys, knownVillage, type NextDay, STREAM, streamOf } from './nextDayContext';
import type { Random } from './random';
import type { SimDisabledPerson } from './records';

const CERT_NO = /"certNo":"([^"]*)"/;
const NURSING_MONTHLY: Record<number, string> = { 1: '150.00', 2: '100.00' };
const LIVING_MONTHLY = '120.00';

type CertificateChange = 'renew' | 'exchange' | 'nursing' | 'living' | 'subsidyEnds';
const CHANGES: readonly (readonly [CertificateChange, number])[] = [['renew', 3], ['exchange', 2], ['nursing', 2], ['living', 1], ['subsidyEnds', 1]];

function change(next: NextDay, rng: Random, record: SimDisabledPerson, kind: CertificateChange): boolean {
  const today = isoDate(next.day);
  const open = record.subsidies.filter((s) => s.endDate === null || s.endDate > today);
  if (record.status === 'EXPIRED' && kind !== 'renew') return false;
  switch (kind) {
    case 'renew':
    case 'exchange':
      // Renewed as it runs out, or exchanged for the new card at any time: issued today, valid ten years.
      if (kind === 'renew' && record.status !== 'EXPIRED' && record.validUntil > isoDate(next.day + 90)) return false;
      record.issueDate = today;
      record.validUntil = isoDate(addYears(next.day, 10) - 1);
      record.status = 'VALID';
      return true;
    case 'nursing':
      if (record.grade > 2 || open.some((s) => s.type === 'NURSING')) return false;
      record.subsidies.push({ type: 'NURSING', monthlyAmount: NURSING_MONTHLY[record.grade], startDate: today, endDate: null });
      return true;
    case 'living':
      if (open.some((s) => s.type === 'LIVING')) return false;
      record.subsidies.push({ type: 'LIVING', monthlyAmount: LIVING_MONTHLY, startDate: today, endDate: null });
      return true;
    case 'subsidyEnds':
    default:
      if (open.length === 0) return false;
      rng.pick(open).endDate = isoDate(endOfMonth(next.day));
      return true;
  }
}

export class DisabilityNextDay {
  /** holders aged 75 or more of valid certificates, with their village */
  readonly elderly: Resident[] = [];
  private readonly changed: SimDisabledPerson[] = [];

  constructor(private readonly next: NextDay, private readonly data: DisabilityData) {
    const feed = data.persons;
    const newest = new Map<string, number>();
    for (let p = 0; p < feed.size; p++) {
      const match = CERT_NO.exec(feed.json(p));
      if (match) newest.set(match[1], p);
    }
    const invalid = invalidKeys(next, 'disability', 'persons');
    const eligible: number[] = [];
    for (const [certNo, position] of newest) if (!invalid.has(certNo)) eligible.push(position);
    const chance = eligible.length === 0 ? 0 : (next.share * feed.size) / eligible.length;
    const rng = streamOf(next, STREAM.disability);
    for (const position of eligible) {
      const record = JSON.parse(feed.json(position)) as SimDisabledPerson;
      if (record.status === 'REVOKED') continue;
      const id = canonicalId(record.idCard);
      const village = knownVillage(next, record.regionCode);
      if (id !== null && village && record.status === 'VALID' && !next.dead.has(id) && ageOf(id, next.day) >= 75) {
        this.elderly.push({ id, name: record.name, village: village.code });
      }
      if (!rng.chance(chance)) continue;
      let choices = CHANGES;
      for (let attempt = 0; attempt < 5 && choices.length > 0; attempt++) {
        const kind = rng.weighted(choices);
        if (change(next, rng, record, kind)) {
          record.modifiedAt = localTimestamp(next.day, timeOfDay(rng));
          this.changed.push(record);
          break;
        }
        choices = choices.filter(([k]) => k !== kind);
      }
    }
  }

  /** Adds the day's versions to the register (not those of anyone who died today); returns how many. */
  publish(): number {
    const versions = this.changed.filter((record) => !this.next.dead.has(canonicalId(record.idCard) ?? ''));
    this.data.addLater(versions.map((record) => ({ record, at: Date.parse(record.modifiedAt) })));
    return versions.length;
  }
}
