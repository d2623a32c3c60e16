/**
 * The health registry's next day (卫健委 / 医保局, feeds.md §3): the current year's settlement
 * snapshot gains the stays settled today and a few corrected settlements (insurance paid more
 * after review: same `jsid`, same place in the year); and some residents die today, each a
 * person the other registries know (with their village), certified and registered today.
 */
import { isoDate, yearOf } from './calendar';
import type { Resident } from './civilAffairsNextDay';
import { field, messOne, spoilOne } from './fieldFaults';
import { hospitalStay } from './health';
import type { HealthData } from './healthRegistry';
import { ageOf, canonicalId, centsOf, countOf, invalidKeys, type NextDay, sexOf, STREAM, streamOf, yuanOf } from './nextDayContext';
import type { Random } from './random';
import type { SimDeath, SimSettlement } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, round } = Math;

const JSID = /"jsid":"JS(\d{4})(\d+)"/;
const PLAIN_AMOUNT = /^\d+\.\d{2}$/;

/** Everyone with a death certificate, and the last certificate number per county and year. */
export function knownDeaths(health: HealthData): { dead: Set<string>; sequences: Map<string, number> } {
  const dead = new Set<string>();
  const sequences = new Map<string, number>();
  const deaths = health.deaths;
  for (let p = 0; p < deaths.size; p++) {
    const record = JSON.parse(deaths.json(p)) as SimDeath;
    const id = canonicalId(record.sfzh);
    if (id) dead.add(id);
    const match = /^SZ(\d{10})(\d+)$/.exec(record.swzmbh);
    if (match) sequences.set(match[1], max(sequences.get(match[1]) ?? 0, Number(match[2])));
  }
  return { dead, sequences };
}

/** Mess and faults on a new record at the configured rates; a fault is reported as expected-invalid. */
function deliver(next: NextDay, faults: Random, mess: Random, slots: ReturnType<typeof field>[], townCode: string, where: 'settlements' | 'deaths', key: string): void {
  if (faults.chance(next.invalidRate)) {
    const fault = spoilOne(faults, slots, townCode, next.knownVillageCodes);
    if (fault) next.expectedInvalid.push({ feed: 'health', where, key, ...fault });
  } else if (mess.chance(next.messyRate)) {
    messOne(mess, slots, 'json');
  }
}

/** Today's deaths, chosen among the residents given (the old the other registries know); returns how many. */
export function deathsNextDay(next: NextDay, health: HealthData, residents: readonly Resident[], sequences: Map<string, number>): number {
  const rng = streamOf(next, STREAM.deaths);
  const faults = streamOf(next, STREAM.faults + 100);
  const mess = streamOf(next, STREAM.mess + 100);
  const seen = new Set<string>();
  const pool = residents.filter((r) => !next.dead.has(r.id) && !seen.has(r.id) && seen.add(r.id));
  const wanted = Math.min(pool.length, countOf(rng, next.share * health.deaths.size));
  const entries = [];
  const year = yearOf(next.day);
  for (let n = 0; n < wanted; n++) {
    const person = pool.splice(rng.int(0, pool.length - 1), 1)[0];
    const prefix = `${person.village.slice(0, 6)}${year}`;
    const sequence = (sequences.get(prefix) ?? 0) + 1;
    sequences.set(prefix, sequence);
    const record: SimDeath = { swzmbh: `SZ${prefix}${`${sequence}`.padStart(5, '0')}`, sfzh: person.id, xm: person.name, swrq: isoDate(next.day), qhdm: person.village };
    deliver(next, faults, mess, [field(record, 'sfzh', 'id'), field(record, 'swrq', 'date'), field(record, 'qhdm', 'region')], person.village.slice(0, 9), 'deaths', record.swzmbh);
    next.dead.add(person.id);
    entries.push({ record, day: next.day, registeredOn: next.day });
  }
  health.addDeathsLater(entries);
  return entries.length;
}

/** A settlement corrected after review: insurance pays a share more of what the patient paid. */
function corrected(rng: Random, record: SimSettlement): SimSettlement | null {
  if (![record.zfy, record.ybbx, record.yljz, record.grzf].every((v) => typeof v === 'string' && PLAIN_AMOUNT.test(v))) return null;
  const own = centsOf(record.grzf) as number;
  if (own < 100) return null;
  const more = round(own * (0.05 + rng.next() * 0.25));
  return { ...record, ybbx: yuanOf((centsOf(record.ybbx) as number) + more), grzf: yuanOf(own - more) };
}

/** Today's settlements and corrections; returns how many rows are new or changed. */
export function settlementsNextDay(next: NextDay, health: HealthData): number {
  const rng = streamOf(next, STREAM.settlements);
  const faults = streamOf(next, STREAM.faults);
  const mess = streamOf(next, STREAM.mess);
  const years = health.settlementYears();
  const year = yearOf(next.day);
  const base = health.settlements(year) ?? health.settlements(years[years.length - 1]);
  if (!base || base.size === 0) return 0;
  const total = years.reduce((n, y) => n + (health.settlements(y)?.size ?? 0), 0);
  const invalid = invalidKeys(next, 'health', 'settlements');
  const newChance = (next.share * total * 0.8) / base.size;
  const fixChance = (next.share * total * 0.2) / base.size;

  // Who is in hospital today: people of this year's settlements, alive; and who had a settlement corrected.
  let lastSequence = 0;
  const patients: SimSettlement[] = [];
  let changed = 0;
  for (let p = 0; p < base.size; p++) {
    const text = base.json(p);
    const match = JSID.exec(text);
    if (match && Number(match[1]) === year) lastSequence = max(lastSequence, Number(match[2]));
    const admitted = rng.chance(newChance);
    const fixed = rng.chance(fixChance);
    if (!admitted && !fixed) continue;
    const record = JSON.parse(text) as SimSettlement;
    if (admitted) patients.push(record);
    if (fixed && !invalid.has(record.jsid)) {
      const correction = corrected(rng, record);
      if (correction) {
        base.correct(p, JSON.stringify(correction));
        changed += 1;
      }
    }
  }

  const entries = [];
  for (const patient of patients) {
    const id = canonicalId(patient.sfzh);
    if (id === null || next.dead.has(id) || invalid.has(patient.jsid)) continue;
    const stay = hospitalStay(rng, ageOf(id, next.day), sexOf(id), rng.chance(0.3));
    const remainder = stay.total - stay.insured;
    // Medical assistance again for someone who had it this year.
    const assisted = (centsOf(patient.yljz) ?? 0) > 0 ? round(remainder * (0.6 + rng.next() * 0.2)) : 0;
    const record: SimSettlement = {
      jsid: `JS${year}${`${++lastSequence}`.padStart(6, '0')}`,
      sfzh: id,
      xm: patient.xm,
      jsrq: isoDate(next.day),
      zfy: yuanOf(stay.total),
      ybbx: yuanOf(stay.insured),
      yljz: yuanOf(assisted),
      grzf: yuanOf(remainder - assisted),
      jbzd: stay.diagnosis,
      dbbz: stay.catastrophic ? '1' : '0',
    };
    const slots = [
      field(record, 'sfzh', 'id'), field(record, 'jsrq', 'date'), field(record, 'zfy', 'amount'),
      field(record, 'ybbx', 'amount'), field(record, 'yljz', 'amount'), field(record, 'grzf', 'amount'),
    ];
    deliver(next, faults, mess, slots, '', 'settlements', record.jsid);
    entries.push({ record, day: next.day });
  }
  health.addSettlementsLater(entries);
  return changed + entries.length;
}
