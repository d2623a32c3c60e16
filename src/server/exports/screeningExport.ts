import type { RequestHandler } from 'express';
import type { Viewer } from '../../auth/viewer';
import { exportAudit, exportHandler, ExportInputError, ExportNotFound, type ExportOptions } from './exportRequest';
import { day, drained, money, shanghaiTime, titledSheet, xlsxResponse, type Column } from './xlsxStream';

const VERDICT_NAMES: Readonly<Record<string, string>> = { PASS: '通过', REVIEW: '需核实', LEADING_GROUP: '提请领导小组', REJECT: '不予通过' };
const EVALUATION_NAMES: Readonly<Record<string, string>> = { APPROVE: '同意', REJECT: '不同意', REFER: '转核' };
const PAGE = 2000;

interface ScreeningHead {
  id: string;
  title: string;
  programmeCode: string;
  programmeName: string;
  year: number;
  regionCode: string;
  regionName: string | null;
  asOf: string;
  submittedDepartment: string | null;
  sourceFeed: string;
}

/**
 * The screening a reader may export, as GraphQL `screening` scopes it (src/api/resolvers/
 * ScreeningResolver.ts): OFFICE any, TOWN those of its region, DEPARTMENT those it submitted
 * and, for the approved list, those of its own programmes. Another's list is "not found".
 */
async function screeningFor(opts: ExportOptions, viewer: Viewer, rawId: string, approvedOnly: boolean): Promise<ScreeningHead> {
  if (!/^\d{1,18}$/.test(rawId)) throw new ExportInputError('id: not a screening id', 'id');
  const { rows } = await opts.pool.query<ScreeningHead>(
    `select s.id::text as id, s.title, s.programme_code as "programmeCode", p.name as "programmeName", s.year, s.region_code as "regionCode",
            rg.name as "regionName", s.as_of::text as "asOf", s.submitted_department as "submittedDepartment", p.source_feed as "sourceFeed"
       from screening s join programme p on p.code = s.programme_code left join region rg on rg.code = s.region_code
      where s.id = $1`,
    [rawId],
  );
  const s = rows[0];
  const sees =
    !!s &&
    (viewer.role === 'OFFICE' ||
      (viewer.role === 'TOWN' && s.regionCode.startsWith(viewer.regionPrefix)) ||
      (viewer.role === 'DEPARTMENT' && (s.submittedDepartment === viewer.department || (approvedOnly && s.sourceFeed === viewer.department))));
  if (!sees) throw new ExportNotFound(`no screening ${rawId} this token may read`);
  return s!;
}

/**
 * `GET /api/exports/screenings/{id}.xlsx` — the list as uploaded, with each row's verdict, reasons
 * and evaluation beside it; `GET /api/exports/screenings/{id}/approved.xlsx` — the approved rows
 * alone (newest evaluation APPROVE), for the paying department and finance. Audited with the
 * screening as purpose, like every read of its rows.
 */
export function screeningExport(opts: ExportOptions, approvedOnly: boolean): RequestHandler {
  return exportHandler(opts, ['OFFICE', 'TOWN', 'DEPARTMENT'], async (viewer, req, res) => {
    const s = await screeningFor(opts, viewer, String(req.params.id ?? ''), approvedOnly);
    const approved = approvedOnly ? `and (select e.decision from screening_evaluation e where e.row_id = r.id order by e.id desc limit 1) = 'APPROVE'` : '';
    const persons = await opts.pool.query<{ ids: string[] }>(
      `select coalesce(array_agg(distinct r.person_id::text) filter (where r.person_id is not null), '{}') as ids from screening_row r where r.screening_id = $1 ${approved}`,
      [s.id],
    );
    await opts.audit(exportAudit(viewer, req, approvedOnly ? 'screenings/{id}/approved.xlsx' : 'screenings/{id}.xlsx', persons.rows[0]!.ids, [], `screening ${s.id}`));

    const what = approvedOnly ? '评估通过名单' : '筛选比对结果';
    const columns: Column[] = [
      { header: '行号', kind: 'count', width: 8 },
      { header: '身份证号', width: 22 },
      { header: '姓名', width: 10 },
      { header: '金额（元）', kind: 'money', width: 12 },
      { header: '起始日期', kind: 'date', width: 12 },
      { header: '备注', width: 20 },
      ...(approvedOnly
        ? []
        : [
            { header: '比对结论', width: 14 },
            { header: '原因代码', width: 40 },
          ]),
      { header: '评估决定', width: 10 },
      { header: '评估说明', width: 24 },
      { header: '批准文号', width: 16 },
      { header: '评估人', width: 12 },
      { header: '评估时间', kind: 'date', width: 12 },
    ];
    const book = xlsxResponse(res, `${what}-${s.id}.xlsx`);
    const title = `${s.title}（${s.programmeName} ${s.year} 年，${s.regionName ?? ''}${s.regionCode}）${what}，比对截至 ${s.asOf}`;
    const sheet = titledSheet(book, what, title, columns);
    let after = 0;
    for (;;) {
      const { rows }: { rows: any[] } = await opts.pool.query(
        `select r.row_number as "rowNumber", coalesce(r.id_number, r.raw_id_number) as "idNumber", r.name, r.amount::text as amount,
                r.start_date::text as "startDate", r.note, r.verdict, r.reason_codes as "reasonCodes",
                e.decision, e.note as "evaluationNote", e.approval_ref as "approvalRef", e.decided_by as "decidedBy", e.decided_at as "decidedAt"
           from screening_row r
           left join lateral (select * from screening_evaluation e where e.row_id = r.id order by e.id desc limit 1) e on true
          where r.screening_id = $1 and r.row_number > $2 ${approved}
          order by r.row_number limit $3`,
        [s.id, after, PAGE],
      );
      for (const r of rows) {
        sheet.add([
          r.rowNumber,
          r.idNumber,
          r.name,
          money(r.amount),
          day(r.startDate),
          r.note,
          ...(approvedOnly ? [] : [VERDICT_NAMES[r.verdict] ?? r.verdict, (r.reasonCodes as string[]).join('、')]),
          r.decision ? EVALUATION_NAMES[r.decision] ?? r.decision : null,
          r.evaluationNote,
          r.approvalRef,
          r.decidedBy,
          day(shanghaiTime(r.decidedAt)?.toISOString()),
        ]);
      }
      await drained(res);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].rowNumber;
    }
    sheet.done();
    await book.commit();
  });
}
