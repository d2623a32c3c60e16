/**
 * The economic-check oracle's next day (家庭经济状况核对, feeds.md §7): for about `share` of the
 * people it knows, one or two of their holdings have a new value as of today — deposits moved,
 * a pension raised, a car bought, a business registered. A fact is never changed: the new value
 * is a new fact with today's `as_of`, answered beside the older ones.
 */
import { isoDate } from './calendar';
import type { EconomicData } from './economicCheckRegistry';
import { centsOf, invalidKeys, type NextDay, STREAM, streamOf, yuanOf } from './nextDayContext';
import type { Random } from './random';
import type { SimEconomicFact } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, round } = Math;

function newValue(rng: Random, fact: SimEconomicFact): string | null {
  if (fact.unit === '元') {
    const cents = centsOf(fact.value);
    if (cents === null) return null;
    const factor = fact.source === 'SOCIAL_SECURITY' ? 1.02 + rng.next() * 0.04 : 0.7 + rng.next() * 0.6;
    return yuanOf(max(0, round(cents * factor)));
  }
  const count = Number(fact.value);
  if (!Number.isInteger(count)) return null;
  // A car sold or a second flat bought: counts move by one.
  return `${count > 0 && rng.chance(0.4) ? count - 1 : count + 1}`;
}

/** Adds today's facts; returns the people and the facts that changed. */
export function economicCheckNextDay(next: NextDay, data: EconomicData): { people: number; facts: number } {
  const rng = streamOf(next, STREAM.economic);
  const index = data.index;
  const invalid = new Set([...invalidKeys(next, 'economic-check', 'facts')].map((key) => key.split('|')[0]));
  const today = isoDate(next.day);
  let people = 0;
  let facts = 0;
  for (let p = 0; p < index.size; p++) {
    if (!rng.chance(next.share)) continue;
    const id = index.idAt(p);
    if (invalid.has(id) || next.dead.has(id)) continue;
    const known = JSON.parse(`[${index.factsAt(p)}]`) as SimEconomicFact[];
    // The newest fact of each holding: only a date in plain ISO form can be compared.
    const newest = new Map<string, SimEconomicFact>();
    for (const fact of known) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(fact.as_of)) continue;
      const key = `${fact.source}|${fact.item}`;
      const seen = newest.get(key);
      if (!seen || fact.as_of > seen.as_of) newest.set(key, fact);
    }
    const holdings = [...newest.values()].filter((f) => f.as_of < today);
    const added: SimEconomicFact[] = [];
    for (let n = rng.chance(0.3) ? 2 : 1; n > 0 && holdings.length > 0; n--) {
      const fact = holdings.splice(rng.int(0, holdings.length - 1), 1)[0];
      const value = newValue(rng, fact);
      if (value !== null) added.push({ sfzh: fact.sfzh, source: fact.source, item: fact.item, value, unit: fact.unit, as_of: today });
    }
    if (added.length === 0) continue;
    index.replaceAt(p, JSON.stringify([...known, ...added]).slice(1, -1));
    people += 1;
    facts += added.length;
  }
  return { people, facts };
}
