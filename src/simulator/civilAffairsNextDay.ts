/**
 * The civil-affairs registry's next day (民政局, feeds.md §1): about `share` of its records get a
 * new version stamped with the new day — a 低保 amount recalculated, a member moving out or a
 * baby added, an enrollment ending with the month, a member's self-care worsening, now and then
 * a record deleted — and a few records are new: households recognised from the rural
 * revitalisation bureau's monitored households, 临时救助 paid today, 留守老人 registered today.
 * Every new version's `updated_at` is on the new day, so it is served after every older one.
 */
import { endOfMonth, isoDate, localTimestamp, yearOf } from './calendar';
import type { CivilAffairsData } from './civilAffairsRegistry';
import { timeOfDay } from './generationRun';
import { ageOf, canonicalId, centsOf, countOf, invalidKeys, knownVillage, newborn, type NextDay, STREAM, streamOf, yuanOf } from './nextDayContext';
import type { Random } from './random';
import { messUpPersonRecord } from './recordFaults';
import type { ApprovalLevel, SimGrant, SimHousehold, SimMember, SimRegistration } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, round } = Math;

/** Someone the other registries may come to know of: an ID, a name and where they live. */
export interface Resident {
  id: string;
  name: string;
  /** the 12-digit village code */
  village: string;
}

/** A household of the poverty ledger the civil-affairs bureau does not assist yet. */
export interface Newcomer {
  village: string;
  members: { id: string; name: string; relation: string }[];
}

/** What the registry's newest records say about people, read once a day. */
export interface CivilAffairsPeople {
  /** every member of a household's newest version (canonical IDs) */
  members: Set<string>;
  /** members aged 75 or more of households not deleted: some of them will die */
  elderly: Resident[];
  newestHouseholds: Map<string, SimHousehold>;
}

function openOn(enrollment: SimHousehold['enrollments'][number], day: string): boolean {
  return enrollment.ksrq <= day && (enrollment.zzrq === null || enrollment.zzrq >= day);
}

export function civilAffairsPeople(next: NextDay, data: CivilAffairsData): CivilAffairsPeople {
  const newestHouseholds = new Map<string, SimHousehold>();
  for (const [key, json] of data.households.newestByKey()) newestHouseholds.set(key, JSON.parse(json) as SimHousehold);
  const members = new Set<string>();
  const elderly: Resident[] = [];
  for (const household of newestHouseholds.values()) {
    const village = knownVillage(next, household.qhdm);
    for (const member of household.members ?? []) {
      const id = canonicalId(member.sfzh);
      if (id === null) continue;
      members.add(id);
      if (!household.deleted && village && ageOf(id, next.day) >= 75) elderly.push({ id, name: member.xm, village: village.code });
    }
  }
  return { members, elderly, newestHouseholds };
}

type HouseholdChange = 'amount' | 'memberLeaves' | 'newborn' | 'enrollmentEnds' | 'selfCare' | 'deleted';

/** The highest sequence number in keys like `MZ-371002-000123`, by prefix (`MZ-371002`). */
function lastSequences(keys: Iterable<string>, pattern: RegExp): Map<string, number> {
  const last = new Map<string, number>();
  for (const key of keys) {
    const match = pattern.exec(key);
    if (match) last.set(match[1], max(last.get(match[1]) ?? 0, Number(match[2])));
  }
  return last;
}

function nextSequence(last: Map<string, number>, prefix: string): number {
  const value = (last.get(prefix) ?? 0) + 1;
  last.set(prefix, value);
  return value;
}

