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
import { disclosedCount, getsTablesOnly } from '../../auth/disclosure';
import { describeViewer, forbidden } from '../../auth/policy';

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
    const tablesOnly = getsTablesOnly(ctx.viewer);
    // Two amount bands a cent apart tell, by their difference, how many were paid exactly that
    // much: tables give money by group, never by amount.
    if (tablesOnly && namesAmount(where)) throw forbidden(`benefitsAggregate.where.amount: ${describeViewer(ctx.viewer)} gets money by group, not by amount`);
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
        const money = tablesOnly ? roundedMoney(r.sum as string | null, count.value) : { sum: (r.sum as string | null) ?? null, avg: (r.avg as string | null) ?? null };
        return {
          keys,
          count: count.value,
          suppressed: count.suppressed,
          persons: shown ? persons.value : null,
          sum: shown ? money.sum : null,
          avg: shown ? money.avg : null,
        };
      }),
    );
  }
}

/** Money in tables: the sum to the nearest 1,000 yuan, and the mean of that over the rounded count — an exact mean over an exact sum would give back the exact count. */
function roundedMoney(sum: string | null, roundedCount: number | null): { sum: string | null; avg: string | null } {
  if (sum === null || roundedCount === null) return { sum: null, avg: null };
  const rounded = Math.round(Number(sum) / 1000) * 1000;
  return { sum: rounded.toFixed(2), avg: roundedCount > 0 ? (rounded / roundedCount).toFixed(2) : null };
}

/** Whether a where names the amount anywhere in it (inside _and, _or, _not too). */
function namesAmount(where: unknown): boolean {
  if (Array.isArray(where)) return where.some(namesAmount);
  if (where === null || typeof where !== 'object') return false;
  return Object.entries(where).some(([k, v]) => (k === 'amount' && v !== null && v !== undefined) || namesAmount(v));
}
