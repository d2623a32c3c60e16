/**
 * The capacity and fund figures of every region of the city for one year (民政局 / 财政局,
 * feeds.md §8): county rows with residents, households and the 临时救助储备金; town rows with the
 * civil-affairs staff (民政专职人员) and the 备用金; village rows with households and coordinators
 * (村级协理员). Figures follow the city layout the households are placed by. Most regions meet
 * rules R1–R3, some fall short and some sit exactly on the line; an empty cell is unknown.
 */
import type { CityLayout } from './cityLayout';
import { regionStatsFileName } from './dropNames';
import { cell, messOne, spoilOne } from './fieldFaults';
import { unknownVillageCode } from './invalidForms';
import { Random, streamSeed } from './random';
import type { DropRow, ExpectedInvalid } from './records';
import type { CityRegions } from './regions';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { ceil, round } = Math;

export interface RegionStatsOptions {
  seed: number;
  year: number;
  messyRate: number;
  invalidRate: number;
}

export interface RegionStats {
  file: string;
  rows: DropRow[];
  invalid: ExpectedInvalid[];
}

const EMPTY = '';

export function regionStatsOf(regions: CityRegions, layout: CityLayout, opts: RegionStatsOptions): RegionStats {
  const rng = new Random(streamSeed(opts.seed, 0x5e1));
  const mess = new Random(streamSeed(opts.seed, 0x5e2));
  const faults = new Random(streamSeed(opts.seed, 0x5e3));
  const year = `${opts.year}`;
  const file = regionStatsFileName(opts.year);
  const known = new Set(regions.villages.map((v) => v.code));
  const unknownOr = (value: number | string): string => (rng.chance(0.015) ? EMPTY : `${value}`);

  const villageTotals = new Map<string, { residents: number; households: number }>();
  const add = (code: string, residents: number, households: number) => {
    const total = villageTotals.get(code) ?? { residents: 0, households: 0 };
    total.residents += residents;
    total.households += households;
    villageTotals.set(code, total);
  };
  for (const s of layout.sizes) {
    add(s.village.townCode, s.residents, s.households);
    add(s.village.countyCode, s.residents, s.households);
  }

  const rows: DropRow[] = [];
  for (const county of regions.counties) {
    const totals = villageTotals.get(county.code) ?? { residents: 0, households: 0 };
    const residents = layout.countyResidents.get(county.code) ?? totals.residents;
    // 储备金: at least 5 yuan a resident (rule R3); some counties fall short, some sit on the line.
    const perResident = rng.weighted([[0, 80], [1, 12], [2, 8]] as const);
    const reserve = perResident === 0 ? ceil((residents * (5.2 + rng.next() * 2.5)) / 10_000) * 10_000 : perResident === 1 ? round(residents * (4.5 + rng.next() * 0.45)) : residents * 5;
    rows.push({ cells: [county.code, year, `${residents}`, `${totals.households}`, EMPTY, EMPTY, unknownOr(reserve.toFixed(2)), EMPTY] });
  }
  for (const town of regions.towns) {
    const totals = villageTotals.get(town.code) ?? { residents: 0, households: 0 };
    // 民政专职人员: 3 for a town of up to 50,000 residents, else 5 (rule R1).
    const required = totals.residents <= 50_000 ? 3 : 5;
    const staff = rng.chance(0.08) ? required - rng.int(1, 2) : required + rng.weighted([[0, 30], [1, 35], [2, 25], [3, 10]] as const);
    // 备用金: at least 50,000 yuan (rule R3).
    const backup = rng.chance(0.08) ? rng.int(20, 49) * 1000 : rng.chance(0.03) ? 50_000 : rng.int(51, 200) * 1000;
    rows.push({ cells: [town.code, year, `${totals.residents}`, `${totals.households}`, unknownOr(staff), EMPTY, EMPTY, unknownOr(backup.toFixed(2))] });
  }
  for (const size of layout.sizes) {
    // 村级协理员: 1 for up to 800 households, else 2 (rule R2).
    const required = size.households <= 800 ? 1 : 2;
    const coordinators = rng.chance(0.06) ? required - 1 : required + (rng.chance(0.1) ? 1 : 0);
    rows.push({ cells: [size.village.code, year, `${size.residents}`, unknownOr(size.households), EMPTY, unknownOr(coordinators), EMPTY, EMPTY] });
  }

  // Faults at the invalid rate: a fund written negative, or a row for a code the table does not know.
  const invalid: ExpectedInvalid[] = [];
  const delivered: DropRow[] = [];
  // Made-up codes are never repeated: two rows with one key would be one record delivered twice.
  const taken = new Set(known);
  for (const row of rows) {
    delivered.push(row);
    if (mess.chance(opts.messyRate)) messOne(mess, [cell(row.cells, 6, 'amount', '临时救助储备金(元)'), cell(row.cells, 7, 'amount', '临时救助备用金(元)')], 'csv');
    if (!faults.chance(opts.invalidRate)) continue;
    const code = String(row.cells[0]);
    const fund = row.cells[6] !== EMPTY ? 6 : row.cells[7] !== EMPTY ? 7 : -1;
    if (fund >= 0 && faults.chance(0.3) && /^\d/.test(String(row.cells[fund]))) {
      const fault = spoilOne(faults, [cell(row.cells, fund, 'amount', fund === 6 ? '临时救助储备金(元)' : '临时救助备用金(元)')], code.slice(0, 9), known);
      if (fault) row.fault = { feed: 'region-stats', where: file, key: `${code}|${year}`, ...fault, file };
    } else {
      const townCode = code.length === 6 ? regions.towns.find((t) => t.countyCode === code)?.code ?? `${code}100` : code.slice(0, 9);
      const bogus = unknownVillageCode(faults, townCode, taken);
      taken.add(bogus);
      const extra: DropRow = { cells: [bogus, year, `${faults.int(300, 3000)}`, `${faults.int(120, 1200)}`, EMPTY, `${faults.int(1, 2)}`, EMPTY, EMPTY] };
      extra.fault = { feed: 'region-stats', where: file, key: `${bogus}|${year}`, reason: 'UNKNOWN_REGION_CODE', field: '区划代码', value: bogus, file };
      delivered.push(extra);
    }
  }
  for (const row of delivered) if (row.fault) invalid.push(row.fault);
  // Lines are known once the rows are in order: the header is line 1.
  delivered.forEach((row, i) => row.fault && (row.fault.line = i + 2));
  return { file, rows: delivered, invalid };
}