/** Applies one change to a copy of a household's newest version; false when it applies to nothing. */
function changeHousehold(next: NextDay, rng: Random, record: SimHousehold, kind: HouseholdChange, listedPoor: ReadonlySet<string>): boolean {
  const today = isoDate(next.day);
  const open = record.enrollments.filter((e) => openOn(e, today));
  const db = open.find((e) => e.xmdm === 'DB' && centsOf(e.bzje) !== null);
  const supported = new Set(record.enrollments.flatMap((e) => (e.tkcy ?? []).map((id) => canonicalId(id))));
  const rescale = (factor: number) => {
    if (db) db.bzje = yuanOf(max(20000, round(((centsOf(db.bzje) as number) * factor) / 1000) * 1000));
  };
  switch (kind) {
    case 'amount': {
      const paid = open.filter((e) => centsOf(e.bzje) !== null);
      if (paid.length === 0) return false;
      const enrollment = rng.pick(paid);
      const cents = centsOf(enrollment.bzje) as number;
      // 低保 is recalculated from the household's income; 特困 follows the yearly standard.
      const factor = enrollment.xmdm === 'DB' ? 0.85 + rng.next() * 0.3 : 1.02 + rng.next() * 0.03;
      enrollment.bzje = yuanOf(max(20000, round((cents * factor) / 1000) * 1000));
      return true;
    }
    case 'memberLeaves': {
      // Not someone the poverty ledger still lists with the household: both registries would record the move.
      const removable = record.members.map((_, i) => i).filter((i) => {
        const id = canonicalId(record.members[i].sfzh);
        return i > 0 && !supported.has(id) && !listedPoor.has(id ?? '');
      });
      if (removable.length === 0) return false;
      const size = record.members.length;
      record.members.splice(rng.pick(removable), 1);
      rescale((size - 1) / size);
      return true;
    }
    case 'newborn': {
      const head = canonicalId(record.hzsfzh);
      if (head === null || !open.some((e) => e.xmdm !== 'TK') || record.members.length >= 7) return false;
      const age = ageOf(head, next.day);
      if (age < 20 || age > 80) return false;
      const county = knownVillage(next, record.qhdm)?.countyCode ?? record.hh_id.slice(3, 9);
      const baby = newborn(next, rng, county, record.members[0].xm.slice(0, 1));
      const line = age <= 45 ? (baby.sex === 'M' ? '1' : '2') : '3';
      const taken = record.members.filter((m) => m.yhzgx.startsWith(line)).length;
      const relation = line === '3' ? (baby.sex === 'M' ? '31' : '32') : `${line}${Math.min(9, taken + 1)}`;
      const size = record.members.length;
      record.members.push({ sfzh: baby.id, xm: baby.name, yhzgx: relation, zlnl: '全自理' });
      rescale((size + 1) / size);
      return true;
    }
    case 'enrollmentEnds': {
      if (open.length === 0) return false;
      // Assistance stops with the month in which the review found the household above the line.
      rng.pick(open).zzrq = isoDate(endOfMonth(next.day));
      return true;
    }
    case 'selfCare': {
      const worsening = record.members.filter((m) => {
        const id = canonicalId(m.sfzh);
        return m.zlnl !== '全失能' && id !== null && ageOf(id, next.day) >= 60;
      });
      if (worsening.length === 0) return false;
      const member = rng.pick(worsening);
      member.zlnl = member.zlnl === '全自理' ? '半失能' : '全失能';
      return true;
    }
    default:
      record.deleted = true;
      return true;
  }
}

const HOUSEHOLD_CHANGES: readonly (readonly [HouseholdChange, number])[] = [
  ['amount', 3], ['memberLeaves', 2], ['newborn', 1], ['enrollmentEnds', 2], ['selfCare', 2], ['deleted', 0.3],
];

function changedHouseholds(next: NextDay, data: CivilAffairsData, people: CivilAffairsPeople, listedPoor: ReadonlySet<string>): SimHousehold[] {
  const rng = streamOf(next, STREAM.civilAffairs);
  const invalid = invalidKeys(next, 'civil-affairs', 'households');
  const eligible = [...people.newestHouseholds.values()].filter((h) => !h.deleted && !invalid.has(h.hh_id) && Array.isArray(h.members) && h.members.length > 0);
  const chance = eligible.length === 0 ? 0 : (next.share * data.households.size) / eligible.length;
  const out: SimHousehold[] = [];
  for (const household of eligible) {
    if (!rng.chance(chance)) continue;
    const record = JSON.parse(JSON.stringify(household)) as SimHousehold;
    let choices = HOUSEHOLD_CHANGES;
    for (let attempt = 0; attempt < 4; attempt++) {
      const kind = rng.weighted(choices);
      if (changeHousehold(next, rng, record, kind, listedPoor)) {
        record.updated_at = localTimestamp(next.day, timeOfDay(rng));
        out.push(record);
        break;
      }
      choices = choices.filter(([k]) => k !== kind);
    }
  }
  return out;
}

