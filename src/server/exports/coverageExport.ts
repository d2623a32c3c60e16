import type { RequestHandler } from 'express';
import { withinScope } from '../../auth/viewer';
import { coverageFigures } from '../../rules/reports/coverageFigures';
import { dateParameter, exportHandler, ExportForbidden, ExportInputError, queryParameter, REGION_CODE, type ExportOptions } from './exportRequest';
import { titledSheet, xlsxResponse, type Column } from './xlsxStream';

/** 9类救助对象, in the order of api.md's RecipientCategory. */
export const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  DIBAO: '低保',
  TEKUN: '特困',
  TEMPORARY: '临时救助',
  DISABLED: '残疾人',
  CHILD_IN_DIFFICULTY: '困境儿童',
  LEFT_BEHIND: '三留守',
  REGISTERED_POOR: '建档立卡贫困',
  LOW_INCOME: '低收入家庭',
  VAGRANT: '流浪乞讨',
};

/**
 * `GET /api/exports/coverage.xlsx?regionCode=&asOf=` (office.md "Exports"): the region and its
 * children, one row each (code and name), one column per category, then people covered,
 * residents and findings open on asOf by rule — the figures of GraphQL `coverage`. Counts name no
 * one: nothing to audit. OFFICE, and TOWN inside its region (default: the token's region).
 */
export function coverageExport(opts: ExportOptions): RequestHandler {
  return exportHandler(opts, ['OFFICE', 'TOWN'], async (viewer, req, res) => {
    const regionCode = queryParameter(req, 'regionCode') ?? viewer.regionPrefix;
    if (!REGION_CODE.test(regionCode)) throw new ExportInputError('regionCode: not a region code (4, 6, 9 or 12 digits)', 'regionCode');
    const asOf = dateParameter(req, 'asOf') ?? opts.today();
    if (!withinScope(viewer, regionCode)) throw new ExportForbidden(`regionCode: ${regionCode} is outside the token's region`);
    const regions = await opts.pool.query<{ code: string; name: string; level: string }>(
      `(select code, name, level from region where code = $1) union all (select code, name, level from region where parent_code = $1 order by code)`,
      [regionCode],
    );
    if (regions.rows[0]?.code !== regionCode) throw new ExportInputError(`regionCode: no region ${regionCode} in the city`, 'regionCode');
    const figures = await coverageFigures(opts.pool, asOf, opts.city, regions.rows.map((r) => r.code));
    const rules = [...new Set([...figures.values()].flatMap((f) => Object.keys(f.openFindings)))].sort();
    const categories = Object.keys(CATEGORY_NAMES);
    const columns: Column[] = [
      { header: '区划代码', width: 14 },
      { header: '区划名称', width: 24 },
      ...categories.map((c) => ({ header: CATEGORY_NAMES[c]!, kind: 'count' as const })),
      { header: '覆盖人数', kind: 'count' },
      { header: '常住人口', kind: 'count' },
      ...rules.map((r) => ({ header: `未结疑点 ${r}`, kind: 'count' as const })),
    ];
    const book = xlsxResponse(res, `覆盖情况-${regionCode}-${asOf}.xlsx`);
    const sheet = titledSheet(book, '覆盖情况', `${regions.rows[0]!.name}（${regionCode}）救助对象覆盖情况，截至 ${asOf}`, columns);
    for (const r of regions.rows) {
      const f = figures.get(r.code)!;
      sheet.add([r.code, r.name, ...categories.map((c) => f.byCategory[c] ?? 0), f.persons, f.residents, ...rules.map((x) => f.openFindings[x] ?? 0)]);
    }
    sheet.done();
    await book.commit();
  });
}
