/**
 * The housing bureau's next export (住建局, feeds.md §4): `zfbz_{new day}.xlsx`, the ledger kept
 * since the last export with about `share` of its rows changed — a rent subsidy ending today or
 * its amount reassessed, a tenant family growing or shrinking, a dangerous house's renovation
 * starting or finished (and its grant paid). Rows made invalid on purpose are delivered again
 * and expected again at their new sheet rows.
 */
import { join } from 'node:path';
import { isoDate, yearOf } from './calendar';
import { housingFileName } from './dropNames';
import { dateCell } from './housing';
import { writeHousingWorkbook } from './housingWorkbook';
import { type NextDay, STREAM, streamOf } from './nextDayContext';
import type { Random } from './random';
import type { DropRow } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max } = Math;

function changePublicHousing(next: NextDay, rng: Random, cells: DropRow['cells']): boolean {
  const [, , , size, mode, amount, , end] = cells;
  if (end !== null) return false;
  if (mode === '租赁补贴') {
    if (typeof amount === 'number' && rng.chance(0.35)) {
      cells[5] = max(100, amount + (rng.chance(0.5) ? 50 : -50));
    } else {
      cells[7] = dateCell(next.day);
    }
    return true;
  }
  if (typeof size === 'number' && rng.chance(0.6)) {
    cells[3] = size > 1 && rng.chance(0.5) ? size - 1 : size + 1;
  } else {
    cells[7] = dateCell(next.day);
  }
  return true;
}

function changeDangerousHouse(rng: Random, cells: DropRow['cells']): boolean {
  const [, , , rating, , status, grant] = cells;
  if (status === '未改造' && (rating === 'C' || rating === 'D')) {
    cells[5] = '改造中';
    return true;
  }
  if (status === '改造中' && grant === null) {
    cells[5] = '已改造';
    cells[6] = (rating === 'C' ? rng.int(150, 250) : rng.int(250, 350)) * 100;
    return true;
  }
  return false;
}

/** Changes the kept rows in place and writes the new workbook; returns the rows changed per sheet. */
export async function housingNextDay(next: NextDay, folder: string, city: string, rows: { publicHousing: DropRow[]; dangerousHouses: DropRow[] }): Promise<{ publicHousing: number; dangerousHouses: number }> {
  const rng = streamOf(next, STREAM.housing);
  const counts = { publicHousing: 0, dangerousHouses: 0 };
  // Only rows still running can change (an ended subsidy, a renovated house stay as they are): the share is of all rows.
  const open = (list: DropRow[], test: (cells: DropRow['cells']) => boolean) => list.filter((row) => !row.fault && test(row.cells));
  const flats = open(rows.publicHousing, (cells) => cells[7] === null);
  const houses = open(rows.dangerousHouses, (cells) => (cells[5] === '未改造' && (cells[3] === 'C' || cells[3] === 'D')) || (cells[5] === '改造中' && cells[6] === null));
  const flatChance = (next.share * rows.publicHousing.length) / max(1, flats.length);
  const houseChance = (next.share * rows.dangerousHouses.length) / max(1, houses.length);
  for (const row of flats) if (rng.chance(flatChance) && changePublicHousing(next, rng, row.cells)) counts.publicHousing += 1;
  for (const row of houses) if (rng.chance(houseChance) && changeDangerousHouse(rng, row.cells)) counts.dangerousHouses += 1;
  const name = housingFileName(next.day);
  const cityName = city === '3710' ? '威海市' : `${city}市`;
  await writeHousingWorkbook(join(folder, name), { cityName, year: yearOf(next.day), exportedOn: new Date(`${isoDate(next.day)}T09:00:00Z`) }, rows.publicHousing, rows.dangerousHouses);
  for (const [sheet, list] of [['保障房', rows.publicHousing], ['危房', rows.dangerousHouses]] as const) {
    list.forEach((row, i) => {
      // Title on row 1, header on row 2.
      if (row.fault) next.expectedInvalid.push({ ...row.fault, where: `${name}/${sheet}`, file: name, sheet, row: i + 3 });
    });
  }
  return counts;
}