/** Households of the poverty ledger recognised today: 低收入 (DSR) mostly, 低保 for the poorest. */
function newHouseholds(next: NextDay, data: CivilAffairsData, newcomers: readonly Newcomer[]): SimHousehold[] {
  const rng = streamOf(next, STREAM.newHouseholds);
  const wanted = Math.min(newcomers.length, countOf(rng, next.share * data.households.size * 0.05));
  const sequences = lastSequences(data.households.newestByKey().keys(), /^(MZ-\d{6})-(\d+)$/);
  const pool = [...newcomers];
  const out: SimHousehold[] = [];
  const today = isoDate(next.day);
  for (let n = 0; n < wanted; n++) {
    const newcomer = pool.splice(rng.int(0, pool.length - 1), 1)[0];
    const village = next.villages.get(newcomer.village);
    if (!village) continue;
    const head = newcomer.members[0];
    const members: SimMember[] = newcomer.members.map((m) => ({ sfzh: m.id, xm: m.name, yhzgx: m.relation, zlnl: '全自理' }));
    const db = rng.chance(0.4);
    const perPerson = rng.int(200, 600) * 100;
    out.push({
      hh_id: `MZ-${village.countyCode}-${`${nextSequence(sequences, `MZ-${village.countyCode}`)}`.padStart(6, '0')}`,
      hzsfzh: head.id,
      jtdz: `${village.countyName}${village.townName}${village.placeName}${rng.int(1, 199)}号`,
      qhdm: village.code,
      hjxz: village.urban ? '城镇' : '农村',
      members,
      enrollments: [{
        xmdm: db ? 'DB' : 'DSR', bzje: db ? yuanOf(perPerson * members.length) : null, ksrq: today, zzrq: null, tkcy: null, gyfs: null,
        spjb: rng.chance(0.6) ? '镇街' : '区市',
      }],
      updated_at: localTimestamp(next.day, timeOfDay(rng)),
      deleted: false,
    });
  }
  return out;
}

function grantsOfDay(next: NextDay, data: CivilAffairsData, people: CivilAffairsPeople): SimGrant[] {
  const rng = streamOf(next, STREAM.grants);
  const today = isoDate(next.day);
  const invalid = invalidKeys(next, 'civil-affairs', 'grants');
  const newest = [...data.grants.newestByKey()].map(([, json]) => JSON.parse(json) as SimGrant);
  const eligible = newest.filter((g) => !g.deleted && !invalid.has(g.grant_id) && !next.dead.has(canonicalId(g.sfzh) ?? ''));
  const target = next.share * data.grants.size;
  const chance = eligible.length === 0 ? 0 : (target * 0.5) / eligible.length;
  const out: SimGrant[] = [];
  for (const grant of eligible) {
    if (!rng.chance(chance)) continue;
    const record = { ...grant, updated_at: localTimestamp(next.day, timeOfDay(rng)) };
    const cents = centsOf(record.je);
    if (record.xmdm !== 'LS' && (record.zzrq === null || record.zzrq > today) && rng.chance(0.7)) {
      // The child was adopted or a parent came back: the allowance stops with the month.
      record.zzrq = isoDate(endOfMonth(next.day));
    } else if (record.xmdm === 'LS' && rng.chance(0.2)) {
      record.deleted = true;
    } else if (cents !== null) {
      record.je = yuanOf(record.xmdm === 'LS' ? max(10000, round((cents * (0.8 + rng.next() * 0.4)) / 10000) * 10000) : cents + 5000);
    } else {
      continue;
    }
    out.push(record);
  }

  // 临时救助 paid today to the heads of assisted households.
  const heads: Resident[] = [];
  for (const household of people.newestHouseholds.values()) {
    const village = knownVillage(next, household.qhdm);
    const head = canonicalId(household.hzsfzh);
    if (household.deleted || !village || head === null || next.dead.has(head) || !household.enrollments.some((e) => openOn(e, today))) continue;
    heads.push({ id: head, name: household.members[0]?.xm ?? '', village: village.code });
  }
  const sequences = lastSequences(newest.map((g) => g.grant_id), /^(LS-\d{4})-(\d+)$/);
  const fresh = Math.min(heads.length, countOf(rng, target * 0.5));
  for (let n = 0; n < fresh; n++) {
    const head = heads.splice(rng.int(0, heads.length - 1), 1)[0];
    const yuan = rng.chance(0.85) ? rng.int(5, 60) * 100 : rng.int(50000, 600000) / 100;
    const level: ApprovalLevel = yuan >= 3000 ? '区市' : rng.chance(0.85) ? '镇街' : '区市';
    const prefix = `LS-${yearOf(next.day)}`;
    const record: SimGrant = {
      grant_id: `${prefix}-${`${nextSequence(sequences, prefix)}`.padStart(6, '0')}`,
      sfzh: head.id, xm: head.name, xmdm: 'LS', je: yuan.toFixed(2), ffrq: today, ksrq: null, zzrq: null, qhdm: head.village,
      spjb: level, ldxz_pzwh: null, updated_at: localTimestamp(next.day, timeOfDay(rng)), deleted: false,
    };
    if (rng.chance(next.messyRate)) messUpPersonRecord(rng, record);
    out.push(record);
  }
  return out;
}

