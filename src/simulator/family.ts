/**
 * One household as every department sees it: its people (the dead and those who moved out
 * included), its civil-affairs programmes as the registry finally recorded them, and what the
 * other feeds need to know about it (who is covered when, who is registered poor).
 */
import type { Household, Person, Run } from './generationRun';
import type { Enrollment } from './householdHistory';
import type { Delivery } from './recordFaults';
import type { HouseholdProgramme } from './records';

export interface PovertyStatus {
  /** 户编号: the 12-digit village code and a 3-digit sequence */
  householdNo: string;
  identifiedYear: number;
  status: '已脱贫' | '未脱贫';
  monitoring: '' | '脱贫不稳定户' | '边缘易致贫户' | '突发严重困难户';
  risk: '因病' | '因残' | '因学' | '因灾' | '因意外' | '缺劳力' | '其他';
  /** 家庭年人均纯收入, yuan */
  income: number;
  /** the members listed in the snapshot */
  members: Person[];
}

export interface Family extends Household {
  /** the household's position in the population */
  index: number;
  /** everyone who lived in the household when its history began */
  people: Person[];
  /** the enrollments of the newest version the registry delivered (none for a household outside civil affairs) */
  enrollments: Enrollment[];
  /** the newest civil-affairs record is valid, not deleted, and has DB, TK or DSR active on the as-of day */
  activeAtEnd: boolean;
  /** the civil-affairs record was spoiled on purpose (the hub quarantines it) */
  spoiled: boolean;
  /** people paid 孤儿 or 事实无人抚养 allowances */
  childAllowances: Set<Person>;
  poverty: PovertyStatus | null;
  delivery: Delivery;
}

/** The civil-affairs programmes covering a person on a day, as the newest record states them. */
export function coverOn(run: Run, family: Family, person: Person, day: number): HouseholdProgramme[] {
  const covered: HouseholdProgramme[] = [];
  if (family.enrollments.length === 0) return covered;
  const listed = family.members.includes(person);
  for (const e of family.enrollments) {
    if (e.start > day || (e.end !== null && e.end < day) || e.start > run.asOf) continue;
    if (e.programme === 'TK' ? e.supported?.includes(person) : listed) covered.push(e.programme);
  }
  return covered;
}

/** The first day a person was covered by 低保 or 特困, if ever. */
export function basicLivingSince(family: Family, person: Person): number | null {
  let since: number | null = null;
  for (const e of family.enrollments) {
    if (e.programme === 'DSR') continue;
    const covers = e.programme === 'TK' ? e.supported?.includes(person) : family.members.includes(person);
    if (covers && (since === null || e.start < since)) since = e.start;
  }
  return since;
}

/** The last day of 低保 or 特困 cover, or null while it runs. */
export function basicLivingUntil(family: Family, person: Person): number | null {
  let until: number | null = -Infinity;
  for (const e of family.enrollments) {
    if (e.programme === 'DSR') continue;
    const covers = e.programme === 'TK' ? e.supported?.includes(person) : family.members.includes(person);
    if (!covers) continue;
    if (e.end === null) return null;
    if (until !== null && e.end > until) until = e.end;
  }
  return until;
}
