import type { RequestHandler } from 'express';
import { maskIdNumber, maskIdNumbersIn } from '../../identity';
import { maskName } from '../../auth/masking';
import { regionScope, withinScope, type Viewer } from '../../auth/viewer';
import { ruleCatalogue } from '../../rules/catalogue';
import { exportAudit, exportHandler, ExportForbidden, ExportInputError, listParameter, queryParameter, REGION_CODE, type ExportOptions } from './exportRequest';
import { day, drained, shanghaiTime, titledSheet, xlsxResponse } from './xlsxStream';

const RULES = new Map(ruleCatalogue.map((r) => [r.code, r]));
const KINDS = ['DUAL_BENEFIT', 'GAP', 'COMPLIANCE'];
const STATUSES = ['OPEN', 'CONFIRMED', 'DISMISSED', 'EXCEPTION', 'CLEARED'];
export const STATUS_NAMES: Readonly<Record<string, string>> = { OPEN: '待核查', CONFIRMED: '已确认', DISMISSED: '已排除', EXCEPTION: '特殊情形', CLEARED: '已消除' };
const DECISION_NAMES: Readonly<Record<string, string>> = { CONFIRM: '确认', DISMISS: '排除', EXCEPTION: '特殊情形' };
/** rows read per statement: keyset pages by id, so memory holds one page whatever the total */
const PAGE = 2000;

/**
 * A household's region as Household.region shows it (src/api/householdRegionOf.ts: the export is
 * beside the API, not above it, so the expression is repeated here).
 */
const householdRegion = (id: string) => `coalesce(
    (select r.region_code from weijiu_household_region() r where r.household_id = ${id}),
    (select hr.region_code from household_record hr where hr.household_id = ${id} and hr.retired_at is null
      order by weijiu_feed_rank(hr.feed), hr.record_key limit 1))`;

/** Whether a region-scoped reader may see whom a finding is about (as src/api/ruleLoaders.ts findingSubjectInScope). */
function subjectInScope(viewer: Viewer, city: string, params: unknown[]): string {
  if (viewer.regionPrefix === city) return 'true';
  const person = regionScope(viewer, city, 'sp.region_code', params);
  const household = regionScope(viewer, city, householdRegion('f.household_id'), params);
  return `case when f.person_id is not null then exists (select 1 from person sp where sp.id = f.person_id and ${person})
               when f.household_id is not null then coalesce(${household}, false)
               else true end`;
}

/**
 * `GET /api/exports/findings.xlsx?rule=&kind=&status=&regionCode=` (the FindingFilter fields; a
 * list repeated or comma-separated): every matching finding, newest first, one row each — rule,
 * title, the subject's 身份证号 and name as the reader may see them (masked where the subject
 * lives outside a TOWN's region, as GraphQL does), region, clauses, period, status, decision and
 * the evidence's source records. Audited as a read of every subject shown, before the first byte.
 */
