/**
 * What happens to each person beyond their family: a long-term illness, a disability (残疾) and,
 * now and then, death. Rates follow the ages of an old coastal city: about 6% of people are
 * disabled, and about 0.75% die in a year (most of them old, sick or unable to care for themselves).
 */
import { ageOn } from './calendar';
import { type Person, type Run, YEAR } from './generationRun';
import type { Random } from './random';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { floor, max, min, pow } = Math;

/** 残疾类别 weights: 1 视力, 2 听力, 3 言语, 4 肢体, 5 智力, 6 精神, 7 多重 */
const ADULT_CATEGORIES: readonly (readonly [number, number])[] = [[1, 12], [2, 18], [3, 2], [4, 38], [5, 8], [6, 10], [7, 12]];
const CHILD_CATEGORIES: readonly (readonly [number, number])[] = [[1, 8], [2, 18], [3, 10], [4, 20], [5, 30], [6, 4], [7, 10]];
const GRADES: readonly (readonly [number, number])[] = [[1, 10], [2, 18], [3, 30], [4, 42]];

function disabilityChance(age: number): number {
  if (age < 18) return 0.01;
  if (age < 45) return 0.025;
  if (age < 60) return 0.05;
  if (age < 75) return 0.08;
  return 0.12;
}

function chronicChance(age: number): number {
  if (age < 18) return 0.02;
  if (age < 45) return 0.04;
  if (age < 60) return 0.12;
  if (age < 75) return 0.25;
  return 0.4;
}

/** Yearly chance of dying at an age. */
function mortality(age: number): number {
  if (age < 40) return 0.0006;
  if (age < 50) return 0.0015;
  if (age < 60) return 0.004;
  if (age < 70) return 0.007;
  if (age < 80) return 0.017;
  if (age < 90) return 0.048;
  return 0.12;
}

/**
 * Draws each member's illness, disability and death. `assisted` households (低保, 特困, 低收入)
 * are poorer and sicker; `notBefore` keeps a death after the household's assistance began.
 */
export function liveOut(rng: Random, run: Run, members: Person[], assisted: boolean, notBefore: number): void {
  for (const person of members) {
    const age = ageOn(person.birth, run.asOf);
    const unable = person.selfCare === '全失能' ? 2 : person.selfCare === '半失能' ? 1 : 0;

    const disabledChance = unable === 2 ? 0.7 : unable === 1 ? 0.35 : min(0.6, disabilityChance(age) * (assisted ? 2.5 : 1));
    if (rng.chance(disabledChance)) {
      const grade = unable === 2 ? rng.weighted([[1, 60], [2, 40]]) : unable === 1 ? rng.weighted([[2, 50], [3, 50]]) : rng.weighted(GRADES);
      person.disability = { category: rng.weighted(age < 18 ? CHILD_CATEGORIES : ADULT_CATEGORIES), grade };
    }

    person.chronic = rng.chance(unable > 0 ? 0.8 : min(0.9, chronicChance(age) + (person.disability ? 0.1 : 0) + (assisted ? 0.08 : 0)));

    // Children are spared: nothing in the feeds needs a child's death, and it is rare.
    if (age < 18) continue;
    const from = max(run.deathsFrom, notBefore, person.birth + 1);
    const until = run.asOf - 1;
    if (from > until) continue;
    // The table is the whole age group's: the healthy die less than it, the sick more.
    const yearly = min(0.6, mortality(age) * (person.chronic ? 1.5 : 0.85) * (unable === 2 ? 2 : unable === 1 ? 1.3 : 1));
    const years = (until - from + 1) / YEAR;
    if (rng.chance(1 - pow(1 - yearly, years))) person.death = from + floor(rng.next() * (until - from + 1));
  }
}

/** Alive on a day: born by then, and not dead before it (the day of death counts). */
export function aliveOn(person: Person, day: number): boolean {
  return person.birth <= day && (person.death === null || day <= person.death);
}
