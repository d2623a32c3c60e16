import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { regionArgument } from '../argumentChecks';
import { RegionType } from '../types/Region';
import { ProgrammeType } from '../types/Programme';

@Resolver(() => RegionType)
export class RegionResolver {
  @Query(() => [RegionType], { description: 'The divisions directly under parentCode; without it, the city itself.' })
  async regions(@Ctx() ctx: ApiContext, @Arg('parentCode', () => String, { nullable: true }) parentCode?: string | null) {
    const parent = await regionArgument(ctx, parentCode, 'parentCode');
    if (!parent) return [await ctx.loaders.regionByCode.load(ctx.hub.config.city)].filter(Boolean);
    return ctx.loaders.childrenOfRegion.load(parent);
  }

  @Query(() => RegionType, { nullable: true })
  async region(@Ctx() ctx: ApiContext, @Arg('code', () => String) code: string) {
    const c = await regionArgument(ctx, code, 'code');
    return c ? ctx.loaders.regionByCode.load(c) : null;
  }

  @FieldResolver(() => RegionType, { nullable: true })
  parent(@Root() r: RegionType, @Ctx() ctx: ApiContext) {
    return r.parentCode ? ctx.loaders.regionByCode.load(r.parentCode) : null;
  }

  @FieldResolver(() => [RegionType])
  children(@Root() r: RegionType, @Ctx() ctx: ApiContext) {
    return ctx.loaders.childrenOfRegion.load(r.code);
  }

  @Query(() => [ProgrammeType], { description: 'The programme catalogue (rules.md).' })
  async programmes(@Ctx() ctx: ApiContext) {
    const { rows } = await ctx.hub.pool.query(
      `select code, name, name_en as "nameEn", source_feed as "sourceFeed", level, kind, cash from programme order by code`,
    );
    return rows;
  }
}
