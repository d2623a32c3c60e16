/**
 * The members of one household: a family shape (single elder, couple with children, three
 * generations…), names, birth dates consistent with each relation, and ID numbers.
 */
import { ageOn, yearOf } from './calendar';
import { type Person, type Run, type Template, YEAR } from './generationRun';
import { pickGivenName, pickSurname, type Sex } from './names';
import type { Random } from './random';
import type { HouseholdProgramme, SelfCare } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { ceil, floor, min, max, round } = Math;

/** Shandong counties outside Weihai (烟台 3706, 潍坊 3707) where some residents were first registered. */
const ELSEWHERE_IN_SHANDONG = [
  '370602', '370611', '370612', '370613', '370681', '370682', '370683', '370685', '370686', '370687',
  '370702', '370703', '370704', '370705', '370724', '370725', '370781', '370782', '370783', '370784', '370785', '370786',
];

/** Family shapes by programme: 特困 households are mostly old people living alone. */
export const TEMPLATES: Record<HouseholdProgramme, readonly (readonly [Template, number])[]> = {
  DB: [
    ['singleElder', 18], ['elderCouple', 14], ['singleAdult', 8], ['singleParent', 16], ['coupleWithChildren', 20],
    ['withParents', 10], ['threeGenerations', 8], ['grandparentsRaising', 6],
  ],
  DSR: [
    ['singleElder', 8], ['elderCouple', 14], ['singleAdult', 6], ['singleParent', 14], ['coupleWithChildren', 30],
    ['withParents', 12], ['threeGenerations', 10], ['grandparentsRaising', 6],
  ],
  TK: [['singleElder', 70], ['elderCouple', 10], ['singleAdult', 10], ['withParents', 10]],
};

/**
 * Family shapes of the whole city, which averages about 2.45 people a household: villages hold
 * more old couples and three generations, towns more young families and people living alone.
 */
export const CITY_TEMPLATES: Record<'urban' | 'rural', readonly (readonly [Template, number])[]> = {
  urban: [
    ['singleElder', 9], ['elderCouple', 15], ['singleAdult', 15], ['couple', 16], ['coupleWithChildren', 29],
    ['singleParent', 5], ['withParents', 5], ['threeGenerations', 5], ['grandparentsRaising', 1],
  ],
  rural: [
    ['singleElder', 14], ['elderCouple', 25], ['singleAdult', 9], ['couple', 12], ['coupleWithChildren', 21],
    ['singleParent', 3], ['withParents', 6], ['threeGenerations', 8], ['grandparentsRaising', 2],
  ],
};

function selfCareAt(rng: Random, age: number): SelfCare {
  if (age >= 80) return rng.weighted([['全自理', 70], ['半失能', 20], ['全失能', 10]]);
  if (age >= 60) return rng.weighted([['全自理', 88], ['半失能', 8], ['全失能', 4]]);
  return rng.weighted([['全自理', 97], ['半失能', 2], ['全失能', 1]]);
}

/** Makes the members of one household: names, birth dates, relations and ID numbers. */
export class MemberFactory {
  readonly surname: string;
  private readonly names = new Set<string>();

  constructor(private readonly rng: Random, readonly run: Run, private readonly county: string) {
    this.surname = pickSurname(rng);
  }

  /** A birth day for someone aged minAge–maxAge on the as-of day. */
  birthForAge(minAge: number, maxAge: number): number {
    const latest = floor(this.run.asOf - minAge * YEAR);
    const earliest = ceil(this.run.asOf - (maxAge + 1) * YEAR) + 1;
    return this.rng.int(earliest, latest);
  }

  /** A child's birth day for a mother (or single parent) born on parentBirth, or null. */
  childBirth(parentBirth: number, notBefore = -Infinity, notAfter = Infinity): number | null {
    const earliest = max(ceil(parentBirth + 20 * YEAR), notBefore);
    const latest = min(floor(parentBirth + 42 * YEAR), this.run.asOf - 30, notAfter);
    return latest < earliest ? null : this.rng.int(earliest, latest);
  }