function registrationsOfDay(next: NextDay, data: CivilAffairsData, people: CivilAffairsPeople): SimRegistration[] {
  const rng = streamOf(next, STREAM.registrations);
  const today = isoDate(next.day);
  const invalid = invalidKeys(next, 'civil-affairs', 'registries');
  const newest = [...data.registrations.newestByKey()].map(([, json]) => JSON.parse(json) as SimRegistration);
  const eligible = newest.filter((r) => r.zxrq === null && !invalid.has(r.reg_id));
  const target = next.share * data.registrations.size;
  const chance = eligible.length === 0 ? 0 : (target * 0.6) / eligible.length;
  const out: SimRegistration[] = [];
  for (const registration of eligible) {
    if (!rng.chance(chance)) continue;
    // Cancelled: the children came home, the woman remarried, the child outgrew the group.
    out.push({ ...registration, zxrq: today, updated_at: localTimestamp(next.day, timeOfDay(rng)) });
  }

  // 留守老人 registered today: old members of assisted households living without working-age kin.
  const registered = new Set(newest.filter((r) => r.lb === 'LSLR').map((r) => canonicalId(r.sfzh)));
  const elders = people.elderly.filter((p) => !registered.has(p.id) && !next.dead.has(p.id));
  const sequences = lastSequences(newest.map((r) => r.reg_id), /^(LSLR-\d{6})-(\d+)$/);
  const fresh = Math.min(elders.length, countOf(rng, target * 0.4));
  for (let n = 0; n < fresh; n++) {
    const elder = elders.splice(rng.int(0, elders.length - 1), 1)[0];
    const prefix = `LSLR-${elder.village.slice(0, 6)}`;
    const record: SimRegistration = {
      reg_id: `${prefix}-${`${nextSequence(sequences, prefix)}`.padStart(5, '0')}`,
      sfzh: elder.id, xm: elder.name, lb: 'LSLR', djrq: today, zxrq: null, qhdm: elder.village,
      updated_at: localTimestamp(next.day, timeOfDay(rng)),
    };
    if (rng.chance(next.messyRate)) messUpPersonRecord(rng, record);
    out.push(record);
  }
  return out;
}

/**
 * Adds the day's new versions and records to the registry; returns how many each endpoint got.
 * `listedPoor`: the members of the poverty ledger's households (canonical IDs).
 */
export function civilAffairsNextDay(next: NextDay, data: CivilAffairsData, people: CivilAffairsPeople, newcomers: readonly Newcomer[], listedPoor: ReadonlySet<string>): Record<string, number> {
  const households = [...changedHouseholds(next, data, people, listedPoor), ...newHouseholds(next, data, newcomers)];
  const grants = grantsOfDay(next, data, people);
  const registrations = registrationsOfDay(next, data, people);
  data.households.add(households);
  data.grants.add(grants);
  data.registrations.add(registrations);
  return {
    'civil-affairs/households': households.length,
    'civil-affairs/grants': grants.length,
    'civil-affairs/registries': registrations.length,
  };
}
