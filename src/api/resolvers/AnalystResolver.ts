import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput } from '../argumentChecks';
import { DateScalar } from '../scalars';
import { BenefitGroupKey, BenefitGroupType, type GroupKeyType, PersonGroupKey, PersonGroupType } from '../types/Aggregate';
import { BenefitWhere } from '../where/BenefitWhere';
import { PersonWhere } from '../where/PersonWhere';
import { personsAggregateSql, type GroupRow } from '../where/personsAggregate';
import { benefitsAggregateSql } from '../where/benefitsAggregate';
import { regionScope } from '../../auth/viewer';
import { disclosedCount } from '../../auth/disclosure';

const REGION_KEYS = new Set<string>(['REGION_COUNTY', 'REGION_TOWN', 'REGION_VILLAGE']);

function groupKeys(groupBy: readonly string[]): void {
  if (new Set(groupBy).size !== groupBy.length) throw badInput('groupBy: a key given twice', 'groupBy');
}

function keysOf(groupBy: readonly string[], row: GroupRow): GroupKeyType[] {
  return groupBy.map((key, i) => ({ key, value: (row[`k${i}`] as string | null) ?? null, name: (row[`n${i}`] as string | null) ?? null }));
}

/**
 * The region a group's counts are about, for its min_cell_size: its narrowest region key, else
 * the viewer's whole scope (the strictest threshold within it applies either way).
 */
function regionOfGroup(ctx: ApiContext, keys: GroupKeyType[]): string {
  const regions = keys.filter((k) => REGION_KEYS.has(k.key) && k.value).map((k) => k.value!);
  return regions.sort((a, b) => b.length - a.length)[0] ?? ctx.viewer.regionPrefix;
}

/** Analysts' tables (api.md *Analysts*): one statement each, disclosed as the viewer may see counts. */
@Resolver()
export class AnalystResolver {
  // Who may call these is in src/auth/fieldVisibility.ts (analysts, issue 17).
  @Query(() => [PersonGroupType], { description: 'People counted per group of keys on asOf (default today); a group with nobody is absent.' })
  async personsAggregate(
    @Ctx() ctx: ApiContext,
    @Arg('groupBy', () => [PersonGroupKey]) groupBy: PersonGroupKey[],
    @Arg('where', () => PersonWhere, { nullable: true }) where?: PersonWhere | null,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ): Promise<PersonGroupType[]> {
    groupKeys(groupBy);
    const day = asOf ?? ctx.today;
    const params: unknown[] = [];
    const sql = personsAggregateSql({
      where, groupBy, asOf: day, city: ctx.hub.config.city, params,
      scope: (column) => regionScope(ctx.viewer, ctx.hub.config.city, column, params),
    });
    const { rows } = await ctx.hub.pool.query<GroupRow>(sql, params);
    const groups = await Promise.all(
      rows.filter((r) => Number(r.n) > 0).map(async (r) => {
        const keys = keysOf(groupBy, r);
        const count = await disclosedCount(ctx, Number(r.n), { regionCode: regionOfGroup(ctx, keys), day, within: true });
        return { keys, count: count.value, suppressed: count.suppressed };
      }),
    );
    return groups;
  }

  @Query(() => [BenefitGroupType], {
    description: 'Benefits and the money they paid within from–to (without them: up to today), per group of keys; a group with nothing is absent.',
  })
  async benefitsAggregate(
    @Ctx() ctx: ApiContext,
    @Arg('groupBy', () => [BenefitGroupKey]) groupBy: BenefitGroupKey[],
    @Arg('where', () => BenefitWhere, { nullable: true }) where?: BenefitWhere | null,
    @Arg('from', () => DateScalar, { nullable: true }) from?: string | null,
    @Arg('to', () => DateScalar, { nullable: true }) to?: string | null,
  ): Promise<BenefitGroupType[]> {
    groupKeys(groupBy);
    const until = to ?? ctx.today;
    if (from && from > until) throw badInput('from: after to', 'from');
    const params: unknown[] = [];
    const sql = benefitsAggregateSql({
      where, groupBy, from: from ?? null, to: until, params,
      scope: (column) => regionScope(ctx.viewer, ctx.hub.config.city, column, params),
    });
    const { rows } = await ctx.hub.pool.query<GroupRow>(sql, params);
    return Promise.all(
      rows.filter((r) => Number(r.n) > 0).map(async (r) => {
        const keys = keysOf(groupBy, r);
        const at = { regionCode: regionOfGroup(ctx, keys), day: until, within: true };
        const count = await disclosedCount(ctx, Number(r.n), at);
        const persons = await disclosedCount(ctx, Number(r.persons), at);
        const shown = !count.suppressed;
        return {
          keys,
          count: count.value,
          suppressed: count.suppressed,
          persons: shown ? persons.value : null,
          sum: shown ? ((r.sum as string | null) ?? null) : null,
          avg: shown ? ((r.avg as string | null) ?? null) : null,
        };
      }),
    );
  }
}