  /**
   * A birth day for an old person aged minAge–maxAge: fewer the older, as in life (a uniform draw
   * would put as many people at 90 as at 62).
   */
  elderBirthForAge(minAge: number, maxAge: number): number {
    const age = minAge + (maxAge - minAge + 1) * this.rng.next() ** 1.8;
    return floor(this.run.asOf - age * YEAR);
  }

  /** Someone who married in or moved here is more often registered elsewhere in Shandong. */
  make(sex: Sex, birth: number, relation: string, surname: string, elsewhere: number): Person {
    const { rng, run } = this;
    const region = rng.chance(elsewhere) ? rng.pick(ELSEWHERE_IN_SHANDONG) : this.county;
    const sequence = sex === 'M' ? rng.int(0, 499) * 2 + 1 : rng.int(1, 499) * 2;
    const id = run.ids.issue(region, birth, sex, sequence);
    let name = '';
    for (let attempt = 0; attempt < 4 && (name === '' || this.names.has(name)); attempt++) {
      name = surname + pickGivenName(rng, sex, yearOf(birth));
    }
    this.names.add(name);
    return { id, name, sex, birth, relation, selfCare: selfCareAt(rng, ageOn(birth, run.asOf)), death: null, disability: null, chronic: false };
  }

  otherSurname(): string {
    return pickSurname(this.rng, this.surname);
  }

  /** Children of one parent line, relations 1x/2x numbered by birth order within each sex. */
  children(motherBirth: number, count: number, surname: string, options: { minAge?: number; maxAge?: number } = {}): Person[] {
    const births: number[] = [];
    const notAfter = options.minAge === undefined ? Infinity : floor(this.run.asOf - options.minAge * YEAR);
    const notBefore = options.maxAge === undefined ? -Infinity : ceil(this.run.asOf - (options.maxAge + 1) * YEAR) + 1;
    for (let i = 0; i < count; i++) {
      const birth = this.childBirth(motherBirth, notBefore, notAfter);
      if (birth !== null) births.push(birth);
    }
    births.sort((a, b) => a - b);
    let sons = 0;
    let daughters = 0;
    return births.map((birth) => {
      const sex: Sex = this.rng.chance(0.5) ? 'M' : 'F';
      const relation = sex === 'M' ? `1${min(9, ++sons)}` : `2${min(9, ++daughters)}`;
      return this.make(sex, birth, relation, surname, 0.01);
    });
  }
}

