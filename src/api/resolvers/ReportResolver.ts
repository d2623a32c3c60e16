import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput } from '../argumentChecks';
import { decodeCursor, encodeCursor, pageSize } from '../connection';
import { Connection, connectionOf } from '../types/Connection';
import { CoverageType } from '../types/Finding';
import { ReportType, SourceType } from '../types/Report';
import { reportReadsOf, type FrozenReport } from '../reportReads';
import { disclosedCoverage } from './CoverageResolver';
import { monthBounds, ReportMonthInvalid } from '../../rules/reports/monthlyReport';
import { sourceFigures, sourceSettings } from '../../rules/reports/sources';

export const ReportConnection = Connection('Report', ReportType);
type ReportConnection = InstanceType<typeof ReportConnection>;

/** The frozen report as the Report type carries it; coverage is resolved when asked. */
function reportOf(r: FrozenReport): ReportType {
  return { month: r.month, asOf: r.asOf, madeAt: r.madeAt, findings: r.findings, screenings: r.screenings, sources: r.sources };
}

/**
 * 月报 and 数据研判 (office.md "Monthly reports", api.md "Sources"). Who reads which field is
 * fieldVisibility.ts's block for issue 15; a TOWN reader gets its region's part of a report.
 */
@Resolver(() => ReportType)
export class ReportResolver {
  @Query(() => ReportConnection, { description: 'The monthly reports made, newest month first.' })
  async reports(
    @Ctx() ctx: ApiContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ReportConnection> {
    const size = pageSize(first);
    const cursor = decodeCursor('report', after);
    const afterMonth = cursor ? `${cursor.slice(0, 4)}-${cursor.slice(4, 6)}` : null;
    const reads = reportReadsOf(ctx);
    const months = await reads.months(size, afterMonth);
    const reports = (await Promise.all(months.map((m) => reads.report(m)))).filter((r): r is FrozenReport => r !== null).map(reportOf);
    return connectionOf(ReportConnection, reports, size, afterMonth !== null, (r) => encodeCursor('report', r.month.replace('-', '')), () => reads.count());
  }

  @Query(() => ReportType, { nullable: true, description: 'The report of a month (YYYY-MM); null when it was not made.' })
  async report(@Ctx() ctx: ApiContext, @Arg('month', () => String) month: string): Promise<ReportType | null> {
    try {
      monthBounds(month);
    } catch (e) {
      if (e instanceof ReportMonthInvalid) throw badInput(`month: ${e.message}`, 'month');
      throw e;
    }
    const r = await reportReadsOf(ctx).report(month);
    return r ? reportOf(r) : null;
  }

  @FieldResolver(() => CoverageType, { description: 'the city (TOWN: its region) as frozen, its children at every level' })
  async coverage(@Root() r: ReportType, @Ctx() ctx: ApiContext): Promise<CoverageType> {
    const code = ctx.viewer.regionPrefix;
    const frozen = await reportReadsOf(ctx).region(r.month, code);
    const figures = frozen ?? { persons: 0, byCategory: {}, openFindings: {}, residents: null, name: code };
    return disclosedCoverage(ctx, code, r.asOf, figures, { month: r.month, name: figures.name });
  }

  @Query(() => [SourceType], { description: "数据研判 each department's feed: data date, staleness, quarantine, match rate, conflicts (api.md \"Sources\")." })
  async sources(@Ctx() ctx: ApiContext): Promise<SourceType[]> {
    return sourceFigures(ctx.hub.pool, sourceSettings(ctx.hub.config.connectors, ctx.hub.catalogue));
  }
}
