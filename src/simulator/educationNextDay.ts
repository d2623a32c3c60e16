/**
 * The education bureau's corrected re-delivery of the current term (教育局, feeds.md §2): the
 * term's file under the same name, with about `share` of its rows changed in place — aid newly
 * approved for an enrolled student who had none, an aid amount corrected, a student suspending
 * their studies. Rows stay on their lines, so the rows made invalid on purpose stay where they
 * were expected; a repeated row (the export's duplicate) is left alone.
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { CsvFileWriter } from './csvFile';
import { csvRows } from './csvFileReader';
import { type NextDay, STREAM, streamOf } from './nextDayContext';
import { newestDelivery } from './povertyReliefNextDay';
import type { Random } from './random';

/** Columns of feeds.md §2. */
const STAGE = 4;
const STATUS = 6;
const AID = 7;
const AMOUNT = 8;

/** The aid a student of a stage is most often newly approved for, with the term's amount. */
const FIRST_AID: Record<string, [string, string]> = {
  学前: ['学前资助', '500.00'],
  小学: ['义务教育生活补助', '500.00'],
  初中: ['义务教育生活补助', '625.00'],
  高中: ['国家助学金', '1000.00'],
  中职: ['国家助学金', '1000.00'],
  高校: ['国家助学金', '1650.00'],
};

function changeRow(rng: Random, cells: string[]): boolean {
  if (cells[STATUS] !== '在读') return false;
  if (cells[AID] === '') {
    if (rng.chance(0.15)) {
      cells[STATUS] = '休学';
      return true;
    }
    const aid = FIRST_AID[cells[STAGE]];
    if (!aid) return false;
    [cells[AID], cells[AMOUNT]] = aid;
    return true;
  }
  if (!/^\d+\.\d{2}$/.test(cells[AMOUNT])) return false;
  // A tier corrected: 250 yuan more, or less when there is that much.
  const amount = Number(cells[AMOUNT]);
  cells[AMOUNT] = (amount > 250 && rng.chance(0.4) ? amount - 250 : amount + 250).toFixed(2);
  return true;
}

/**
 * Re-delivers the newest term's file with changed rows; returns how many rows changed. The share
 * is of `allRows`, the rows of every term delivered, all of them changed in the newest term's file.
 */
export function educationNextDay(next: NextDay, folder: string, allRows: number, fileRows: Record<string, number>): number {
  const name = newestDelivery(folder, /^xszz_\d{4}-\d{4}_[12]\.csv$/);
  if (name === null) return 0;
  const rng = streamOf(next, STREAM.education);
  const chance = (next.share * allRows) / Math.max(1, fileRows[name] ?? allRows);
  const faulty = new Set<number>();
  for (const entry of next.expectedInvalid) if (entry.feed === 'education' && entry.file === name && entry.line !== undefined) faulty.add(entry.line);

  const partial = join(folder, `.${name}.partial`);
  const rows = csvRows(join(folder, name), 'gbk');
  const header = rows.next();
  if (header.done) return 0;
  const writer = new CsvFileWriter(partial, header.value.cells, 'gbk');
  let changed = 0;
  const same = (a: string[] | undefined, b: string[] | undefined) => a !== undefined && b !== undefined && a.length === b.length && a.every((cell, i) => cell === b[i]);
  // Each row is decided once the next is read: a row repeated right after it is a duplicate.
  let before: string[] | undefined;
  let current: { line: number; cells: string[] } | undefined;
  const decide = (following: string[] | undefined) => {
    if (!current) return;
    const original = current.cells;
    let cells = original;
    if (!faulty.has(current.line) && !same(original, before) && !same(original, following) && rng.chance(chance)) {
      const copy = [...original];
      if (changeRow(rng, copy)) {
        cells = copy;
        changed += 1;
      }
    }
    writer.write(cells);
    before = original;
  };
  for (const row of rows) {
    decide(row.cells);
    current = row;
  }
  decide(undefined);
  writer.close();
  renameSync(partial, join(folder, name));
  return changed;
}
