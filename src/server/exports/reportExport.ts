import type { RequestHandler } from 'express';
import { ruleCatalogue } from '../../rules/catalogue';
import type { CoverageFigures } from '../../rules/reports/coverageFigures';
import { monthBounds, REPORT_COLUMNS, REPORT_REGION_COLUMNS, reportPart, ReportMonthInvalid } from '../../rules/reports/monthlyReport';
import { CATEGORY_NAMES } from './coverageExport';
import { exportHandler, ExportInputError, ExportNotFound, type ExportOptions } from './exportRequest';
import { day, drained, shanghaiTime, titledSheet, xlsxResponse, type Column } from './xlsxStream';

const TITLES = new Map(ruleCatalogue.map((r) => [r.code, r.titleZh]));
const LEVEL_NAMES: Readonly<Record<string, string>> = { 4: '市', 6: '县（市、区）', 9: '镇（街道）', 12: '村（社区）' };

/**
 * `GET /api/exports/reports/{YYYY-MM}.xlsx` — a monthly report as frozen, one sheet per table:
 * coverage of every region (TOWN: of its region), findings by rule, screenings and their
 * evaluation counts, and the sources' data dates. Counts only: nothing to audit.
 */
export function reportExport(opts: ExportOptions): RequestHandler {
  return exportHandler(opts, ['OFFICE', 'TOWN'], async (viewer, req, res) => {
    const month = String(req.params.month ?? '');
    try {
      monthBounds(month);
    } catch (e) {
      if (e instanceof ReportMonthInvalid) throw new ExportInputError(`month: ${e.message}`, 'month');
      throw e;
    }
    const head = await opts.pool.query(`select ${REPORT_COLUMNS} from monthly_report where month = $1`, [month]);
    if (!head.rows[0]) throw new ExportNotFound(`no report of ${month} was made (weijiu report month ${month})`);
    const report = reportPart(head.rows[0], viewer.regionPrefix, opts.city);
    const regions = await opts.pool.query<CoverageFigures & { code: string; name: string }>(
      `select ${REPORT_REGION_COLUMNS} from monthly_report_region where month = $1 and starts_with(region_code, $2) order by region_code`,
      [month, viewer.regionPrefix],
    );
    const scope = regions.rows[0] ? `${regions.rows[0].name}（${regions.rows[0].code}）` : viewer.regionPrefix;
    const book = xlsxResponse(res, `月报-${month}.xlsx`);
    const title = (what: string) => `${scope} ${month} 月报：${what}，截至 ${report.asOf}`;

    const categories = Object.keys(CATEGORY_NAMES);
    const rules = [...new Set(regions.rows.flatMap((r) => Object.keys(r.openFindings)))].sort();
    const coverage = titledSheet(book, '覆盖情况', title('救助对象覆盖情况'), [
      { header: '区划代码', width: 14 },
      { header: '区划名称', width: 24 },
      { header: '层级', width: 12 },
      ...categories.map((c): Column => ({ header: CATEGORY_NAMES[c]!, kind: 'count' })),
      { header: '覆盖人数', kind: 'count' },
      { header: '常住人口', kind: 'count' },
      ...rules.map((r): Column => ({ header: `未结疑点 ${r}`, kind: 'count' })),
    ]);
    for (const r of regions.rows) {
      coverage.add([
        r.code, r.name, LEVEL_NAMES[r.code.length] ?? '', ...categories.map((c) => r.byCategory[c] ?? 0), r.persons, r.residents,
        ...rules.map((x) => r.openFindings[x] ?? 0),
      ]);
      await drained(res);
    }
    coverage.done();

    const findings = titledSheet(book, '疑点统计', title('疑点按规则统计（本月新发现、消除、作出决定，月末未结）'), [
      { header: '规则', width: 8 },
      { header: '规则名称', width: 30 },
      { header: '本月发现', kind: 'count' },
      { header: '本月消除', kind: 'count' },
      { header: '本月决定', kind: 'count' },
      { header: '月末未结', kind: 'count' },
    ]);
    for (const f of report.findings) findings.add([f.rule, TITLES.get(f.rule) ?? '', f.opened, f.cleared, f.decided, f.openAtEnd]);
    findings.done();

    const screenings = titledSheet(book, '筛选评估', title('逐一筛选比对与评估'), [
      { header: '编号', width: 8 },
      { header: '名单', width: 30 },
      { header: '项目', width: 10 },
      { header: '年度', kind: 'count', width: 8 },
      { header: '区划代码', width: 14 },
      { header: '行数', kind: 'count' },
      { header: '通过', kind: 'count' },
      { header: '需核实', kind: 'count' },
      { header: '提请领导小组', kind: 'count' },
      { header: '不予通过', kind: 'count' },
      { header: '评估同意', kind: 'count' },
      { header: '评估不同意', kind: 'count' },
      { header: '转核', kind: 'count' },
    ]);
    for (const s of report.screenings) {
      screenings.add([s.screeningId, s.title, s.programmeCode, s.year, s.regionCode, s.rows, s.pass, s.review, s.leadingGroup, s.reject, s.approved, s.rejected, s.referred]);
    }
    screenings.done();

    const sources = titledSheet(book, '数据来源', title('各部门数据的时效与质量（制表时）'), [
      { header: '数据源', width: 16 },
      { header: '部门', width: 16 },
      { header: '最近成功同步', kind: 'date', width: 14 },
      { header: '数据日期', kind: 'date', width: 12 },
      { header: '时限（天）', kind: 'count' },
      { header: '是否过期', width: 10 },
      { header: '记录数', kind: 'count' },
      { header: '隔离数', kind: 'count' },
      { header: '隔离比例', kind: 'share' },
      { header: '人数', kind: 'count' },
      { header: '与民政匹配率', kind: 'share' },
      { header: '冲突人数', kind: 'count' },
    ]);
    for (const s of report.sources) {
      sources.add([
        s.connector, s.department, day(shanghaiTime(s.lastSuccessAt)?.toISOString()), day(s.dataDate), s.maxAgeDays, s.stale ? '是' : '否', s.records,
        s.quarantined, s.quarantineShare, s.persons, s.matchRate, s.conflicts,
      ]);
    }
    sources.done();
    await book.commit();
  });
}
