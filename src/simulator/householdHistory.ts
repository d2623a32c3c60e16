/**
 * A household's programme enrollments (低保, 特困, 低收入) and the versions of its record the
 * registry delivered over time: a switch of programme, a member leaving, an enrollment ending,
 * a deletion.
 */
import { addYears, endOfMonth, isoDate, localTimestamp, yearOf } from './calendar';
import { amount, dayAfter, HISTORY_START, type Household, type Person, type Run, type Template, timeOfDay } from './generationRun';
import type { Random } from './random';
import type { ApprovalLevel, HouseholdProgramme, SimHousehold } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, min, round } = Math;

/** 特困人员 monthly support standard per person, by year (yuan). */
const TK_STANDARD: Record<number, number> = {
  2015: 930, 2016: 990, 2017: 1050, 2018: 1120, 2019: 1190, 2020: 1260, 2021: 1330, 2022: 1400, 2023: 1450, 2024: 1482, 2025: 1508,
};

export interface Enrollment {
  programme: HouseholdProgramme;
  amount: string | null;
  start: number;
  end: number | null;
  supported: Person[] | null;
  care: '集中' | '分散' | null;
  level: ApprovalLevel;
}

export interface HouseholdState {
  members: Person[];
  enrollments: Enrollment[];
}

export interface Version {
  state: HouseholdState;
  day: number;
  second: number;
  deleted: boolean;
}

function tkAmount(day: number): string {
  const year = min(2025, max(2015, yearOf(day)));
  return amount(TK_STANDARD[year]);
}

/** 低保 pays the gap to the standard for the whole household: a per-person gap times the size. */
function dbAmount(rng: Random, size: number, start: number): string {
  const growth = 1 + 0.04 * (yearOf(start) - 2015);
  // Larger households have more earners and shared costs: a smaller gap per person.
  const perPerson = rng.int(150, 600) * growth * (1 - 0.06 * (size - 1));
  return amount(max(200, round(perPerson * size)));
}

function dbEnrollment(rng: Random, size: number, start: number): Enrollment {
  return {
    programme: 'DB', amount: dbAmount(rng, size, start), start, end: null, supported: null, care: null,
    level: rng.chance(0.6) ? '镇街' : '区市',
  };
}

function dsrEnrollment(rng: Random, start: number): Enrollment {
  return { programme: 'DSR', amount: null, start, end: null, supported: null, care: null, level: rng.chance(0.7) ? '镇街' : '区市' };
}

function tkEnrollment(rng: Random, start: number, supported: Person[], care: '集中' | '分散'): Enrollment {
  return {
    programme: 'TK', amount: tkAmount(start), start, end: null, supported, care,
    level: rng.chance(0.85) ? '区市' : '镇街',
  };
}

/** An enrollment start on or after `notBefore` and at least 20 days before the as-of day. */
function startDay(rng: Random, run: Run, notBefore: number): number {
  const earliest = max(HISTORY_START, notBefore);
  return rng.int(min(earliest, run.asOf - 20), run.asOf - 20);
}

export interface Enrollments {
  /** the newest state */
  current: Enrollment[];
  /** the state before a programme switch, when the registry delivered it */
  before: Enrollment[] | null;
  /** a 集中 (institutional) 特困 household lives at the institution */
  institutional: boolean;
}

export function buildEnrollments(rng: Random, run: Run, programme: HouseholdProgramme, template: Template, members: Person[]): Enrollments {
  const size = members.length;
  if (programme === 'TK') {
    const head = members[0];
    if (template === 'withParents') {
      // A 低保 household whose old parent is in 特困 support on their own.
      const parent = members.find((m) => m.relation === '51' || m.relation === '52') ?? head;
      if (parent.selfCare === '全自理' && rng.chance(0.5)) parent.selfCare = '半失能';
      const db = dbEnrollment(rng, size, startDay(rng, run, HISTORY_START));
      const tk = tkEnrollment(rng, startDay(rng, run, addYears(parent.birth, 60)), [parent], '分散');
      return { current: [db, tk], before: null, institutional: false };
    }
    const supported = template === 'elderCouple' && rng.chance(0.3) ? members.slice(0, 2) : [head];
    const care = rng.chance(0.25) && size === 1 ? '集中' : '分散';
    if (care === '集中' && head.selfCare === '全自理' && rng.chance(0.5)) head.selfCare = rng.chance(0.5) ? '半失能' : '全失能';
    const eligibleFrom = template === 'singleAdult' ? HISTORY_START : addYears(max(...supported.map((m) => m.birth)), 60);
    return { current: [tkEnrollment(rng, startDay(rng, run, eligibleFrom), supported, care)], before: null, institutional: care === '集中' };
  }

  // A switch between 低保 and 低收入 recognition: the old one ends, the new one starts days later.
  const switches = programme === 'DSR' ? rng.chance(0.15) : rng.chance(0.1);
  if (switches) {
    const firstStart = rng.int(HISTORY_START, run.asOf - 240);
    const firstEnd = rng.int(firstStart + 60, run.asOf - 60);
    const secondStart = firstEnd + rng.int(1, 30);
    const [first, second] =
      programme === 'DSR'
        ? [dbEnrollment(rng, size, firstStart), dsrEnrollment(rng, secondStart)]
        : [dsrEnrollment(rng, firstStart), dbEnrollment(rng, size, secondStart)];
    const before = rng.chance(0.5) ? [{ ...first }] : null;
    first.end = firstEnd;
    return { current: [first, second], before, institutional: false };
  }
  const start = startDay(rng, run, HISTORY_START);
  return { current: [programme === 'DB' ? dbEnrollment(rng, size, start) : dsrEnrollment(rng, start)], before: null, institutional: false };
}

