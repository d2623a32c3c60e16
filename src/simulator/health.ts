/**
 * The health registry's records of one household (卫健委 / 医保局, feeds.md §3): hospital
 * settlements (医保结算) of the configured years — several a year for the old and the sick, a
 * few per cent of them catastrophic (大病), with medical assistance (医疗救助, `yljz`) mostly for
 * members in 低保 or 特困 — and medical death certificates, some registered late.
 */
import { ageOn, dayFromCivil, isoDate } from './calendar';
import { coverOn, type Family } from './family';
import { field, messOne, spoilOne } from './fieldFaults';
import type { Person, Run } from './generationRun';
import { aliveOn } from './lifeEvents';
import type { Random } from './random';
import type { SimDeath, SimSettlement } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { exp, floor, max, min, round } = Math;

/** A record with the day it is filtered and ordered by (its clean date, whatever form it is delivered in). */
export interface DatedRecord<T> {
  record: T;
  day: number;
}

export interface DeathEntry extends DatedRecord<SimDeath> {
  /** the day the certificate reached the registry: some arrive months after the death */
  registeredOn: number;
}

export interface HealthRates {
  /** chance that a person in 低保 or 特困 gets no medical assistance in a year (rule G5) */
  assistanceGap: number;
}

const CATASTROPHIC = ['C34.9', 'C16.9', 'C22.0', 'C50.9', 'C18.9', 'C61', 'N18.5', 'I21.9', 'I61.9', 'D61.9', 'C25.9'];
const ELDERLY = ['I63.9', 'I10', 'E11.9', 'J18.9', 'J44.1', 'I25.1', 'N40', 'H25.9', 'M17.9', 'S72.0', 'I50.9', 'K80.2'];
const ADULT = ['K35.8', 'K80.2', 'J18.9', 'S82.2', 'M51.2', 'N20.0', 'E11.9', 'I10', 'K29.7', 'S52.5'];
const CHILD = ['J06.9', 'J18.9', 'A09', 'J20.9', 'K35.8', 'S42.0', 'J35.0'];

/** Expected hospital stays in a year at an age. */
function admissions(person: Person, age: number): number {
  const base = age < 5 ? 0.12 : age < 18 ? 0.04 : age < 45 ? 0.07 : age < 60 ? 0.12 : age < 75 ? 0.22 : 0.38;
  const unable = person.selfCare === '全失能' ? 2 : person.selfCare === '半失能' ? 1.5 : 1;
  return base * (person.chronic ? 3 : 1) * unable;
}

function poisson(rng: Random, mean: number): number {
  const limit = exp(-mean);
  let count = 0;
  let product = rng.next();
  while (product > limit && count < 30) {
    count += 1;
    product *= rng.next();
  }
  return count;
}

