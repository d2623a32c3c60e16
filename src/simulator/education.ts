/**
 * The education bureau's student aid ledger rows of one household (教育局 学生资助, feeds.md §2):
 * every child and student of the household in each of the two terms delivered, with the aid
 * poorer families get (学前资助, 义务教育生活补助, 国家助学金, 免学费, 生源地贷款) — one row per aid,
 * or one row with no aid. At a low rate a student is paid the same aid twice under a second
 * 学籍号 (rule D1), or a row is delivered twice.
 */
import { ageOn, dayFromCivil, yearOf } from './calendar';
import { educationFileName } from './dropNames';
import { coverOn, type Family } from './family';
import { cell, messOne, spoilOne, type Slot } from './fieldFaults';
import type { Person, Run } from './generationRun';
import { aliveOn } from './lifeEvents';
import type { Random } from './random';
import type { StudentAidRow } from './records';

export interface SchoolTerm {
  /** `2026-2027` */
  schoolYear: string;
  semester: 1 | 2;
  /** 1 September or 1 March */
  start: number;
  /** `2026-2027_1` */
  name: string;
}

export interface EducationRates {
  /** chance that an aided student is paid the same aid again under a second 学籍号 (rule D1) */
  doubleEnrolment: number;
}

function term(firstYear: number, semester: 1 | 2): SchoolTerm {
  const schoolYear = `${firstYear}-${firstYear + 1}`;
  return { schoolYear, semester, start: semester === 1 ? dayFromCivil(firstYear, 9, 1) : dayFromCivil(firstYear + 1, 3, 1), name: `${schoolYear}_${semester}` };
}

/** The term running on the as-of day and the one before it, oldest first. */
export function schoolTerms(asOf: number): [SchoolTerm, SchoolTerm] {
  const year = yearOf(asOf);
  const firstYear = asOf >= dayFromCivil(year, 9, 1) ? year : year - 1;
  const current = asOf >= dayFromCivil(year, 3, 1) && asOf < dayFromCivil(year, 9, 1) ? term(year - 1, 2) : term(firstYear, 1);
  const previous = current.semester === 2 ? term(Number(current.schoolYear.slice(0, 4)), 1) : term(Number(current.schoolYear.slice(0, 4)) - 1, 2);
  return [previous, current];
}

type Stage = '学前' | '小学' | '初中' | '高中' | '中职' | '高校';

const CHINESE_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
const PRESCHOOL_GRADES = ['小班', '中班', '大班'];
const UNIVERSITIES = ['山东大学（威海）', '哈尔滨工业大学（威海）', '山东交通学院威海校区', '威海职业学院', '山东外事职业大学', '北京交通大学威海校区'];

/** A county's name as a school's name begins: 环翠区 → 环翠, 威海火炬高技术产业开发区 → 火炬. */
function countyShort(name: string): string {
  const zone = /^威海(.{2})/.exec(name);
  if (name.includes('开发区') && zone) return zone[1] === '经济' ? '经济' : zone[1];
  return name.replace(/[区市县]$/, '');
}

/** What one young person does: decided once, so both terms agree. */
interface Schooling {
  preschool: boolean;
  upper: '高中' | '中职' | null;
  college: boolean;
  schools: Record<Stage, string>;
}

function schoolingOf(rng: Random, family: Family): Schooling {
  const { village } = family;
  const county = countyShort(village.countyName);
  const town = village.townName;
  return {
    preschool: rng.chance(0.92),
    upper: rng.weighted([['高中', 60], ['中职', 35], [null, 5]] as const),
    college: rng.chance(0.55),
    schools: {
      学前: `${town}中心幼儿园`,
      小学: village.urban && rng.chance(0.5) ? `${county}实验小学` : `${town}中心小学`,
      初中: rng.chance(0.7) ? `${town}初级中学` : `${county}第二实验中学`,
      高中: rng.chance(0.5) ? `威海市第${rng.pick(['一', '二', '三', '四'])}中学` : `${county}第一中学`,
      中职: `${county}职业中等专业学校`,
      高校: rng.pick(UNIVERSITIES),
    },
  };
}

function stageAt(age: number, schooling: Schooling): { stage: Stage; grade: string } | null {
  if (age >= 3 && age <= 5) return schooling.preschool ? { stage: '学前', grade: PRESCHOOL_GRADES[age - 3] } : null;
  if (age >= 6 && age <= 11) return { stage: '小学', grade: `${CHINESE_NUMBERS[age - 6]}年级` };
  if (age >= 12 && age <= 14) return { stage: '初中', grade: `${CHINESE_NUMBERS[age - 6]}年级` };
  if (age >= 15 && age <= 17 && schooling.upper === '高中') return { stage: '高中', grade: `高${CHINESE_NUMBERS[age - 15]}` };
  if (age >= 15 && age <= 17 && schooling.upper === '中职') return { stage: '中职', grade: `${CHINESE_NUMBERS[age - 15]}年级` };
  if (age >= 18 && age <= 21 && schooling.college) return { stage: '高校', grade: `大${CHINESE_NUMBERS[age - 18]}` };
  return null;
}

