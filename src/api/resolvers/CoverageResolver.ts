import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { scopedRegionArgument } from '../scopeChecks';
import { DateScalar } from '../scalars';
import { CoverageType, RecipientCategory } from '../types/Finding';

const CATEGORIES = Object.values(RecipientCategory);

async function coverage(ctx: ApiContext, regionCode: string, asOf: string): Promise<CoverageType> {
  const figures = await ctx.loaders.rules.coverageOf(asOf).load(regionCode);
  return {
    regionCode,
    asOf,
    persons: figures.persons,
    byCategory: CATEGORIES.map((category) => ({ category, persons: figures.byCategory[category] ?? 0 })),
    openFindings: Object.entries(figures.openFindings).map(([rule, count]) => ({ rule, count })),
  };
}

@Resolver(() => CoverageType)
export class CoverageResolver {
  @Authorized('coverage')
  @Query(() => CoverageType, {
    description: 'The nine categories and open findings of a region (and its children), as of a date (default today). FORBIDDEN outside the token’s region.',
  })
  async coverage(
    @Ctx() ctx: ApiContext,
    @Arg('regionCode', () => String) regionCode: string,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ): Promise<CoverageType> {
    const code = (await scopedRegionArgument(ctx, regionCode))!;
    return coverage(ctx, code, asOf ?? ctx.today);
  }

  @FieldResolver(() => [CoverageType], { description: 'the same figures for each region one level down' })
  async children(@Root() c: CoverageType, @Ctx() ctx: ApiContext): Promise<CoverageType[]> {
    const regions = await ctx.loaders.childrenOfRegion.load(c.regionCode);
    return Promise.all(regions.map((r) => coverage(ctx, r.code, c.asOf)));
  }
}
