import type { Stream } from '../../src/ingest/connector';
import { csvTableRows } from '../../src/ingest/csvTable';
import { cellsOf, fileDropBatches, keyPart, type FileRecord } from '../../src/ingest/fileDrop';
import { amountOf, mapRecord, oneOf, optionalText, personOf, RecordFault, regionOf, requiredText } from '../../src/ingest/recordFields';
import type { FactRow } from '../../src/ingest/types';
import { AID_PROGRAMMES, EDUCATION_FILE, EDUCATION_HEADERS, educationRow, SCHOOL_STATUSES, STAGES } from './contract';

/**
 * 学生资助 student aid: one record per row (学籍号, 资助项目, 学年_学期) — the student's schooling that
 * term and, when a 资助项目 is named, the aid as a benefit. A term file replaces the earlier
 * delivery of the same term; a new term leaves the previous terms as they are.
 */
export const studentAidStream: Stream = {
  name: 'student-aid',
  factTables: ['schooling', 'benefit'],
  fetch: (ctx, bookmark) =>
    fileDropBatches(ctx.source, bookmark, {
      chunkSize: ctx.config.pageSize,
      pattern: EDUCATION_FILE,
      terms: (m) => ({ partition: `${m[1]}-${m[2]}_${m[3]}`, endDate: null }),
      read: (file) => csvTableRows(file, EDUCATION_HEADERS),
      held: { pool: ctx.pool, feed: 'education', stream: 'student-aid', recordKey: studentAidKey },
    }),
  map: (raw, ctx) => {
    const { cells, delivery } = raw as FileRecord;
    const term = `${keyPart(cells.学年)}_${keyPart(cells.学期)}`;
    const key = studentAidKey(cells);
    return mapRecord(cells, key, ctx.location, () => {
      const row = cellsOf(cells, educationRow);
      const start = termStart(row.学年, row.学期);
      // a row of another term would sit in this term's delivery under that term's key
      if (delivery.partition && term !== delivery.partition) throw new RecordFault('BAD_VALUE', '学年', row.学年);
      const studentNo = requiredText(row.学籍号, '学籍号');
      const region = regionOf(row.区划代码, '区划代码', ctx.regions, false);
      const person = personOf(row.身份证号, row.姓名, '身份证号', region);
      const aid = optionalText(row.资助项目, '资助项目');
      if (aid !== null && !Object.hasOwn(AID_PROGRAMMES, aid)) throw new RecordFault('BAD_VALUE', '资助项目', row.资助项目);
      const amount = amountOf(row.资助金额, '资助金额');
      const benefits: FactRow[] = aid === null
        ? []
        : [{
            item_key: '',
            person_id_number: person.idNumber,
            programme_code: AID_PROGRAMMES[aid],
            amount,
            region_code: region,
            // the aid is for the term; the ledger gives no dates of its own
            valid_from: null,
            valid_to: null,
            details: { term },
          }];
      return {
        recordKey: key,
        versionAt: `${start}T00:00:00+08:00`,
        versionDate: start,
        deleted: false,
        raw: cells,
        persons: [person],
        households: [],
        facts: {
          schooling: [
            {
              item_key: '',
              person_id_number: person.idNumber,
              student_no: studentNo,
              school: optionalText(row.学校名称, '学校名称'),
              stage: oneOf(row.学段, '学段', STAGES),
              grade: optionalText(row.年级, '年级'),
              status: oneOf(row.在校状态, '在校状态', SCHOOL_STATUSES),
              term,
              aid,
              region_code: region,
            },
          ],
          benefit: benefits,
        },
      };
    });
  },
};

/** A row's record key: 学籍号, 资助项目, 学年_学期 */
export function studentAidKey(cells: Record<string, string>): string {
  return `${keyPart(cells.学籍号)}|${keyPart(cells.资助项目)}|${keyPart(cells.学年)}_${keyPart(cells.学期)}`;
}

/** The first day of a term: 1 September of the school year's first year, or 1 March of its second. */
export function termStart(schoolYear: string, semester: string): string {
  const y = /^(\d{4})-(\d{4})$/.exec(schoolYear.trim());
  if (!y || Number(y[2]) !== Number(y[1]) + 1) throw new RecordFault('BAD_VALUE', '学年', schoolYear);
  const s = semester.trim();
  if (s !== '1' && s !== '2') throw new RecordFault('BAD_VALUE', '学期', semester);
  return s === '1' ? `${y[1]}-09-01` : `${y[2]}-03-01`;
}
