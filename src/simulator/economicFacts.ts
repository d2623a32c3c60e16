/**
 * What the economic-check oracle (家庭经济状况核对, feeds.md §7) knows of one household's adults:
 * deposits, insurance, taxable income, pensions or contribution wages, properties, vehicles and
 * business registrations, as of the last quarter's end and, for some, the year end before.
 * Assisted households hold little; at a low rate one holds more than the rules allow (rule D4),
 * and a disabled member's 残疾人机动轮椅车 is the exempt vehicle that must not count.
 */
import { ageOn, civilFromDay, dayFromCivil, isoDate } from './calendar';
import type { Family } from './family';
import { field, messOne, type Slot, spoilOne } from './fieldFaults';
import type { Person, Run } from './generationRun';
import { aliveOn } from './lifeEvents';
import type { Random } from './random';
import type { EconomicSource, SimEconomicFact } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { exp, floor, round } = Math;

export interface EconomicRates {
  /** chance that an assisted household owns more than the rules allow (rule D4) */
  overTheLine: number;
}

/** The facts of one person the oracle knows. */
export interface KnownPerson {
  id: string;
  facts: SimEconomicFact[];
}

/** The last quarter's end before the as-of day, and the year end before that. */
export function factDates(asOf: number): [number, number] {
  const { year, month } = civilFromDay(asOf);
  const quarterStartMonth = floor((month - 1) / 3) * 3 + 1;
  const latest = dayFromCivil(year, quarterStartMonth, 1) - 1;
  const yearEnd = dayFromCivil(civilFromDay(latest).year, 1, 1) - 1;
  return [latest, yearEnd];
}

function money(rng: Random, median: number, spread = 1): string {
  const factor = exp((rng.next() + rng.next() + rng.next() - 1.5) * spread);
  return (round(median * factor * 100) / 100).toFixed(2);
}

interface Holding {
  source: EconomicSource;
  item: string;
  unit: string;
  /** the value now; `older` the value at the year end, if the oracle kept one */
  value: string;
  older?: string;
}

export function economicFactsOf(rng: Random, run: Run, family: Family, rates: EconomicRates): KnownPerson[] {
  const [latest, yearEnd] = factDates(run.asOf);
  const [latestIso, yearEndIso] = [isoDate(latest), isoDate(yearEnd)];
  const assisted = family.enrollments.length > 0;
  const holdings = new Map<Person, Holding[]>();
  const adults = family.people.filter((p) => ageOn(p.birth, run.asOf) >= 18);
  for (const person of adults) holdings.set(person, assisted ? poorHoldings(rng, run, person) : ordinaryHoldings(rng, run, person));

  // More than the rules allow, at a low rate: a car, a business, a second property or savings.
  const head = family.people[0];
  if (assisted && holdings.has(head) && rng.chance(rates.overTheLine)) {
    const own = holdings.get(head) as Holding[];
    const grant = (holding: Holding) => {
      // One fact per kind: a second property raises the count of the first.
      const same = own.findIndex((h) => h.source === holding.source && h.item === holding.item);
      if (same < 0) own.push(holding);
      else own[same] = { ...own[same], value: holding.value, older: undefined };
    };
    switch (rng.int(0, 3)) {
      case 0:
        grant({ source: 'VEHICLE', item: '小型汽车', unit: '辆', value: '1' });
        break;
      case 1:
        grant({ source: 'BUSINESS', item: '市场主体登记', unit: '户', value: '1' });
        break;
      case 2:
        grant({ source: 'REAL_ESTATE', item: '不动产登记', unit: '套', value: '2' });
        break;
      default:
        grant({ source: 'BANK', item: '活期及定期存款余额', unit: '元', value: money(rng, 60_000 * family.members.length + 40_000, 0.3) });
    }
  }

  const known: KnownPerson[] = [];
  for (const [person, held] of holdings) {
    const facts: SimEconomicFact[] = [];
    // A fact is as of a day the person was alive.
    for (const h of held) {
      if (aliveOn(person, latest)) facts.push({ sfzh: person.id, source: h.source, item: h.item, value: h.value, unit: h.unit, as_of: latestIso });
      if (h.older !== undefined && aliveOn(person, yearEnd)) facts.push({ sfzh: person.id, source: h.source, item: h.item, value: h.older, unit: h.unit, as_of: yearEndIso });
    }
    if (facts.length > 0) known.push({ id: person.id, facts });
  }
  spoilOrMess(run, family, known);
  return known;
}

function withOlder(rng: Random, holding: Holding, chance = 0.35): Holding {
  if (!rng.chance(chance)) return holding;
  const older = holding.unit === '元' ? (Number(holding.value) * (0.8 + rng.next() * 0.4)).toFixed(2) : holding.value;
  return { ...holding, older };
}

