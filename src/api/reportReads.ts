import type { Pool } from 'pg';
import type { Viewer } from '../auth/viewer';
import type { CoverageFigures } from '../rules/reports/coverageFigures';
import { REPORT_COLUMNS, REPORT_REGION_COLUMNS, reportPart, type StoredReport } from '../rules/reports/monthlyReport';

/**
 * Monthly reports as a reader may see them (api.md: OFFICE the whole, TOWN its region's part):
 * the frozen rows under the viewer's region prefix, read once per request and month.
 */
export interface FrozenRegion extends CoverageFigures {
  code: string;
  parentCode: string | null;
  name: string;
}

export type FrozenReport = StoredReport;

export class ReportReads {
  private regions = new Map<string, Promise<Map<string, FrozenRegion> | null>>();
  private reports = new Map<string, Promise<FrozenReport | null>>();

  constructor(
    private readonly pool: Pool,
    private readonly viewer: Viewer,
    private readonly city: string,
  ) {}

  /** The report of a month, its findings and screenings narrowed to the viewer's region; null when none was made. */
  report(month: string): Promise<FrozenReport | null> {
    let p = this.reports.get(month);
    if (!p) {
      p = this.pool
        .query(`select ${REPORT_COLUMNS} from monthly_report where month = $1`, [month])
        .then(({ rows }) => (rows[0] ? this.narrowed(rows[0]) : null));
      this.reports.set(month, p);
    }
    return p;
  }

  /** Newest first, after a month (exclusive), one more than asked so the page knows there is another. */
  async months(first: number, after: string | null): Promise<string[]> {
    const { rows } = await this.pool.query<{ month: string }>(
      `select month from monthly_report where ($1::text is null or month < $1) order by month desc limit $2`,
      [after, first + 1],
    );
    return rows.map((r) => r.month);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`select count(*)::int as n from monthly_report`);
    return rows[0]!.n;
  }

  /** A frozen region of a month (inside the viewer's scope), or null when the month has no report. */
  async region(month: string, code: string): Promise<FrozenRegion | null | undefined> {
    const all = await this.regionsOf(month);
    return all ? all.get(code) : null;
  }

  async childrenOf(month: string, code: string): Promise<FrozenRegion[]> {
    const all = await this.regionsOf(month);
    return all ? [...all.values()].filter((r) => r.parentCode === code) : [];
  }

  private regionsOf(month: string): Promise<Map<string, FrozenRegion> | null> {
    let p = this.regions.get(month);
    if (!p) {
      p = this.pool
        .query(
          `select ${REPORT_REGION_COLUMNS} from monthly_report_region where month = $1 and starts_with(region_code, $2) order by region_code`,
          [month, this.viewer.regionPrefix],
        )
        .then(({ rows }) => (rows.length ? new Map(rows.map((r: FrozenRegion) => [r.code, r])) : null));
      this.regions.set(month, p);
    }
    return p;
  }

  private narrowed(row: any): FrozenReport {
    return reportPart(row, this.viewer.regionPrefix, this.city);
  }
}

const perRequest = new WeakMap<object, ReportReads>();

/** One ReportReads per request (its context object). */
export function reportReadsOf(ctx: { viewer: Viewer; hub: { pool: Pool; config: { city: string } } }): ReportReads {
  let r = perRequest.get(ctx);
  if (!r) perRequest.set(ctx, (r = new ReportReads(ctx.hub.pool, ctx.viewer, ctx.hub.config.city)));
  return r;
}