export function findingsExport(opts: ExportOptions): RequestHandler {
  return exportHandler(opts, ['OFFICE', 'TOWN'], async (viewer, req, res) => {
    const rule = listParameter(req, 'rule');
    const unknown = (rule ?? []).filter((r) => !RULES.has(r));
    if (unknown.length) throw new ExportInputError(`rule: unknown rule ${unknown.map((r) => `"${r.slice(0, 10)}"`).join(', ')}`, 'rule');
    const kind = listParameter(req, 'kind');
    if (kind?.some((k) => !KINDS.includes(k))) throw new ExportInputError(`kind: one of ${KINDS.join(', ')}`, 'kind');
    const status = listParameter(req, 'status');
    if (status?.some((s) => !STATUSES.includes(s))) throw new ExportInputError(`status: one of ${STATUSES.join(', ')}`, 'status');
    const regionCode = queryParameter(req, 'regionCode');
    if (regionCode !== null && !REGION_CODE.test(regionCode)) throw new ExportInputError('regionCode: not a region code (4, 6, 9 or 12 digits)', 'regionCode');
    if (regionCode !== null && !withinScope(viewer, regionCode)) throw new ExportForbidden(`regionCode: ${regionCode} is outside the token's region`);
    const assignedTo = queryParameter(req, 'assignedTo');
    const overdue = queryParameter(req, 'overdue');
    if (overdue !== null && overdue !== 'true' && overdue !== 'false') throw new ExportInputError('overdue: true or false', 'overdue');
    const today = opts.today();

    const params: unknown[] = [];
    const where = [regionScope(viewer, opts.city, "coalesce(f.region_code, '')", params)];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (rule?.length) add((p) => `f.rule = any(${p}::text[])`, rule);
    if (kind?.length) add((p) => `f.kind = any(${p}::text[])`, kind);
    if (status?.length) add((p) => `f.status = any(${p}::text[])`, status);
    if (regionCode && regionCode !== opts.city) add((p) => `f.region_code like ${p}`, `${regionCode}%`);
    // exchange (issue 16): the newest assignment decides whom a finding is assigned to and when it is due
    const newest = (col: string) => `(select a.${col} from finding_assignment a where a.finding_id = f.id order by a.id desc limit 1)`;
    if (assignedTo) add((p) => `coalesce(${newest('to_department')}, ${newest('to_region_code')}) = ${p}`, assignedTo.trim());
    if (overdue !== null) {
      add(
        (p) => `${overdue === 'true' ? '' : 'not '}coalesce(${newest('due_on')} < ${p}::date
                 and not exists (select 1 from finding_verification v where v.finding_id = f.id), false)`,
        today,
      );
    }
    const scopeParams = [...params];
    const inScope = subjectInScope(viewer, opts.city, scopeParams);

    // whom the export names, audited before it leaves (set-based: one statement)
    const subjects = await opts.pool.query<{ persons: string[]; households: string[] }>(
      `select coalesce(array_agg(distinct f.person_id::text) filter (where f.person_id is not null), '{}') as persons,
              coalesce(array_agg(distinct f.household_id::text) filter (where f.household_id is not null), '{}') as households
         from finding f where ${where.join(' and ')} and ${inScope}`,
      scopeParams,
    );
    await opts.audit(exportAudit(viewer, req, 'findings.xlsx', subjects.rows[0]!.persons, subjects.rows[0]!.households));

    const filterText = [rule && `规则 ${rule.join('、')}`, kind && `类型 ${kind.join('、')}`, status && `状态 ${status.map((s) => STATUS_NAMES[s]).join('、')}`, regionCode && `区划 ${regionCode}`]
      .filter(Boolean)
      .join('，');
    const book = xlsxResponse(res, `疑点清单-${today}.xlsx`);
    const sheet = titledSheet(book, '疑点清单', `疑点清单（${filterText || '全部'}），导出于 ${today}`, [
      { header: '编号', kind: 'text', width: 10 },
      { header: '规则', width: 8 },
      { header: '规则名称', width: 28 },
      { header: '身份证号', width: 22 },
      { header: '姓名', width: 10 },
      { header: '区划代码', width: 14 },
      { header: '区划名称', width: 20 },
      { header: '政策条款', width: 30 },
      { header: '期间起', kind: 'date', width: 12 },
      { header: '期间止', kind: 'date', width: 12 },
      { header: '状态', width: 10 },
      { header: '发现时间', kind: 'date', width: 12 },
      { header: '决定', width: 10 },
      { header: '决定理由', width: 30 },
      { header: '批准文号', width: 16 },
      { header: '证据来源记录', width: 60 },
    ]);
    let after: string | null = null;
    for (;;) {
      const pageParams = [...scopeParams];
      const keyset: string = after === null ? 'true' : `f.id < $${pageParams.push(after)}`;
      pageParams.push(PAGE);
      const { rows }: { rows: any[] } = await opts.pool.query(
        `select f.id::text as id, f.rule, f.clauses, f.period_start::text as "periodStart", f.period_end::text as "periodEnd", f.status,
                f.region_code as "regionCode", rg.name as "regionName", f.opened_at as "openedAt", f.evidence,
                subj.id_number as "idNumber", subj.name, ${inScope} as "inScope",
                d.decision, d.reason, d.approval_ref as "approvalRef"
           from finding f
           left join household h on h.id = f.household_id
           left join person subj on subj.id = coalesce(f.person_id, h.head_person_id)
           left join region rg on rg.code = f.region_code
           left join lateral (select decision, reason, approval_ref from finding_decision fd where fd.finding_id = f.id
                               order by fd.decided_at desc, fd.id desc limit 1) d on true
          where ${where.join(' and ')} and ${keyset}
          order by f.id desc limit $${pageParams.length}`,
        pageParams,
      );
      for (const f of rows) {
        const sees = f.inScope === true;
        const evidence = sees ? (f.evidence as { feed: string; stream: string; recordKey: string }[]) : [];
        sheet.add([
          f.id,
          f.rule,
          RULES.get(f.rule)?.titleZh ?? '',
          f.idNumber ? (sees ? f.idNumber : maskIdNumber(f.idNumber)) : null,
          f.name ? (sees ? f.name : maskName(f.name)) : null,
          f.regionCode,
          f.regionName,
          (f.clauses as string[]).join('；'),
          day(f.periodStart),
          day(f.periodEnd),
          STATUS_NAMES[f.status] ?? f.status,
          day(shanghaiTime(f.openedAt)?.toISOString()),
          f.decision ? DECISION_NAMES[f.decision] ?? f.decision : null,
          sees ? f.reason : null,
          sees ? f.approvalRef : null,
          evidence.map((e) => `${e.feed}/${e.stream}/${sees ? e.recordKey : maskIdNumbersIn(e.recordKey)}`).join('\n'),
        ]);
      }
      await drained(res);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    sheet.done();
    await book.commit();
  });
}
