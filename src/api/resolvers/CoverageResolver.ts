import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { scopedRegionArgument } from '../scopeChecks';
import { DateScalar } from '../scalars';
import { CoverageType, RecipientCategory } from '../types/Finding';
import { disclosedCount } from '../../auth/disclosure';

const CATEGORIES = Object.values(RecipientCategory);

/** A region's figures, each count disclosed as the viewer may see it (exact, or rounded and suppressed for ANALYST). */
async function coverage(ctx: ApiContext, regionCode: string, asOf: string): Promise<CoverageType> {
  const figures = await ctx.loaders.rules.coverageOf(asOf).load(regionCode);
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
      Object.entries(figures.openFindings).map(async ([rule, count]) => {
        const n = await disclose(count);
        return { rule, count: n.value, suppressed: n.suppressed };
      }),
    ),
  };
}

@Resolver(() => CoverageType)
export class CoverageResolver {
  @Authorized('coverage')
  @Query(() => CoverageType, {
    description:
      'The nine categories and open findings of a region (and its children), as of a date (default today). FORBIDDEN outside the token’s region. ' +
      'ANALYST: asOf is taken as its month’s last day, and counts are rounded to 5 or suppressed under min_cell_size.',
  })
  async coverage(
    @Ctx() ctx: ApiContext,
    @Arg('regionCode', () => String) regionCode: string,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ): Promise<CoverageType> {
    const code = (await scopedRegionArgument(ctx, regionCode))!;
    // A given asOf arrives by month for ANALYST already (disclosure.ts); ctx.today is by month for it too.
    return coverage(ctx, code, asOf ?? ctx.today);
  }

  @FieldResolver(() => [CoverageType], { description: 'the same figures for each region one level down' })
  async children(@Root() c: CoverageType, @Ctx() ctx: ApiContext): Promise<CoverageType[]> {
    const regions = await ctx.loaders.childrenOfRegion.load(c.regionCode);
    return Promise.all(regions.map((r) => coverage(ctx, r.code, c.asOf)));
  }
}
