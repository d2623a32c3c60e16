import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { scopedRegionArgument } from '../scopeChecks';
import { DateScalar } from '../scalars';
import { CoverageType, RecipientCategory } from '../types/Finding';
import { OverdueCountType } from '../types/Exchange';
import { disclosedCount } from '../../auth/disclosure';
import type { CoverageFigures } from '../../rules/reports/coverageFigures';
import { monthBounds, previousMonth } from '../../rules/reports/monthlyReport';
import { reportReadsOf } from '../reportReads';

const CATEGORIES = Object.values(RecipientCategory);

/** A region's figures, each count disclosed as the viewer may see it (exact, or rounded and suppressed for ANALYST). */
export async function disclosedCoverage(
  ctx: ApiContext,
  regionCode: string,
  asOf: string,
  figures: CoverageFigures,
  frozen?: { month: string; name: string },
): Promise<CoverageType> {
  const disclose = (n: number) => disclosedCount(ctx, n, { regionCode, day: asOf });
  const persons = await disclose(figures.persons);
  return {
    regionCode,
    asOf,
    persons: persons.value,
    personsSuppressed: persons.suppressed,
    byCategory: await Promise.all(
      CATEGORIES.map(async (category) => {
        const n = await disclose(figures.byCategory[category] ?? 0);
        return { category, persons: n.value, suppressed: n.suppressed };
      }),
    ),
    openFindings: await Promise.all(
      Object.entries(figures.openFindings)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(async ([rule, count]) => {
          const n = await disclose(count);
          return { rule, count: n.value, suppressed: n.suppressed };
        }),
    ),
    residentsValue: figures.residents,
    reportMonth: frozen?.month,
    frozenName: frozen?.name,
  };
}

/** A region's figures as of a date, computed now. */
export async function coverage(ctx: ApiContext, regionCode: string, asOf: string): Promise<CoverageType> {
  return disclosedCoverage(ctx, regionCode, asOf, await ctx.loaders.rules.coverageOf(asOf).load(regionCode));
}

/** Whether the field's own selection names `name` (directly: a look-ahead, not a promise). */
function asksFor(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((n) => n.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name.value === name));
}

/** The same day a month earlier (the 31st becomes the month's last day). */
function aMonthEarlier(day: string): string {
  const month = previousMonth(day.slice(0, 7));
  const last = monthBounds(month).last;
  const d = `${month}-${day.slice(8, 10)}`;
  return d > last ? last : d;
}

@Resolver(() => CoverageType)
export class CoverageResolver {
  @Authorized('coverage')
  @Query(() => CoverageType, {
    description:
      'The nine categories and findings open on a date (default today) of a region (and its children). FORBIDDEN outside the token’s region. ' +
      'ANALYST: asOf is taken as its month’s last day, and counts are rounded to 5 or suppressed under min_cell_size.',
  })
  async coverage(
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('regionCode', () => String) regionCode: string,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ): Promise<CoverageType> {
    const code = (await scopedRegionArgument(ctx, regionCode))!;
    // A given asOf arrives by month for ANALYST already (disclosure.ts); ctx.today is by month for it too.
    const day = asOf ?? ctx.today;
    // Asked with its children, the region and its children are counted in one batch: each batch
    // works out everyone's categories on the day once, whatever the regions (seconds at Weihai scale).
    const [children, frozenBefore] = await Promise.all([
      asksFor(info, 'children') ? ctx.loaders.childrenOfRegion.load(code) : [],
      asksFor(info, 'previous') ? reportReadsOf(ctx).region(previousMonth(day.slice(0, 7)), code) : null,
    ]);
    void ctx.loaders.rules.coverageOf(day).loadMany(children.map((r) => r.code));
    // the month before, where no report froze it, is counted at the same time (on another connection)
    if (asksFor(info, 'previous') && !frozenBefore) void ctx.loaders.rules.coverageOf(aMonthEarlier(day)).load(code).catch(() => undefined);
    return coverage(ctx, code, day);
  }

  @FieldResolver(() => String, { description: "the region's Chinese name" })
  async name(@Root() c: CoverageType, @Ctx() ctx: ApiContext): Promise<string> {
    if (c.frozenName !== undefined) return c.frozenName;
    return (await ctx.loaders.regionByCode.load(c.regionCode))?.name ?? c.regionCode;
  }

  @FieldResolver(() => Int, { nullable: true, description: '常住人口 of region-stats for the year of asOf (its own figure, else the sum of the regions under it that have one); null when unknown' })
  residents(@Root() c: CoverageType): number | null {
    return c.residentsValue ?? null;
  }

  @FieldResolver(() => [OverdueCountType], {
    description:
      '逾期未反馈 by assignee (a department or a region code), most first: findings open on asOf in the region whose newest assignment made by then was due before asOf, with no report back by then',
  })
  async overdue(@Root() c: CoverageType, @Ctx() ctx: ApiContext): Promise<OverdueCountType[]> {
    // counted from the history as of asOf, so a report's month end reads the same later
    const figures = await ctx.loaders.rules.overdueOf(c.asOf).load(c.regionCode);
    return Promise.all(
      figures.map(async (o) => {
        const n = await disclosedCount(ctx, o.count, { regionCode: c.regionCode, day: c.asOf });
        return { assignedTo: o.assignedTo, count: n.value, suppressed: n.suppressed };
      }),
    );
  }

  @FieldResolver(() => [CoverageType], { description: 'the same figures for each region one level down' })
  async children(@Root() c: CoverageType, @Ctx() ctx: ApiContext): Promise<CoverageType[]> {
    if (c.reportMonth) {
      const month = c.reportMonth;
      const frozen = await reportReadsOf(ctx).childrenOf(month, c.regionCode);
      return Promise.all(frozen.map((r) => disclosedCoverage(ctx, r.code, c.asOf, r, { month, name: r.name })));
    }
    const regions = await ctx.loaders.childrenOfRegion.load(c.regionCode);
    return Promise.all(regions.map((r) => coverage(ctx, r.code, c.asOf)));
  }

  @FieldResolver(() => CoverageType, {
    nullable: true,
    description: "the same region a month earlier: from that month's report when one was made (asOf its last day), else computed as of the same day a month before",
  })
  async previous(@Root() c: CoverageType, @Ctx() ctx: ApiContext): Promise<CoverageType | null> {
    const month = previousMonth(c.asOf.slice(0, 7));
    const frozen = await reportReadsOf(ctx).region(month, c.regionCode);
    if (frozen) return disclosedCoverage(ctx, c.regionCode, monthBounds(month).last, frozen, { month, name: frozen.name });
    // a report's figure compares with the month before's end; any other day with the same day then
    return coverage(ctx, c.regionCode, c.reportMonth ? monthBounds(month).last : aMonthEarlier(c.asOf));
  }
}
