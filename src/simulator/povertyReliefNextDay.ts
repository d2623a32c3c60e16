/**
 * The rural revitalisation bureau's next snapshot (乡村振兴局, feeds.md §5): `fpdx_{new day}.csv`,
 * made from the newest snapshot in the folder. For about `share` of the households the income
 * figure is updated, monitoring starts (突发严重困难) or ends (风险消除, 已脱贫), or a member
 * leaves (absent from the snapshot, so ended on its date). Rows made invalid on purpose are
 * delivered again, and expected again at their new lines. Monitored households the
 * civil-affairs bureau does not assist yet are handed on as candidates for its recognition.
 */
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Newcomer } from './civilAffairsNextDay';
import { CsvFileWriter } from './csvFile';
import { csvRows } from './csvFileReader';
import { povertyFileName } from './dropNames';
import { canonicalId, centsOf, knownVillage, type NextDay, STREAM, streamOf, yuanOf } from './nextDayContext';
import type { Random } from './random';
import type { ExpectedInvalid } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { round } = Math;

/** Columns of feeds.md §5. */
const HOUSEHOLD_NO = 0;
const MEMBER_ID = 2;
const MEMBER_NAME = 3;
const RELATION = 4;
const STATUS = 6;
const MONITORING = 7;
const RISK = 8;
const INCOME = 9;
const REGION = 10;

type Row = { line: number; cells: string[] };

/** The newest file of a folder whose name matches, or null. */
export function newestDelivery(folder: string, pattern: RegExp): string | null {
  const names = readdirSync(folder).filter((name) => pattern.test(name)).sort();
  return names.length ? names[names.length - 1] : null;
}

function isHead(row: Row): boolean {
  return row.cells[RELATION] === '01' || row.cells[RELATION] === '户主';
}

/** Changes one household's rows; returns the rows to deliver. */
function changeHousehold(rng: Random, rows: Row[]): Row[] {
  const kind = rng.weighted([['income', 3], ['monitoring', 2], ['memberLeaves', rows.length > 1 ? 1 : 0]] as const);
  if (kind === 'memberLeaves') {
    const leaving = rows.map((_, i) => i).filter((i) => i > 0 && !isHead(rows[i]));
    if (leaving.length === 0) return rows;
    const out = [...rows];
    out.splice(rng.pick(leaving), 1);
    return out;
  }
  const changed = rows.map((row) => ({ line: row.line, cells: [...row.cells] }));
  if (kind === 'income') {
    const cents = centsOf(rows[0].cells[INCOME]);
    if (cents === null) return rows;
    const income = yuanOf(round(cents * (0.9 + rng.next() * 0.25)));
    for (const row of changed) row.cells[INCOME] = income;
  } else if (rows[0].cells[MONITORING] === '') {
    const risk = rng.pick(['因病', '因意外', '因灾']);
    for (const row of changed) [row.cells[MONITORING], row.cells[RISK]] = ['突发严重困难户', risk];
  } else {
    for (const row of changed) [row.cells[MONITORING], row.cells[STATUS]] = ['', '已脱贫'];
  }
  return changed;
}

/** A household the civil-affairs bureau could recognise: monitored, clean, alive, not assisted yet. */
function newcomerOf(next: NextDay, rows: Row[], assisted: ReadonlySet<string>): Newcomer | null {
  const monitored = rows[0].cells[MONITORING] !== '' || rows[0].cells[STATUS] === '未脱贫';
  const village = knownVillage(next, rows[0].cells[REGION]);
  if (!monitored || !village || !isHead(rows[0])) return null;
  const members = [];
  for (const row of rows) {
    const id = canonicalId(row.cells[MEMBER_ID]);
    if (id === null || id !== row.cells[MEMBER_ID] || assisted.has(id) || next.dead.has(id)) return null;
    members.push({ id, name: row.cells[MEMBER_NAME], relation: row.cells[RELATION] });
  }
  return { village: village.code, members };
}

export interface PovertySnapshot {
  /** rows changed, or gone from the new snapshot */
  rows: number;
  /** monitored households civil affairs may take on */
  newcomers: Newcomer[];
  /** everyone the new snapshot lists (canonical IDs) */
  listed: Set<string>;
}

/** Writes the next snapshot. */
export function povertyReliefNextDay(next: NextDay, folder: string, assisted: ReadonlySet<string>): PovertySnapshot {
  const listed = new Set<string>();
  const previous = newestDelivery(folder, /^fpdx_\d{8}\.csv$/);
  if (previous === null) return { rows: 0, newcomers: [], listed };
  const rng = streamOf(next, STREAM.poverty);
  const faults = new Map<number, ExpectedInvalid>();
  for (const entry of next.expectedInvalid) if (entry.feed === 'poverty-relief' && entry.file === previous && entry.line !== undefined) faults.set(entry.line, entry);

  const name = povertyFileName(next.day);
  const partial = join(folder, `.${name}.partial`);
  const rows = csvRows(join(folder, previous), 'gbk');
  const header = rows.next();
  if (header.done) return { rows: 0, newcomers: [], listed };
  const writer = new CsvFileWriter(partial, header.value.cells, 'gbk');
  const newcomers: Newcomer[] = [];
  let changed = 0;

  const deliver = (household: Row[]) => {
    const faulty = household.some((row) => faults.has(row.line));
    let out = household;
    if (!faulty && rng.chance(next.share)) {
      out = changeHousehold(rng, household);
      const before = new Map(household.map((row) => [row.line, row.cells]));
      changed += household.length - out.length;
      for (const row of out) if (row.cells.some((cell, k) => cell !== (before.get(row.line) as string[])[k])) changed += 1;
    } else if (!faulty) {
      const newcomer = newcomerOf(next, household, assisted);
      if (newcomer) newcomers.push(newcomer);
    }
    for (const row of out) {
      writer.write(row.cells);
      const id = canonicalId(row.cells[MEMBER_ID]);
      if (id) listed.add(id);
      const fault = faults.get(row.line);
      if (fault) next.expectedInvalid.push({ ...fault, where: name, file: name, line: writer.rows + 1 });
    }
  };

  let household: Row[] = [];
  for (const row of rows) {
    if (household.length > 0 && row.cells[HOUSEHOLD_NO] !== household[0].cells[HOUSEHOLD_NO]) {
      deliver(household);
      household = [];
    }
    household.push(row);
  }
  if (household.length > 0) deliver(household);
  writer.close();
  renameSync(partial, join(folder, name));
  return { rows: changed, newcomers, listed };
}
