/**
 * Faults that make a record invalid, each with the quarantine reason the hub must give it.
 * A fault breaks exactly one thing: the bad-birth-date ID still has a correct check character.
 */
import { checkCharacter, withWrongCheckCharacter } from './idNumber';
import type { Random } from './random';

export function idWithWrongCheckCharacter(rng: Random, id18: string): string {
  return withWrongCheckCharacter(id18, rng.int(0, 9));
}

/** Month-days no calendar has, in any year. */
const IMPOSSIBLE_MONTH_DAYS = ['0230', '0231', '0431', '0631', '0931', '1131', '1301', '0015', '1232', '0000'];

/** The same person's ID with an impossible birth date, its check character recomputed. */
export function idWithImpossibleBirthDate(rng: Random, id18: string): string {
  const body = id18.slice(0, 10) + rng.pick(IMPOSSIBLE_MONTH_DAYS) + id18.slice(14, 17);
  return body + checkCharacter(body);
}

/** A date that does not exist, in the given year: `2025-02-30`, or now and then `20250431`. */
export function impossibleDate(rng: Random, year: number): string {
  const [month, day] = rng.pick([['02', '30'], ['02', '31'], ['04', '31'], ['06', '31'], ['09', '31'], ['11', '31'], ['13', '01'], ['00', '10'], ['12', '32']]);
  return rng.chance(0.3) ? `${year}${month}${day}` : `${year}-${month}-${day}`;
}

/** A 12-digit code shaped like a village of the town but absent from the region table. */
export function unknownVillageCode(rng: Random, townCode: string, known: ReadonlySet<string>): string {
  for (;;) {
    const code = `${townCode}${rng.int(600, 999)}`;
    if (!known.has(code)) return code;
  }
}

export function negativeAmount(amount: string): string {
  return `-${amount}`;
}
