import type { Pool } from 'pg';
import { coverageFigures } from './coverageFigures';
import { sourceFigures, type SourceFigures, type SourceSetting } from './sources';

/**
 * 月报 The monthly report (office.md "Monthly reports"): as of the month's last day, the coverage
 * of every region of the city, findings by rule (opened, cleared, decided that month; open at the
 * month's end), the screenings and their evaluation counts, and each source's data date. Written
 * once in one transaction; making the same month again is refused unless `replace`.
 */
export interface ReportFindingRow {
  regionCode: string;
  rule: string;
  opened: number;
  cleared: number;
  decided: number;
  openAtEnd: number;
}

export interface ReportScreeningRow {
  screeningId: string;
  title: string;
  programmeCode: string;
  year: number;
  regionCode: string;
  rows: number;
  pass: number;
  review: number;
  leadingGroup: number;
  reject: number;
  approved: number;
  rejected: number;
  referred: number;
}

export class ReportExists extends Error {}
export class ReportMonthInvalid extends Error {}

/** `YYYY-MM` → its first and last day; refuses anything else. */
export function monthBounds(month: string): { first: string; last: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new ReportMonthInvalid(`not a month: "${month.slice(0, 20)}" (write YYYY-MM, e.g. 2026-11)`);
  const days = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}` };
}

/** The month before a `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export interface MakeReportOptions {
  month: string;
  city: string;
  madeBy: string;
  sources: readonly SourceSetting[];
  replace?: boolean;
}