/** The aid a student gets in a term, with the amount for the term (yuan). */
function aidsOf(rng: Random, stage: Stage, poor: boolean, semester: 1 | 2): [string, string][] {
  const aids: [string, string][] = [];
  const maybe = (chance: number, aid: string, amount: string) => rng.chance(chance) && aids.push([aid, amount]);
  switch (stage) {
    case '学前':
      maybe(poor ? 0.9 : 0.02, '学前资助', '500.00');
      break;
    case '小学':
      maybe(poor ? 0.9 : 0.03, '义务教育生活补助', '500.00');
      break;
    case '初中':
      maybe(poor ? 0.9 : 0.03, '义务教育生活补助', '625.00');
      break;
    case '高中':
      maybe(poor ? 0.9 : 0.1, '国家助学金', '1000.00');
      if (poor) maybe(0.8, '免学费', '800.00');
      break;
    case '中职':
      // Secondary vocational schooling is free for every student.
      maybe(0.95, '免学费', '1000.00');
      maybe(poor ? 0.9 : 0.15, '国家助学金', '1000.00');
      break;
    default:
      maybe(poor ? 0.8 : 0.1, '国家助学金', '1650.00');
      if (semester === 1) maybe(poor ? 0.5 : 0.05, '生源地贷款', `${rng.int(12, 16) * 500}.00`);
  }
  return aids;
}

export function studentAidOf(rng: Random, run: Run, family: Family, terms: readonly SchoolTerm[], rates: EducationRates): StudentAidRow[] {
  const rows: StudentAidRow[] = [];
  const { delivery, village } = family;
  for (const person of family.people) {
    const youngest = ageOn(person.birth, terms[terms.length - 1].start);
    if (youngest < 3 || youngest > 22) continue;
    const schooling = schoolingOf(rng, family);
    for (const t of terms) {
      if (!aliveOn(person, t.start)) continue;
      const at = stageAt(ageOn(person.birth, dayFromCivil(Number(t.schoolYear.slice(0, 4)), 9, 1)), schooling);
      if (!at) continue;
      const poor = poorFamily(run, family, person, t.start);
      const status = rng.weighted([['在读', 975], ['休学', 15], ['退学', 10]] as const);
      const aids = status === '在读' ? aidsOf(rng, at.stage, poor, t.semester) : [];
      const studentNo = `G${person.id}`;
      const school = schooling.schools[at.stage];
      const make = (no: string, schoolName: string, aid: string, amount: string): StudentAidRow => ({
        term: t.name,
        cells: [no, person.id, person.name, schoolName, at.stage, at.grade, status, aid, amount, t.schoolYear, `${t.semester}`, village.code],
      });
      const termRows = aids.length === 0 ? [make(studentNo, school, '', '')] : aids.map(([aid, amount]) => make(studentNo, school, aid, amount));
      // The same aid again under a second 学籍号 at another school (rule D1).
      if (aids.length > 0 && rng.chance(rates.doubleEnrolment)) {
        const second = `L${village.countyCode}${yearOf(t.start)}${`${run.next(`L-${village.countyCode}`)}`.padStart(6, '0')}`;
        termRows.push(make(second, `${countyShort(village.countyName)}实验学校`, aids[0][0], aids[0][1]));
      }
      for (const row of termRows) {
        rows.push(row);
        if (spoilOrMess(run, family, row)) continue;
        // Now and then the bureau's export repeats a row.
        if (delivery.mess.chance(0.002)) rows.push({ term: row.term, cells: [...row.cells] });
      }
    }
  }
  return rows;
}

/** 低保, 特困 or 低收入 on the term's first day, a registered-poor household, an allowance, or a disability. */
function poorFamily(run: Run, family: Family, person: Person, day: number): boolean {
  return coverOn(run, family, person, day).length > 0 || family.poverty !== null || family.childAllowances.has(person) || person.disability !== null;
}

/** @returns whether the row was spoiled */
function spoilOrMess(run: Run, family: Family, row: StudentAidRow): boolean {
  const { delivery } = family;
  const slots: Slot[] = [cell(row.cells, 1, 'id', '身份证号'), cell(row.cells, 8, 'amount', '资助金额'), cell(row.cells, 11, 'region', '区划代码')];
  if (delivery.faults.chance(delivery.invalidRate)) {
    const key = `${row.cells[0]}|${row.cells[7]}|${row.term}`;
    const fault = spoilOne(delivery.faults, slots, family.village.townCode, run.knownVillageCodes);
    if (fault) {
      const file = educationFileName(row.term);
      row.fault = { feed: 'education', where: file, key, ...fault, file };
      delivery.invalid.push(row.fault);
      return true;
    }
  }
  if (delivery.mess.chance(delivery.messyRate)) messOne(delivery.mess, slots, 'csv');
  return false;
}