/** The members of a household of the given shape; `programme` is its civil-affairs programme, if any. */
export function buildMembers(rng: Random, factory: MemberFactory, template: Template, programme: HouseholdProgramme | null): Person[] {
  const f = factory;
  const surname = f.surname;
  const oppositeOf = (sex: Sex): Sex => (sex === 'M' ? 'F' : 'M');
  const spouseOf = (head: Person, youngerBy: [number, number], minAge: number): Person => {
    const sex = oppositeOf(head.sex);
    const shift = rng.int(round(youngerBy[0] * YEAR), round(youngerBy[1] * YEAR)) * (head.sex === 'M' ? 1 : -1);
    const birth = min(head.birth + shift, f.birthForAge(minAge, minAge));
    return f.make(sex, birth, '02', f.otherSurname(), 0.08);
  };
  const parentsOf = (head: Person, count: number): Person[] => {
    const parents: Person[] = [];
    const fatherFirst = rng.chance(0.5);
    for (let i = 0; i < count; i++) {
      const sex: Sex = (i === 0) === fatherFirst ? 'M' : 'F';
      const birth = head.birth - rng.int(round(20 * YEAR), round(38 * YEAR));
      if (ageOn(birth, f.run.asOf) > 97) continue;
      parents.push(f.make(sex, birth, sex === 'M' ? '51' : '52', sex === 'M' ? surname : f.otherSurname(), 0.04));
    }
    return parents;
  };

  switch (template) {
    case 'singleElder': {
      const sex: Sex = rng.chance(0.55) ? 'F' : 'M';
      return [f.make(sex, f.elderBirthForAge(programme === 'TK' ? 61 : 60, 95), '01', surname, 0.02)];
    }
    case 'elderCouple': {
      const head = f.make('M', f.elderBirthForAge(62, 92), '01', surname, 0.02);
      return [head, spouseOf(head, [-2, 7], 58)];
    }
    case 'singleAdult': {
      const sex: Sex = rng.chance(0.6) ? 'M' : 'F';
      const head = f.make(sex, f.birthForAge(25, 59), '01', surname, 0.03);
      // A working-age adult in 特困 support is one who cannot care for themself.
      if (programme === 'TK') head.selfCare = rng.chance(0.6) ? '全失能' : '半失能';
      return [head];
    }
    case 'couple': {
      // A couple whose children have left home, or who have none yet.
      const head = f.make('M', f.birthForAge(24, 64), '01', surname, 0.02);
      return [head, spouseOf(head, [-2, 6], 22)];
    }
    case 'singleParent': {
      const sex: Sex = rng.chance(0.7) ? 'F' : 'M';
      const head = f.make(sex, f.birthForAge(25, 55), '01', surname, 0.02);
      const kids = f.children(head.birth, rng.weighted([[1, 55], [2, 35], [3, 10]]), surname, { maxAge: 22 });
      return [head, ...kids];
    }
    case 'coupleWithChildren': {
      const head = f.make('M', f.birthForAge(26, 55), '01', surname, 0.02);
      const spouse = spouseOf(head, [-2, 8], 22);
      const kids = f.children(spouse.birth, rng.weighted([[1, 45], [2, 40], [3, 15]]), surname, { maxAge: 24 });
      const parent = rng.chance(0.25) ? parentsOf(head, 1) : [];
      return [head, spouse, ...kids, ...parent].slice(0, 6);
    }
    case 'withParents': {
      const sex: Sex = rng.chance(0.6) ? 'M' : 'F';
      const head = f.make(sex, f.birthForAge(programme === 'TK' ? 35 : 28, 60), '01', surname, 0.02);
      const spouse = rng.chance(0.4) ? [spouseOf(head, [-2, 6], 25)] : [];
      let parents = parentsOf(head, rng.chance(0.5) ? 2 : 1);
      if (parents.length === 0) {
        // A mother at least 18 years older than the head, and not past 97.
        const birth = max(ceil(head.birth - rng.int(20, 35) * YEAR), ceil(f.run.asOf - 97 * YEAR));
        parents = [f.make('F', min(birth, floor(head.birth - 18 * YEAR)), '52', f.otherSurname(), 0.04)];
      }
      return [head, ...spouse, ...parents];
    }
    case 'threeGenerations': {
      const head = f.make('M', f.birthForAge(50, 80), '01', surname, 0.02);
      const spouse = rng.chance(0.7) ? [spouseOf(head, [-2, 6], 45)] : [];
      const motherBirth = spouse.length ? spouse[0].birth : head.birth;
      const adultChildren = f.children(motherBirth, 1, surname, { minAge: 20 });
      if (adultChildren.length === 0) return [head, ...spouse];
      const parentBirth = adultChildren[0].birth;
      const grandchildren = f.children(parentBirth, rng.weighted([[1, 60], [2, 40]]), surname).map((child) => {
        child.relation = child.sex === 'M' ? '31' : '32';
        return child;
      });
      return [head, ...spouse, ...adultChildren, ...grandchildren].slice(0, 6);
    }
    case 'grandparentsRaising': {
      // Grandparents bringing up grandchildren whose parents are dead or gone: 孤儿 / 事实无人抚养儿童.
      const sex: Sex = rng.chance(0.5) ? 'M' : 'F';
      const head = f.make(sex, f.birthForAge(55, 80), '01', surname, 0.02);
      const spouse = rng.chance(0.5) ? [spouseOf(head, [-2, 6], 50)] : [];
      const count = rng.weighted([[1, 65], [2, 35]]);
      const grandchildren: Person[] = [];
      for (let i = 0; i < count; i++) {
        const earliest = max(ceil(head.birth + 40 * YEAR), ceil(f.run.asOf - 17 * YEAR));
        const latest = f.run.asOf - 365;
        if (latest < earliest) continue;
        const childSex: Sex = rng.chance(0.5) ? 'M' : 'F';
        grandchildren.push(f.make(childSex, rng.int(earliest, latest), childSex === 'M' ? '31' : '32', surname, 0.01));
      }
      return [head, ...spouse, ...grandchildren];
    }
  }
}
