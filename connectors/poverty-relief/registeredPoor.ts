import type { Stream } from '../../src/ingest/connector';
import { csvTableRows } from '../../src/ingest/csvTable';
import { cellsOf, fileDropBatches, keyPart, type FileRecord } from '../../src/ingest/fileDrop';
import { amountOf, countOf, idNumberOf, mapRecord, oneOf, personOf, RecordFault, regionOf, relationOf, requiredText } from '../../src/ingest/recordFields';
import { MAIN_RISKS, MONITORING_TYPES, POVERTY_FILE, POVERTY_HEADERS, POVERTY_STATUSES, povertyRow } from './contract';

/**
 * 建档立卡 registered-poor households, one record per member (户编号, 成员身份证号): the member's
 * place in the head's household and the household's poverty record. A member missing from a
 * newer snapshot ends on that snapshot's date.
 */
export const registeredPoorStream: Stream = {
  name: 'registered-poor',
  factTables: ['membership', 'poverty_record'],
  fetch: (ctx, bookmark) =>
    fileDropBatches(ctx.source, bookmark, {
      chunkSize: ctx.config.pageSize,
      pattern: POVERTY_FILE,
      terms: (m) => ({ partition: '', endDate: `${m[1]}-${m[2]}-${m[3]}` }),
      read: (file) => csvTableRows(file, POVERTY_HEADERS),
      snapshots: true,
      held: { pool: ctx.pool, feed: 'poverty-relief', stream: 'registered-poor', recordKey: registeredPoorKey },
    }),
  map: (raw, ctx) => {
    const { cells, delivery } = raw as FileRecord;
    const key = registeredPoorKey(cells);
    return mapRecord(cells, key, ctx.location, () => {
      const row = cellsOf(cells, povertyRow);
      const householdNo = requiredText(row.户编号, '户编号');
      const region = regionOf(row.区划代码, '区划代码', ctx.regions, false);
      const head = idNumberOf(row.户主身份证号, '户主身份证号');
      const member = personOf(row.成员身份证号, row.成员姓名, '成员身份证号', region);
      const relation = relationOf(row.与户主关系, '与户主关系');
      const year = countOf(row.识别年度, '识别年度');
      if (year === null) throw new RecordFault('MISSING_FIELD', '识别年度', row.识别年度);
      if (year < 1900 || year > 2100) throw new RecordFault('BAD_VALUE', '识别年度', row.识别年度);
      const snapshot = delivery.endDate!;
      // the head is named by ID number only, unless they also have a member row of their own
      const persons = member.idNumber === head ? [member] : [member, personOf(row.户主身份证号, '', '户主身份证号', region)];
      return {
        recordKey: key,
        versionAt: `${snapshot}T00:00:00+08:00`,
        versionDate: snapshot,
        deleted: false,
        raw: cells,
        persons,
        households: [head],
        facts: {
          membership: [
            { item_key: member.idNumber, household_head: head, person_id_number: member.idNumber, relation_code: relation, self_care: null },
          ],
          poverty_record: [
            {
              item_key: '',
              person_id_number: member.idNumber,
              household_head: head,
              household_no: householdNo,
              relation_code: relation,
              identified_year: year,
              poverty_status: oneOf(row.脱贫状态, '脱贫状态', POVERTY_STATUSES),
              monitoring_type: oneOf(row.监测对象类型, '监测对象类型', MONITORING_TYPES, false),
              main_risk: oneOf(row.主要风险, '主要风险', MAIN_RISKS, false),
              income_per_capita: amountOf(row.家庭年人均纯收入, '家庭年人均纯收入'),
              region_code: region,
              // the snapshot this version of the row was delivered in
              snapshot_date: snapshot,
            },
          ],
        },
      };
    });
  },
};

/** A row's record key: 户编号, 成员身份证号 */
export function registeredPoorKey(cells: Record<string, string>): string {
  return `${keyPart(cells.户编号)}|${keyPart(cells.成员身份证号)}`;
}
