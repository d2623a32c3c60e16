import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { plannedRead } from '../requestPlan';
import type { ApiContext } from '../context';
import { badInput, programmeArgument, yearArgument } from '../argumentChecks';
import { decodeCursor, encodeCursor, pageSize } from '../connection';
import { HouseholdFilter } from '../inputs';
import { Bound } from '../where/comparisons';
import { HouseholdWhere, householdWhereSql } from '../where/HouseholdWhere';
import { keysetPage } from '../where/ordering';
import { listReads, PageTotal, SharedSets } from '../where/listTotal';
import { HOUSEHOLD_ORDER, HouseholdOrderBy } from '../where/orderings';
import type { HouseholdRow, MemberRow } from '../rows';
import { DateScalar } from '../scalars';
import { BenefitType } from '../types/Benefit';
import { Connection, connectionOf } from '../types/Connection';
import { HouseholdType, MemberType } from '../types/Household';
import { PersonType } from '../types/Person';
import { RegionType } from '../types/Region';
import { regionScope } from '../../auth/viewer';
import { scopedRegionArgument } from '../scopeChecks';
import { householdRegionOf } from '../householdRegionOf';
import { seesIdentities } from '../../auth/policy';

export const HouseholdConnection = Connection('Household', HouseholdType);
type HouseholdConnection = InstanceType<typeof HouseholdConnection>;

const currentRegion = householdRegionOf('h.id');

@Resolver(() => HouseholdType)
export class HouseholdResolver {
  // Who may call these is in src/auth/fieldVisibility.ts, like every field of people's data.
  @Query(() => HouseholdType, { nullable: true, description: 'Outside the token’s region: null, as for an id nobody holds.' })
  async household(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext, @Info() info: GraphQLResolveInfo) {
    if (!/^\d{1,18}$/.test(id)) throw badInput('id: not a household id', 'id');
    const [household] = await plannedRead<HouseholdRow>(ctx, info, { loader: ctx.loaders.householdById, keys: [id] });
    return household;
  }