export async function makeMonthlyReport(pool: Pool, opts: MakeReportOptions): Promise<{ month: string; asOf: string; regions: number; replaced: boolean }> {
  const { first, last } = monthBounds(opts.month);
  const client = await pool.connect();
  try {
    await client.query('begin');
    // one maker of a month at a time (the schedule on two hubs, or a person beside it)
    await client.query(`select pg_advisory_xact_lock(hashtext('weijiu monthly report'), hashtext($1))`, [opts.month]);
    const existing = await client.query(`select 1 from monthly_report where month = $1`, [opts.month]);
    if (existing.rowCount && !opts.replace) throw new ReportExists(`the report of ${opts.month} exists and never changes (make it again with --replace)`);
    if (existing.rowCount) {
      await client.query(`delete from monthly_report_region where month = $1`, [opts.month]);
      await client.query(`delete from monthly_report where month = $1`, [opts.month]);
    }
    const regions = await client.query<{ code: string; name: string; parent_code: string | null }>(
      `select code, name, parent_code from region where starts_with(code, $1) order by code`,
      [opts.city],
    );
    const figures = await coverageFigures(client, last, opts.city, regions.rows.map((r) => r.code));
    await client.query(
      `insert into monthly_report_region (month, region_code, parent_code, name, persons, by_category, open_findings, residents)
       select $1, r.code, r.parent, r.name, r.persons, r.by_category, r.open_findings, r.residents
         from jsonb_to_recordset($2::jsonb) as r(code text, parent text, name text, persons int, by_category jsonb, open_findings jsonb, residents int)`,
      [
        opts.month,
        JSON.stringify(
          regions.rows.map((r) => {
            const f = figures.get(r.code)!;
            return { code: r.code, parent: r.parent_code, name: r.name, persons: f.persons, by_category: f.byCategory, open_findings: f.openFindings, residents: f.residents };
          }),
        ),
      ],
    );
    const findings = await client.query<ReportFindingRow>(
      `with month_findings as (
         select coalesce(f.region_code, '') as region_code, f.rule,
                (least(f.as_of, (f.opened_at at time zone 'Asia/Shanghai')::date) between $1 and $2) as opened,
                ((f.cleared_at at time zone 'Asia/Shanghai')::date between $1 and $2) as cleared,
                exists (select 1 from finding_decision fd where fd.finding_id = f.id
                          and (fd.decided_at at time zone 'Asia/Shanghai')::date between $1 and $2) as decided,
                f.id in (select o.id from weijiu_open_findings($2) o) as open_at_end
           from finding f where least(f.as_of, (f.opened_at at time zone 'Asia/Shanghai')::date) <= $2)
       select region_code as "regionCode", rule, count(*) filter (where opened)::int as opened, count(*) filter (where cleared)::int as cleared,
              count(*) filter (where decided)::int as decided, count(*) filter (where open_at_end)::int as "openAtEnd"
         from month_findings where opened or cleared or decided or open_at_end
        group by region_code, rule order by rule, region_code`,
      [first, last],
    );
    const screenings = await client.query<ReportScreeningRow>(
      `with latest as (select distinct on (e.row_id) e.row_id, e.decision from screening_evaluation e
                        where (e.decided_at at time zone 'Asia/Shanghai')::date <= $1 order by e.row_id, e.id desc)
       select s.id::text as "screeningId", s.title, s.programme_code as "programmeCode", s.year, s.region_code as "regionCode",
              count(r.id)::int as rows,
              count(*) filter (where r.verdict = 'PASS')::int as pass, count(*) filter (where r.verdict = 'REVIEW')::int as review,
              count(*) filter (where r.verdict = 'LEADING_GROUP')::int as "leadingGroup", count(*) filter (where r.verdict = 'REJECT')::int as reject,
              count(*) filter (where l.decision = 'APPROVE')::int as approved, count(*) filter (where l.decision = 'REJECT')::int as rejected,
              count(*) filter (where l.decision = 'REFER')::int as referred
         from screening s left join screening_row r on r.screening_id = s.id left join latest l on l.row_id = r.id
        where (s.created_at at time zone 'Asia/Shanghai')::date <= $1
          and (s.withdrawn_at is null or (s.withdrawn_at at time zone 'Asia/Shanghai')::date > $1)
        group by s.id order by s.id`,
      [last],
    );
    const sources = await sourceFigures(client, opts.sources);
    await client.query(`insert into monthly_report (month, as_of, made_by, findings, screenings, sources) values ($1, $2, $3, $4, $5, $6)`, [
      opts.month,
      last,
      opts.madeBy,
      JSON.stringify(findings.rows),
      JSON.stringify(screenings.rows),
      JSON.stringify(sources),
    ]);
    await client.query('commit');
    return { month: opts.month, asOf: last, regions: regions.rowCount ?? 0, replaced: !!existing.rowCount };
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** A report's sources as frozen (JSON): dates back to dates. */
export function frozenSources(json: unknown): SourceFigures[] {
  return ((json as any[]) ?? []).map((s) => ({ ...s, lastSuccessAt: s.lastSuccessAt ? new Date(s.lastSuccessAt) : null }));
}

export interface StoredReport {
  month: string;
  asOf: string;
  madeAt: Date;
  findings: ReportFindingRow[];
  screenings: ReportScreeningRow[];
  sources: SourceFigures[];
}

/**
 * A region's part of a stored report (api.md: TOWN "its region's part"): findings summed by rule
 * over the regions under `prefix` (a finding without a region is the city's), the screenings of
 * those regions; the sources whole. `prefix` is the city code for the whole report.
 */
export function reportPart(row: { month: string; asOf: string; madeAt: Date; findings: unknown; screenings: unknown; sources: unknown }, prefix: string, city: string): StoredReport {
  const findings = new Map<string, ReportFindingRow>();
  for (const f of row.findings as ReportFindingRow[]) {
    if (!(f.regionCode ? f.regionCode.startsWith(prefix) : prefix === city)) continue;
    let sum = findings.get(f.rule);
    if (!sum) findings.set(f.rule, (sum = { regionCode: prefix, rule: f.rule, opened: 0, cleared: 0, decided: 0, openAtEnd: 0 }));
    sum.opened += f.opened;
    sum.cleared += f.cleared;
    sum.decided += f.decided;
    sum.openAtEnd += f.openAtEnd;
  }
  return {
    month: row.month,
    asOf: row.asOf,
    madeAt: row.madeAt,
    findings: [...findings.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    screenings: (row.screenings as ReportScreeningRow[]).filter((x) => x.regionCode.startsWith(prefix)),
    sources: frozenSources(row.sources),
  };
}

/** The columns a stored report is read with (monthly_report). */
export const REPORT_COLUMNS = `month, as_of::text as "asOf", made_at as "madeAt", findings, screenings, sources`;

/** The columns of a report's regions (monthly_report_region), as CoverageFigures plus code, parent and name. */
export const REPORT_REGION_COLUMNS = `region_code as code, parent_code as "parentCode", name, persons, by_category as "byCategory", open_findings as "openFindings", residents`;
