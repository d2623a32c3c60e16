import type { Stream } from '../../src/ingest/connector';
import { csvTableRows } from '../../src/ingest/csvTable';
import { cellsOf, fileDropBatches, keyPart, type FileRecord } from '../../src/ingest/fileDrop';
import { amountOf, countOf, mapRecord, RecordFault, regionOf } from '../../src/ingest/recordFields';
import { REGION_STATS_FILE, REGION_STATS_HEADERS, regionStatsRow } from './contract';

/**
 * One record per region and year (区划代码, 年度): the figures the compliance rules R1–R3 use. A
 * later file of the same year replaces that year; a new year leaves the earlier ones.
 */
export const regionFiguresStream: Stream = {
  name: 'region-figures',
  factTables: ['region_stat'],
  fetch: (ctx, bookmark) =>
    fileDropBatches(ctx.source, bookmark, {
      chunkSize: ctx.config.pageSize,
      pattern: REGION_STATS_FILE,
      terms: (m) => ({ partition: m[1]!, endDate: null }),
      read: (file) => csvTableRows(file, REGION_STATS_HEADERS),
      held: { pool: ctx.pool, feed: 'region-stats', stream: 'region-figures', recordKey: regionFiguresKey },
    }),
  map: (raw, ctx) => {
    const { cells, delivery } = raw as FileRecord;
    const key = regionFiguresKey(cells);
    return mapRecord(cells, key, ctx.location, () => {
      const row = cellsOf(cells, regionStatsRow);
      const region = regionOf(row.区划代码, '区划代码', ctx.regions)!;
      const year = countOf(row.年度, '年度');
      if (year === null) throw new RecordFault('MISSING_FIELD', '年度', row.年度);
      // a row of another year would sit in this year's delivery under that year's key
      if (delivery.partition && String(year) !== delivery.partition) throw new RecordFault('BAD_VALUE', '年度', row.年度);
      return {
        recordKey: key,
        versionAt: `${year}-01-01T00:00:00+08:00`,
        versionDate: `${year}-01-01`,
        deleted: false,
        raw: cells,
        persons: [],
        households: [],
        facts: {
          region_stat: [
            {
              item_key: '',
              region_code: region,
              year,
              residents: countOf(row.常住人口, '常住人口'),
              households: countOf(row.户数, '户数'),
              staff: countOf(row.民政专职人员数, '民政专职人员数'),
              coordinators: countOf(row.村级协理员数, '村级协理员数'),
              reserve_fund: amountOf(row['临时救助储备金(元)'], '临时救助储备金(元)'),
              backup_fund: amountOf(row['临时救助备用金(元)'], '临时救助备用金(元)'),
            },
          ],
        },
      };
    });
  },
};

/** A row's record key: 区划代码, 年度 */
export function regionFiguresKey(cells: Record<string, string>): string {
  return `${keyPart(cells.区划代码)}|${keyPart(cells.年度)}`;
}
