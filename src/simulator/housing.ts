/**
 * The housing bureau's ledger rows of one household (住建局 住房保障, feeds.md §4): 保障房 — a
 * public rental flat (实物配租) or a rent subsidy (租赁补贴) for about 1% of households, mostly
 * in town, some switching from a subsidy to a flat (and at a low rate keeping both, rule D2) —
 * and 危房 — the assessed rural houses (鉴定等级 A–D) and their renovation (改造状态).
 * Cells are what a spreadsheet holds: numbers, dates and text.
 */
import { dayFromCivil, isoDate } from './calendar';
import { housingFileName } from './dropNames';
import type { Family } from './family';
import { cell, messOne, spoilOne, type Slot } from './fieldFaults';
import type { Run } from './generationRun';
import { aliveOn } from './lifeEvents';
import type { Random } from './random';
import type { DropRow, SheetCell } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, min } = Math;

const LEDGER_START = dayFromCivil(2015, 1, 1);
const ASSESSMENTS_START = dayFromCivil(2016, 1, 1);
const ESTATES = ['安居苑', '民安苑', '和兴苑', '福泰苑', '康居小区', '嘉和园', '福顺小区', '惠民苑', '安泰小区', '幸福家园'];

export interface HousingRates {
  /** chance that a household that moved from a rent subsidy into a flat kept the subsidy (rule D2) */
  keptSubsidy: number;
}

export interface HousingRows {
  publicHousing: DropRow[];
  dangerousHouses: DropRow[];
}

/** A date cell: exceljs writes a Date at UTC midnight as that calendar day. */
export function dateCell(day: number): Date {
  return new Date(day * 86_400_000);
}

export function housingOf(rng: Random, run: Run, family: Family, rates: HousingRates): HousingRows {
  const rows: HousingRows = { publicHousing: [], dangerousHouses: [] };
  const head = family.people[0];
  const assisted = family.enrollments.length > 0;
  const { village } = family;

  const publicChance = village.urban ? (assisted ? 0.15 : 0.008) : assisted ? 0.02 : 0.001;
  if (rng.chance(publicChance)) {
    const lastDay = min(run.asOf - 30, head.death === null ? Infinity : head.death - 1);
    if (LEDGER_START <= lastDay) {
      const size = family.people.filter((p) => aliveOn(p, lastDay)).length;
      const subsidy = () => `${rng.int(30, 80) * 10 + (size - 1) * 50}`;
      const flat = () => `${village.countyName}${rng.pick(ESTATES)}${rng.int(1, 30)}号楼${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`;
      const start = rng.int(LEDGER_START, lastDay);
      const ended = rng.chance(0.15) && start + 180 <= run.asOf - 1 ? rng.int(start + 180, run.asOf - 1) : null;
      if (rng.chance(0.1) && start + 200 <= lastDay) {
        // A rent subsidy first, then a flat from the day after it ended — or, now and then, while it still ran.
        const flatFrom = rng.int(start + 200, lastDay);
        const kept = rng.chance(rates.keptSubsidy);
        const subsidyEnd = kept ? (rng.chance(0.5) ? null : min(run.asOf - 1, flatFrom + rng.int(30, 300))) : flatFrom - 1;
        rows.publicHousing.push(publicRow(family, size, '租赁补贴', subsidy(), start, subsidyEnd, family.address));
        rows.publicHousing.push(publicRow(family, size, '实物配租', null, flatFrom, null, flat()));
      } else if (rng.chance(0.6)) {
        rows.publicHousing.push(publicRow(family, size, '租赁补贴', subsidy(), start, ended, family.address));
      } else {
        rows.publicHousing.push(publicRow(family, size, '实物配租', null, start, ended, flat()));
      }
    }
  }

  const dangerousChance = village.urban ? 0 : assisted ? 0.15 : 0.02;
  if (rng.chance(dangerousChance)) {
    const lastDay = min(run.asOf - 10, head.death === null ? Infinity : head.death - 1);
    if (ASSESSMENTS_START <= lastDay) {
      const rating = rng.weighted([['A', 10], ['B', 40], ['C', 30], ['D', 20]] as const);
      const assessed = rng.int(ASSESSMENTS_START, lastDay);
      const dangerous = rating === 'C' || rating === 'D';
      const status = dangerous ? rng.weighted([['已改造', 55], ['改造中', 15], ['未改造', 30]] as const) : '未改造';
      const grant = status === '已改造' ? (rating === 'C' ? rng.int(150, 250) : rng.int(250, 350)) * 100 : null;
      rows.dangerousHouses.push({ cells: [null, head.id, head.name, rating, dateCell(assessed), status, grant, village.code] });
    }
  }

  for (const row of rows.publicHousing) spoilOrMess(run, family, row, '保障房');
  for (const row of rows.dangerousHouses) spoilOrMess(run, family, row, '危房');
  return rows;
}

function publicRow(family: Family, size: number, mode: string, amount: string | null, start: number, end: number | null, address: string): DropRow {
  const head = family.people[0];
  return {
    cells: [null, head.id, head.name, size, mode, amount === null ? null : Number(amount), dateCell(start), end === null ? null : dateCell(max(start, end)), address, family.village.code],
  };
}

function isoOfCell(value: SheetCell): string {
  return value instanceof Date ? isoDate(value.getTime() / 86_400_000) : String(value ?? '');
}

function spoilOrMess(run: Run, family: Family, row: DropRow, sheet: '保障房' | '危房'): void {
  const { delivery } = family;
  const c = row.cells;
  const slots: Slot[] =
    sheet === '保障房'
      ? [cell(c, 1, 'id', '申请人身份证号'), cell(c, 5, 'amount', '补贴金额(元/月)'), cell(c, 6, 'date', '开始日期'), cell(c, 7, 'date', '结束日期'), cell(c, 9, 'region', '区划代码')]
      : [cell(c, 1, 'id', '户主身份证号'), cell(c, 4, 'date', '鉴定日期'), cell(c, 6, 'amount', '补助金额'), cell(c, 7, 'region', '区划代码')];
  if (delivery.faults.chance(delivery.invalidRate)) {
    const fault = spoilOne(delivery.faults, slots, family.village.townCode, run.knownVillageCodes);
    if (fault) {
      const key = sheet === '保障房' ? `${c[1]}|${c[4]}|${isoOfCell(c[6])}` : `${c[1]}|${isoOfCell(c[4])}`;
      const file = housingFileName(run.asOf);
      row.fault = { feed: 'housing', where: `${file}/${sheet}`, key, ...fault, file, sheet };
      delivery.invalid.push(row.fault);
      return;
    }
  }
  if (delivery.mess.chance(delivery.messyRate)) messOne(delivery.mess, slots, 'sheet');
}