export function householdRecord(household: Household, version: Version): SimHousehold {
  const { village } = household;
  return {
    hh_id: household.id as string,
    hzsfzh: version.state.members[0].id,
    jtdz: household.address,
    qhdm: village.code,
    hjxz: village.urban ? '城镇' : '农村',
    members: version.state.members.map((m) => ({ sfzh: m.id, xm: m.name, yhzgx: m.relation, zlnl: m.selfCare })),
    enrollments: version.state.enrollments.map((e) => ({
      xmdm: e.programme,
      bzje: e.amount,
      ksrq: isoDate(e.start),
      zzrq: e.end === null ? null : isoDate(e.end),
      tkcy: e.supported ? e.supported.map((m) => m.id) : null,
      gyfs: e.care,
      spjb: e.level,
    })),
    updated_at: localTimestamp(version.day, version.second),
    deleted: version.deleted,
  };
}

/** The versions the registry delivered for a household, oldest first. */
export function buildVersions(rng: Random, run: Run, members: Person[], enrollments: Enrollments, single: boolean): Version[] {
  const newestBirth = max(...members.map((m) => m.birth));
  const versions: Version[] = [];
  const current: HouseholdState = { members, enrollments: enrollments.current };

  if (enrollments.before && !single) {
    const first = enrollments.before[0];
    const switchedOn = enrollments.current[0].end as number;
    const earliest = max(first.start, newestBirth);
    if (earliest < switchedOn) {
      const day = min(switchedOn - 1, earliest + rng.int(0, 45));
      versions.push({ state: { members, enrollments: enrollments.before }, day, second: timeOfDay(rng), deleted: false });
    }
  }

  const latestStart = max(...enrollments.current.map((e) => e.start));
  const earliest = max(latestStart, newestBirth, versions.length ? versions[0].day + 1 : -Infinity);
  const day = dayAfter(rng, run, earliest, 45) ?? run.asOf;
  versions.push({ state: current, day, second: timeOfDay(rng), deleted: false });
  if (single) return versions;

  // A later version: a member left (moved out, died) or an enrollment ended.
  if (rng.chance(0.1)) {
    const previous = versions[versions.length - 1];
    const day = dayAfter(rng, run, previous.day + 1, 400);
    if (day !== null) {
      const supported = new Set(enrollments.current.flatMap((e) => e.supported ?? []));
      const removable = members.filter((m, i) => i > 0 && !supported.has(m));
      const open = enrollments.current.filter((e) => e.end === null);
      if (removable.length > 0 && (open.length === 0 || rng.chance(0.5))) {
        const leaving = rng.pick(removable);
        versions.push({ state: { members: members.filter((m) => m !== leaving), enrollments: enrollments.current }, day, second: timeOfDay(rng), deleted: false });
      } else if (open.length > 0) {
        const ending = rng.pick(open);
        const ended = { ...ending, end: rng.int(max(ending.start, previous.day), day) };
        const state = { members: previous.state.members, enrollments: enrollments.current.map((e) => (e === ending ? ended : e)) };
        versions.push({ state, day, second: timeOfDay(rng), deleted: false });
      }
    }
  }

  if (rng.chance(0.01)) {
    const previous = versions[versions.length - 1];
    const day = dayAfter(rng, run, previous.day + 1, 300);
    if (day !== null) versions.push({ state: previous.state, day, second: timeOfDay(rng), deleted: true });
  }
  return versions;
}

/**
 * A member's death as the registry records it, some weeks later: a member other than the head
 * leaves the household and any 特困 support of theirs ends with the month; when the head (or
 * the only member) dies, the household's assistance ends with the month instead. A death the
 * registry has not caught up with by the as-of day changes nothing, and at `missedRate` the
 * registry misses it altogether (the payments after death that rule D3 looks for).
 *
 * @returns the members whose death the registry missed
 */
export function recordDeaths(rng: Random, run: Run, versions: Version[], members: Person[], missedRate: number): Person[] {
  const missed: Person[] = [];
  const dying = members.filter((m) => m.death !== null).sort((a, b) => (a.death as number) - (b.death as number));
  for (const person of dying) {
    const died = person.death as number;
    if (rng.chance(missedRate)) {
      missed.push(person);
      continue;
    }
    // Noted within weeks, and by the end of the month after the death: a dropped 特困 enrollment ends on the day it is noted.
    const monthEnd = endOfMonth(died);
    const noted = min(died + rng.int(7, 50), endOfMonth(monthEnd + 1));
    if (noted > run.asOf) continue;
    const after = (state: HouseholdState): HouseholdState => {
      const endAll = state.members[0] === person || state.members.length === 1;
      if (endAll) {
        return { members: state.members, enrollments: state.enrollments.map((e) => (e.end === null || e.end > monthEnd ? { ...e, end: max(e.start, monthEnd) } : e)) };
      }
      // The member leaves the record, and with them a 特困 enrollment that supported only them.
      return {
        members: state.members.filter((m) => m !== person),
        enrollments: state.enrollments.flatMap((e) => {
          if (!e.supported || !e.supported.includes(person)) return [e];
          return e.supported.length > 1 ? [{ ...e, supported: e.supported.filter((m) => m !== person) }] : [];
        }),
      };
    };
    let before: Version | null = null;
    for (const version of versions) {
      if (version.day < noted) before = version;
      else version.state = after(version.state);
    }
    if (before && !before.deleted) versions.push({ state: after(before.state), day: noted, second: timeOfDay(rng), deleted: false });
    versions.sort((a, b) => a.day - b.day || a.second - b.second);
  }
  return missed;
}
