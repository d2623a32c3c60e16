import type { Stream } from '../../src/ingest/connector';
import { cellsOf, dateKeyPart, fileDropBatches, keyPart, type FileRecord } from '../../src/ingest/fileDrop';
import { amountOf, dateOf, mapRecord, oneOf, personOf, regionOf } from '../../src/ingest/recordFields';
import type { FactRow } from '../../src/ingest/types';
import { DANGEROUS_HOUSE_SHEET, dangerousHouseRow, HOUSE_RATINGS, HOUSING_FILE, RENOVATION_STATUSES } from './contract';
import { sheetRows, snapshotTerms } from './workbook';

/**
 * 危房 rural dangerous houses: the head's house as assessed (A–D, C and D dangerous) and its
 * renovation; a 补助金额 is the WF 农村危房改造补助 paid to the head's household.
 */
export const dangerousHousesStream: Stream = {
  name: 'dangerous-houses',
  factTables: ['dangerous_house', 'benefit'],
  fetch: (ctx, bookmark) =>
    fileDropBatches(ctx.source, bookmark, {
      chunkSize: ctx.config.pageSize,
      pattern: HOUSING_FILE,
      terms: snapshotTerms,
      read: (file) => sheetRows(file, DANGEROUS_HOUSE_SHEET),
      snapshots: true,
    }),
  map: (raw, ctx) => {
    const { cells, delivery } = raw as FileRecord;
    const key = `${keyPart(cells.户主身份证号)}|${dateKeyPart(cells.鉴定日期)}`;
    return mapRecord(cells, key, ctx.location, () => {
      const row = cellsOf(cells, dangerousHouseRow);
      const region = regionOf(row.区划代码, '区划代码', ctx.regions, false);
      const head = personOf(row.户主身份证号, row.户主姓名, '户主身份证号', region);
      const assessedOn = dateOf(row.鉴定日期, '鉴定日期', true);
      const subsidy = amountOf(row.补助金额, '补助金额');
      const benefits: FactRow[] =
        subsidy === null
          ? []
          : [{ item_key: '', household_head: head.idNumber, programme_code: 'WF', amount: subsidy, region_code: region, valid_from: null, valid_to: null }];
      const snapshot = delivery.endDate!;
      return {
        recordKey: key,
        versionAt: `${snapshot}T00:00:00+08:00`,
        versionDate: snapshot,
        deleted: false,
        raw: cells,
        persons: [head],
        households: subsidy === null ? [] : [head.idNumber],
        facts: {
          dangerous_house: [
            {
              item_key: '',
              person_id_number: head.idNumber,
              rating: oneOf(row.鉴定等级.trim().toUpperCase(), '鉴定等级', HOUSE_RATINGS),
              assessed_on: assessedOn,
              renovation_status: oneOf(row.改造状态, '改造状态', RENOVATION_STATUSES),
              subsidy,
              region_code: region,
            },
          ],
          benefit: benefits,
        },
      };
    });
  },
};