/** Yuan with cents from a number of cents. */
function yuan(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** A cost with a long tail: `median` yuan, spread by a log-normal-ish factor. */
function cost(rng: Random, median: number, low: number, high: number): number {
  const spread = exp((rng.next() + rng.next() + rng.next() - 1.5) * 1.4);
  return round(min(high, max(low, median * spread)) * 100);
}

/** One hospital stay: whether it was catastrophic (大病), the diagnosis, the total cost and what insurance paid, in cents. */
export function hospitalStay(rng: Random, age: number, sex: Person['sex'], chronic: boolean): { catastrophic: boolean; diagnosis: string; total: number; insured: number } {
  const catastrophic = rng.chance(chronic ? 0.08 : 0.02);
  let diagnosis: string;
  if (catastrophic) diagnosis = rng.pick(CATASTROPHIC);
  else if (age < 18) diagnosis = rng.pick(CHILD);
  else if (sex === 'F' && age >= 22 && age <= 40 && rng.chance(0.35)) diagnosis = 'O80';
  else diagnosis = rng.pick(age >= 60 ? ELDERLY : ADULT);
  const total = catastrophic ? cost(rng, 80_000, 20_000, 600_000) : cost(rng, 7_000, 800, 90_000);
  const insured = round(total * (catastrophic ? 0.65 + rng.next() * 0.17 : 0.55 + rng.next() * 0.2));
  return { catastrophic, diagnosis, total, insured };
}

export function settlementsOf(rng: Random, run: Run, family: Family, rates: HealthRates): DatedRecord<SimSettlement>[] {
  const out: DatedRecord<SimSettlement>[] = [];
  const { delivery } = family;
  for (const person of family.people) {
    const gapYears = rng.chance(rates.assistanceGap);
    for (const year of run.healthYears) {
      const first = max(dayFromCivil(year, 1, 1), person.birth);
      const last = min(dayFromCivil(year, 12, 31), run.asOf, person.death ?? Infinity);
      if (last < first) continue;
      const age = ageOn(person.birth, first);
      const count = poisson(rng, (admissions(person, age) * (last - first + 1)) / 365);
      const days: number[] = [];
      for (let k = 0; k < count; k++) days.push(first + floor(rng.next() * (last - first + 1)));
      days.sort((a, b) => a - b);
      for (const day of days) {
        if (!aliveOn(person, day)) continue;
        const { catastrophic, diagnosis, total, insured } = hospitalStay(rng, age, person.sex, person.chronic);
        const remainder = total - insured;
        const cover = coverOn(run, family, person, day);
        let share = 0;
        if (cover.includes('DB') || cover.includes('TK')) share = !gapYears && rng.chance(0.88) ? 0.6 + rng.next() * 0.2 : 0;
        else if (cover.includes('DSR')) share = rng.chance(0.5) ? 0.4 + rng.next() * 0.2 : 0;
        else if (family.poverty && (family.poverty.status === '未脱贫' || family.poverty.monitoring !== '')) share = rng.chance(0.3) ? 0.3 : 0;
        const assistance = round(remainder * share);
        const record: SimSettlement = {
          jsid: `JS${year}${`${run.next(`JS-${year}`)}`.padStart(6, '0')}`,
          sfzh: person.id,
          xm: person.name,
          jsrq: isoDate(day),
          zfy: yuan(total),
          ybbx: yuan(insured),
          yljz: yuan(assistance),
          grzf: yuan(remainder - assistance),
          jbzd: diagnosis,
          dbbz: catastrophic ? '1' : '0',
        };
        const slots = [
          field(record, 'sfzh', 'id'), field(record, 'jsrq', 'date'), field(record, 'zfy', 'amount'),
          field(record, 'ybbx', 'amount'), field(record, 'yljz', 'amount'), field(record, 'grzf', 'amount'),
        ];
        if (delivery.faults.chance(delivery.invalidRate)) {
          const fault = spoilOne(delivery.faults, slots, family.village.townCode, run.knownVillageCodes);
          if (fault) delivery.invalid.push({ feed: 'health', where: 'settlements', key: record.jsid, ...fault });
        } else if (delivery.mess.chance(delivery.messyRate)) {
          messOne(delivery.mess, slots, 'json');
        }
        out.push({ record, day });
      }
    }
  }
  return out;
}

/** 死亡医学证明: one certificate per death, most registered within days, some months later. */
export function deathsOf(rng: Random, run: Run, family: Family): DeathEntry[] {
  const out: DeathEntry[] = [];
  const { delivery, village } = family;
  for (const person of family.people) {
    if (person.death === null) continue;
    const day = person.death;
    const year = Number(isoDate(day).slice(0, 4));
    const record: SimDeath = {
      swzmbh: `SZ${village.countyCode}${year}${`${run.next(`SZ-${village.countyCode}-${year}`)}`.padStart(5, '0')}`,
      sfzh: person.id,
      xm: person.name,
      swrq: isoDate(day),
      qhdm: village.code,
    };
    const registeredOn = day + (rng.chance(0.08) ? rng.int(30, 240) : rng.int(0, 10));
    const slots = [field(record, 'sfzh', 'id'), field(record, 'swrq', 'date'), field(record, 'qhdm', 'region')];
    if (delivery.faults.chance(delivery.invalidRate)) {
      const fault = spoilOne(delivery.faults, slots, village.townCode, run.knownVillageCodes);
      if (fault) delivery.invalid.push({ feed: 'health', where: 'deaths', key: record.swzmbh, ...fault });
    } else if (delivery.mess.chance(delivery.messyRate)) {
      messOne(delivery.mess, slots, 'json');
    }
    out.push({ record, day, registeredOn });
  }
  return out;
}