  @Query(() => HouseholdConnection)
  async households(
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => HouseholdFilter, { nullable: true, deprecationReason: 'use where' }) filter?: HouseholdFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('where', () => HouseholdWhere, { nullable: true, description: 'a boolean expression (api.md, Analysts); its dates default to today' }) whereArg?: HouseholdWhere | null,
    @Arg('orderBy', () => HouseholdOrderBy, { nullable: true, description: 'default: by id; the id breaks ties' }) orderBy?: HouseholdOrderBy | null,
  ): Promise<HouseholdConnection> {
    const size = pageSize(first);
    // an ordered list's cursor carries its sort value (./where/ordering.ts)
    const afterId = orderBy ? null : decodeCursor('household', after);
    const region = await scopedRegionArgument(ctx, filter?.regionCode);
    const programmes = await programmeArgument(ctx, filter?.programme);
    const params: unknown[] = [];
    const where = [regionScope(ctx.viewer, ctx.hub.config.city, currentRegion, params)];
    if (region && region !== ctx.hub.config.city) {
      params.push(`${region}%`);
      where.push(`${currentRegion} like $${params.length}`);
    }
    if (programmes) {
      params.push(programmes, filter?.activeOn ?? ctx.today);
      const [codes, day] = [`$${params.length - 1}`, `$${params.length}`];
      where.push(`exists (
        select 1 from benefit b
         where b.household_id = h.id and b.retired_at is null and b.programme_code = any(${codes}::text[])
           and weijiu_active(b.valid_from, b.valid_to, ${day}::date))`);
    }
    // analysts (issue 17): the boolean expression, its values bound after the filter's
    // its sets worked out once for the page and its count (../where/listTotal.ts)
    const shared = new SharedSets();
    if (whereArg) where.push(householdWhereSql(whereArg, { day: ctx.today, city: ctx.hub.config.city, bound: new Bound(params), shared }));
    const countWhere = [...where];
    const countParams = [...params];
    if (afterId) {
      params.push(afterId);
      where.push(`h.id > $${params.length}`);
    }
    let order = 'h.id';
    let from = 'household h';
    let sortValue = '';
    // the page's nodes come from the household loader; the cursors' sort values from the page's own statement
    const sortValues = new Map<string, string | null>();
    let cursorOf = (h: HouseholdRow) => encodeCursor('household', h.id);
    if (orderBy) {
      // a computed value worked out once per household, for the order, the seek and the cursor
      from = `household h cross join lateral (select ${HOUSEHOLD_ORDER[orderBy.field].expr} as v offset 0) o`;
      const column = { expr: 'o.v', cast: HOUSEHOLD_ORDER[orderBy.field].cast };
      const page = keysetPage({ kind: 'household', field: orderBy.field, direction: orderBy.direction, column, idExpr: 'h.id', after, params });
      if (page.seek) where.push(page.seek);
      order = page.orderBy;
      sortValue = `, ${page.sortValue} as "sortValue"`;
      cursorOf = (h) => page.cursor(h.id, sortValues.get(h.id) ?? null);
    }
    const hadCursor = after !== null && after !== undefined;
    const counted = `select count(*)::int from household h where ${countWhere.join(' and ')}`;
    const apart = async () => (await ctx.hub.pool.query<{ count: number }>(`${shared.with}${counted}`, countParams)).rows[0]!.count;
    const reads = listReads(ctx, info);
    if (reads.total && !reads.rows) return connectionOf(HouseholdConnection, [] as HouseholdRow[], size, hadCursor, cursorOf, apart);
    const total = new PageTotal(reads.total);
    params.push(size + 1);
    const households = (
      await plannedRead<HouseholdRow>(ctx, info, {
        sql: `${shared.with}select h.id::text as id${sortValue}${total.column(counted)} from ${from} where ${where.join(' and ')} order by ${order} limit $${params.length}`,
        params,
        nodes: ctx.loaders.householdById,
        seen: (rows) => rows.forEach((r) => (total.take(r), sortValues.set(String(r.id), r.sortValue ?? null))),
      })
    ).filter((h): h is HouseholdRow => !!h && !(h instanceof Error));
    return connectionOf(HouseholdConnection, households, size, hadCursor, cursorOf, () => total.count(hadCursor, apart));
  }

  @FieldResolver(() => String, { nullable: true })
  address(@Root() h: HouseholdRow, @Ctx() ctx: ApiContext): string | null {
    return seesIdentities(ctx.viewer) ? h.address : null;
  }

  @FieldResolver(() => PersonType, { nullable: true, description: '户主 the head' })
  head(@Root() h: HouseholdRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.personById.load(h.headPersonId);
  }

  @FieldResolver(() => [MemberType], {
    description: 'the people listed in the newest version of its records; for a housing applicant’s own household, the applicant whose household it is on asOf (default today)',
  })
  members(
    @Root() h: HouseholdRow,
    @Ctx() ctx: ApiContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ) {
    return ctx.loaders.membersOfHousehold(asOf ?? ctx.today).load(h.id);
  }

  @FieldResolver(() => RegionType, { nullable: true })
  region(@Root() h: HouseholdRow, @Ctx() ctx: ApiContext) {
    return h.regionCode ? ctx.loaders.regionByCode.load(h.regionCode) : null;
  }

  @FieldResolver(() => [BenefitType], { description: 'household-level benefits and its members’ enrollments (DB, DSR, TK, …)' })
  benefits(
    @Root() h: HouseholdRow,
    @Ctx() ctx: ApiContext,
    @Arg('activeOn', () => DateScalar, { nullable: true }) activeOn?: string | null,
    @Arg('year', () => Int, { nullable: true }) year?: number | null,
  ) {
    if (activeOn && year) throw badInput('give activeOn or year, not both', 'year');
    return ctx.loaders.benefitsOfHousehold({ activeOn, year: yearArgument(year) }).load(h.id);
  }
}

@Resolver(() => MemberType)
export class MemberResolver {
  @FieldResolver(() => PersonType, { nullable: true })
  person(@Root() m: MemberRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.personById.load(m.personId);
  }
}
