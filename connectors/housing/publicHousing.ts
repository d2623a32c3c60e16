import type { Stream } from '../../src/ingest/connector';
import { cellsOf, dateKeyPart, fileDropBatches, keyPart, type FileRecord } from '../../src/ingest/fileDrop';
import { amountOf, countOf, dateOf, mapRecord, optionalText, personOf, RecordFault, regionOf } from '../../src/ingest/recordFields';
import { HOUSING_FILE, HOUSING_MODES, PUBLIC_HOUSING_SHEET, publicHousingRow } from './contract';
import { sheetRows, snapshotTerms } from './workbook';

/**
 * 保障房 public rental housing: a flat (ZF_FLAT) or a rent subsidy (ZF_RENT, 元 a month) for the
 * applicant's household — the applicant heads it (rules.md: a household of the applicant alone
 * where no other feed places them). A record missing from a newer snapshot ends on its date.
 */
export const publicHousingStream: Stream = {
  name: 'public-housing',
  factTables: ['benefit'],
  fetch: (ctx, bookmark) =>
    fileDropBatches(ctx.source, bookmark, {
      chunkSize: ctx.config.pageSize,
      pattern: HOUSING_FILE,
      terms: snapshotTerms,
      read: (file) => sheetRows(file, PUBLIC_HOUSING_SHEET),
      snapshots: true,
    }),
  map: (raw, ctx) => {
    const { cells, delivery } = raw as FileRecord;
    const key = `${keyPart(cells.申请人身份证号)}|${keyPart(cells.保障方式)}|${dateKeyPart(cells.开始日期)}`;
    return mapRecord(cells, key, ctx.location, () => {
      const row = cellsOf(cells, publicHousingRow);
      const region = regionOf(row.区划代码, '区划代码', ctx.regions, false);
      const applicant = personOf(row.申请人身份证号, row.申请人姓名, '申请人身份证号', region);
      const mode = optionalText(row.保障方式, '保障方式');
      if (mode === null) throw new RecordFault('MISSING_FIELD', '保障方式', row.保障方式);
      if (!Object.hasOwn(HOUSING_MODES, mode)) throw new RecordFault('BAD_VALUE', '保障方式', row.保障方式);
      const snapshot = delivery.endDate!;
      return {
        recordKey: key,
        versionAt: `${snapshot}T00:00:00+08:00`,
        versionDate: snapshot,
        deleted: false,
        raw: cells,
        persons: [applicant],
        households: [applicant.idNumber],
        facts: {
          benefit: [
            {
              item_key: '',
              person_id_number: applicant.idNumber,
              household_head: applicant.idNumber,
              programme_code: HOUSING_MODES[mode],
              amount: amountOf(row['补贴金额(元/月)'], '补贴金额(元/月)'),
              valid_from: dateOf(row.开始日期, '开始日期', true),
              valid_to: dateOf(row.结束日期, '结束日期'),
              region_code: region,
              details: { family_size: countOf(row.家庭人口, '家庭人口'), address: optionalText(row.房源地址, '房源地址') },
            },
          ],
        },
      };
    });
  },
};