function ordinaryHoldings(rng: Random, run: Run, person: Person): Holding[] {
  const age = ageOn(person.birth, run.asOf);
  const held: Holding[] = [];
  const working = age < 60;
  if (rng.chance(0.95)) held.push(withOlder(rng, { source: 'BANK', item: '活期及定期存款余额', unit: '元', value: money(rng, age < 30 ? 25_000 : 70_000, 1.6) }));
  if (rng.chance(0.2)) held.push(withOlder(rng, { source: 'INSURANCE', item: '商业保险现金价值', unit: '元', value: money(rng, 30_000, 1.2) }));
  if (working && rng.chance(0.4)) held.push({ source: 'TAX', item: '年度应纳税所得额', unit: '元', value: money(rng, 60_000, 1) });
  if (!working) held.push(withOlder(rng, { source: 'SOCIAL_SECURITY', item: '养老金月领取额', unit: '元', value: money(rng, rng.chance(0.5) ? 3_200 : 260, 0.4) }));
  else if (rng.chance(0.65)) held.push(withOlder(rng, { source: 'SOCIAL_SECURITY', item: '社保缴费工资', unit: '元', value: money(rng, 6_000, 0.5) }));
  const headOrSpouse = person.relation === '01' || person.relation === '02';
  if (headOrSpouse && rng.chance(0.75)) held.push({ source: 'REAL_ESTATE', item: '不动产登记', unit: '套', value: `${rng.weighted([[1, 78], [2, 18], [3, 4]] as const)}` });
  if (age < 75 && rng.chance(headOrSpouse ? 0.4 : 0.15)) held.push({ source: 'VEHICLE', item: rng.weighted([['小型汽车', 85], ['摩托车', 10], ['货车', 5]] as const), unit: '辆', value: '1' });
  if (person.disability?.category === 4 && rng.chance(0.1)) held.push({ source: 'VEHICLE', item: '残疾人机动轮椅车', unit: '辆', value: '1' });
  if (working && rng.chance(0.09)) held.push({ source: 'BUSINESS', item: '市场主体登记', unit: '户', value: '1' });
  return held;
}

/** Within the rules: small savings, a small pension, at most one home, a wheelchair car at most. */
function poorHoldings(rng: Random, run: Run, person: Person): Holding[] {
  const age = ageOn(person.birth, run.asOf);
  const held: Holding[] = [];
  if (rng.chance(0.8)) held.push(withOlder(rng, { source: 'BANK', item: '活期及定期存款余额', unit: '元', value: money(rng, 2_500, 1) }));
  if (rng.chance(0.03)) held.push({ source: 'INSURANCE', item: '商业保险现金价值', unit: '元', value: money(rng, 3_000, 0.5) });
  if (age >= 60) held.push(withOlder(rng, { source: 'SOCIAL_SECURITY', item: '养老金月领取额', unit: '元', value: money(rng, 230, 0.3) }));
  else if (rng.chance(0.25)) held.push({ source: 'SOCIAL_SECURITY', item: '社保缴费工资', unit: '元', value: money(rng, 2_600, 0.3) });
  if (person.relation === '01' && rng.chance(0.4)) held.push({ source: 'REAL_ESTATE', item: '不动产登记', unit: '套', value: '1' });
  if (person.disability?.category === 4 && rng.chance(0.12)) held.push({ source: 'VEHICLE', item: '残疾人机动轮椅车', unit: '辆', value: '1' });
  return held;
}

/**
 * Mess at the messy rate on money values; faults only on the facts of people the hub asks about
 * every night (members of a household with 低保, 特困 or 低收入 active on the as-of day), since the
 * oracle answers only what it is asked.
 */
function spoilOrMess(run: Run, family: Family, known: KnownPerson[]): void {
  const { delivery } = family;
  const asked = family.activeAtEnd ? new Set(family.members.map((m) => m.id)) : new Set<string>();
  for (const person of known) {
    for (const fact of person.facts) {
      const slots: Slot[] = [field(fact, 'as_of', 'date')];
      if (fact.unit === '元') slots.push(field(fact, 'value', 'amount'));
      if (asked.has(person.id) && delivery.faults.chance(delivery.invalidRate)) {
        const fault = spoilOne(delivery.faults, slots, family.village.townCode, run.knownVillageCodes);
        if (fault) delivery.invalid.push({ feed: 'economic-check', where: 'facts', key: `${fact.sfzh}|${fact.source}|${fact.item}|${fact.as_of}`, ...fault });
      } else if (fact.unit === '元' && delivery.mess.chance(delivery.messyRate)) {
        messOne(delivery.mess, [slots[1]], 'json');
      }
    }
  }
}
