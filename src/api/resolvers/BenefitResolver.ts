import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { plannedRead } from '../requestPlan';
import { benefitColumns, reviveBenefit } from '../batches';
import { pageSize } from '../connection';
import type { BenefitRow } from '../rows';
import { BenefitType } from '../types/Benefit';
import { Connection, connectionOf } from '../types/Connection';
import { listReads, PageTotal } from '../where/listTotal';
import { HouseholdType } from '../types/Household';
import { PersonType } from '../types/Person';
import { ProgrammeType } from '../types/Programme';
import { RegionType } from '../types/Region';
import { Bound } from '../where/comparisons';
import { BenefitWhere, benefitWhereSql } from '../where/BenefitWhere';
import { keysetPage, OrderDirection } from '../where/ordering';
import { BENEFIT_ORDER, BenefitOrderBy, BenefitOrderField } from '../where/orderings';
import { regionScope } from '../../auth/viewer';

export const BenefitConnection = Connection('Benefit', BenefitType);
type BenefitConnection = InstanceType<typeof BenefitConnection>;

@Resolver(() => BenefitType)
export class BenefitResolver {
  // Who may call it is in src/auth/fieldVisibility.ts (analysts, issue 17).
  @Query(() => BenefitConnection, { description: 'Benefits of every programme, by id unless ordered (api.md, Analysts).' })
  async benefits(
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('where', () => BenefitWhere, { nullable: true }) whereArg?: BenefitWhere | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('orderBy', () => BenefitOrderBy, { nullable: true, description: 'default: by id; the id breaks ties' }) orderBy?: BenefitOrderBy | null,
  ): Promise<BenefitConnection> {
    const size = pageSize(first);
    const params: unknown[] = [];
    // scoped as a person's and a household's benefits are
    const where = ['b.retired_at is null', regionScope(ctx.viewer, ctx.hub.config.city, "coalesce(b.region_code, '')", params)];
    if (whereArg) where.push(benefitWhereSql(whereArg, new Bound(params)));
    const countWhere = [...where];
    const countParams = [...params];
    const field = orderBy?.field ?? BenefitOrderField.ID;
    const page = keysetPage({
      kind: 'benefit', field, direction: orderBy?.direction ?? OrderDirection.ASC, column: BENEFIT_ORDER[field], idExpr: 'b.id', after, params,
    });
    if (page.seek) where.push(page.seek);
    // the count alone, or riding on the page's rows (../where/listTotal.ts)
    const hadCursor = after !== null && after !== undefined;
    const cursorOf = (r: BenefitRow & { sortValue: string | null }) => page.cursor(r.id, r.sortValue);
    const counted = `select count(*)::int from benefit b where ${countWhere.join(' and ')}`;
    const apart = async () => (await ctx.hub.pool.query<{ count: number }>(counted, countParams)).rows[0]!.count;
    const reads = listReads(ctx, info);
    if (reads.total && !reads.rows) return connectionOf(BenefitConnection, [], size, hadCursor, cursorOf, apart);
    const total = new PageTotal(reads.total);
    params.push(size + 1);
    const rows = (await plannedRead<BenefitRow>(ctx, info, {
      sql: `select ${benefitColumns(true)}, ${page.sortValue} as "sortValue"${total.column(counted)} from benefit b where ${where.join(' and ')} order by ${page.orderBy} limit $${params.length}`,
      params,
      revive: (r) => {
        total.take(r);
        reviveBenefit(r);
      },
    })) as Array<BenefitRow & { sortValue: string | null }>;
    return connectionOf(BenefitConnection, rows, size, hadCursor, cursorOf, () => total.count(hadCursor, apart));
  }

  @FieldResolver(() => ProgrammeType, { nullable: true })
  programme(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.programmeByCode.load(b.programmeCode);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'the person, for person-level benefits' })
  person(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return b.personId ? ctx.loaders.personById.load(b.personId) : null;
  }

  @FieldResolver(() => HouseholdType, { nullable: true })
  household(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return b.householdId ? ctx.loaders.householdById.load(b.householdId) : null;
  }

  @FieldResolver(() => RegionType, { nullable: true })
  region(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return b.regionCode ? ctx.loaders.regionByCode.load(b.regionCode) : null;
  }
}
