/**
 * The four file drops of a generated population, in the departments' exact formats (feeds.md):
 *
 *   education/xszz_{学年}_{学期}.csv   GBK, CRLF — both terms
 *   housing/zfbz_{YYYYMMDD}.xlsx       sheets 保障房 and 危房, title banner, 合计 row
 *   poverty/fpdx_{YYYYMMDD}.csv        GBK, CRLF
 *   region-stats/region_stats_{YYYY}.csv  UTF-8 with BOM, CRLF
 *
 * CSV rows stream to disk as households are generated; the housing rows (about 2% of
 * households) are kept until the workbook is written at the end.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dayFromIsoDate } from './calendar';
import { CsvFileWriter } from './csvFile';
import { educationFileName, housingFileName, povertyFileName } from './dropNames';
import { schoolTerms } from './education';
import { writeHousingWorkbook } from './housingWorkbook';
import { generatePopulation, generateRegionStats, type PopulationOptions, resolveOptions, type SimFamily } from './population';
import { EDUCATION_HEADER, type DropRow, type ExpectedInvalid, POVERTY_HEADER, REGION_STATS_HEADER } from './records';
import type { RegionStats } from './regionStats';

/** The folders to configure as the file-drop connectors' sources. */
export interface DropFolders {
  education: string;
  housing: string;
  poverty: string;
  regionStats: string;
}

export interface WrittenDrops {
  folders: DropFolders;
  /** every file written */
  files: string[];
  /** data rows per file name */
  rows: Record<string, number>;
  /** the housing workbook's rows (about 2% of households), kept for the bureau's next export */
  housingRows: { publicHousing: DropRow[]; dangerousHouses: DropRow[] };
}

export function dropFolders(dir: string): DropFolders {
  return {
    education: join(dir, 'education'),
    housing: join(dir, 'housing'),
    poverty: join(dir, 'poverty'),
    regionStats: join(dir, 'region-stats'),
  };
}

/** Writes the drop files while a population is generated: `add` each household, then `finish`. */
export class DropWriter {
  readonly folders: DropFolders;
  private readonly education = new Map<string, CsvFileWriter>();
  private readonly poverty: CsvFileWriter;
  private readonly publicHousing: DropRow[] = [];
  private readonly dangerousHouses: DropRow[] = [];
  private readonly asOf: number;

  constructor(dir: string, private readonly opts: { asOf: string; city: string }) {
    this.folders = dropFolders(dir);
    for (const folder of Object.values(this.folders)) mkdirSync(folder, { recursive: true });
    this.asOf = dayFromIsoDate(opts.asOf);
    for (const term of schoolTerms(this.asOf)) {
      const name = educationFileName(term.name);
      this.education.set(term.name, new CsvFileWriter(join(this.folders.education, name), EDUCATION_HEADER, 'gbk'));
    }
    this.poverty = new CsvFileWriter(join(this.folders.poverty, povertyFileName(this.asOf)), POVERTY_HEADER, 'gbk');
  }

  add(family: SimFamily): void {
    for (const row of family.studentAid) (this.education.get(row.term) as CsvFileWriter).write(row.cells);
    for (const row of family.poverty) this.poverty.write(row.cells);
    this.publicHousing.push(...family.publicHousing);
    this.dangerousHouses.push(...family.dangerousHouses);
  }

  async finish(regionStats: RegionStats): Promise<WrittenDrops> {
    const files: string[] = [];
    const rows: Record<string, number> = {};
    for (const writer of [...this.education.values(), this.poverty]) {
      writer.close();
      files.push(writer.path);
      rows[writer.path.split(/[\\/]/).pop() as string] = writer.rows;
    }
    const housingName = housingFileName(this.asOf);
    const housingPath = join(this.folders.housing, housingName);
    const cityName = this.opts.city === '3710' ? '威海市' : `${this.opts.city}市`;
    await writeHousingWorkbook(housingPath, { cityName, year: Number(this.opts.asOf.slice(0, 4)), exportedOn: new Date(`${this.opts.asOf}T09:00:00Z`) }, this.publicHousing, this.dangerousHouses);
    files.push(housingPath);
    rows[`${housingName}/保障房`] = this.publicHousing.length;
    rows[`${housingName}/危房`] = this.dangerousHouses.length;

    const stats = new CsvFileWriter(join(this.folders.regionStats, regionStats.file), REGION_STATS_HEADER, 'utf8-bom');
    for (const row of regionStats.rows) stats.write(row.cells);
    stats.close();
    files.push(stats.path);
    rows[regionStats.file] = stats.rows;
    return { folders: this.folders, files, rows, housingRows: { publicHousing: this.publicHousing, dangerousHouses: this.dangerousHouses } };
  }
}

/**
 * Generates a population and writes its four file drops under `dir`. Returns the folders and
 * the drop records made invalid on purpose (the API feeds' are left out).
 */
export async function writeDrops(dir: string, opts: PopulationOptions): Promise<WrittenDrops & { expectedInvalid: ExpectedInvalid[] }> {
  const options = resolveOptions(opts);
  const writer = new DropWriter(dir, options);
  const expectedInvalid: ExpectedInvalid[] = [];
  const dropFeeds = new Set(['education', 'housing', 'poverty-relief', 'region-stats']);
  for (const family of generatePopulation(options)) {
    writer.add(family);
    for (const entry of family.invalid) if (dropFeeds.has(entry.feed)) expectedInvalid.push(entry);
  }
  const regionStats = generateRegionStats(options);
  expectedInvalid.push(...regionStats.invalid);
  return { ...(await writer.finish(regionStats)), expectedInvalid };
}
