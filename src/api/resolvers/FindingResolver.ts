import { GraphQLJSON } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { plannedRead } from '../requestPlan';
import type { ApiContext } from '../context';
import { badInput } from '../argumentChecks';
import { decodeCursor, encodeCursor, pageSize } from '../connection';
import { findingColumns, findingSubjectInScope, reviveFinding } from '../ruleLoaders';
import type { HouseholdRow, PersonRow } from '../rows';
import { DateScalar } from '../scalars';
import { Connection, connectionOf } from '../types/Connection';
import { listReads, PageTotal } from '../where/listTotal';
import {
  EvidenceType, FindingDecisionType, FindingFilter, FindingStatus, FindingType, ParameterType, ParameterUseType,
  RecipientCategory, ReviewInput, RuleType,
} from '../types/Finding';
import { HouseholdType } from '../types/Household';
import { PersonType } from '../types/Person';
import { RegionType } from '../types/Region';
import { regionScope } from '../../auth/viewer';
import { assignedScope, newestAssignment } from '../../auth/assignmentScope';
import { scopedRegionArgument } from '../scopeChecks';
import { seesIdentities, seesRawValues } from '../../auth/policy';
import { maskIdNumbersIn } from '../../auth/masking';
import { ruleCatalogue } from '../../rules/catalogue';
import { Bound } from '../where/comparisons';
import { FindingWhere, findingWhereSql } from '../where/FindingWhere';
import { keysetPage } from '../where/ordering';
import { FINDING_ORDER, FindingOrderBy } from '../where/orderings';
import { reviewFindings, ReviewError } from '../../rules/review';

export const FindingConnection = Connection('Finding', FindingType);
type FindingConnection = InstanceType<typeof FindingConnection>;

const RULE_CODES = new Set(ruleCatalogue.map((r) => r.code));

/** Whether the reader may see whom the finding is about: identities unmasked, and the subject's region theirs. */
function seesSubject(f: FindingType, ctx: ApiContext): boolean {
  return seesIdentities(ctx.viewer) && f.subjectInScope !== false;
}

@Resolver(() => FindingType)
export class FindingResolver {
  // Who may call these is in src/auth/fieldVisibility.ts, like every field of people's data.
  @Query(() => FindingConnection, { description: 'Findings of the latest runs, newest first.' })
  async findings(
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => FindingFilter, { nullable: true, deprecationReason: 'use where' }) filter?: FindingFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('where', () => FindingWhere, { nullable: true, description: 'a boolean expression (api.md, Analysts)' }) whereArg?: FindingWhere | null,
    @Arg('orderBy', () => FindingOrderBy, { nullable: true, description: 'default: newest first; the id breaks ties' }) orderBy?: FindingOrderBy | null,
  ): Promise<FindingConnection> {
    const size = pageSize(first);
    // an ordered list's cursor carries its sort value (./where/ordering.ts)
    const afterId = orderBy ? null : decodeCursor('finding', after);
    const region = await scopedRegionArgument(ctx, filter?.regionCode);
    const unknown = (filter?.rule ?? []).filter((r) => !RULE_CODES.has(r));
    if (unknown.length) throw badInput(`rule: unknown rule ${unknown.map((r) => `"${r.slice(0, 10)}"`).join(', ')}`, 'filter.rule');
    const params: unknown[] = [];
    const where = [regionScope(ctx.viewer, ctx.hub.config.city, "coalesce(f.region_code, '')", params), assignedScope(ctx.viewer, 'f', params)];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter?.rule?.length) add((p) => `f.rule = any(${p}::text[])`, filter.rule);
    if (filter?.kind?.length) add((p) => `f.kind = any(${p}::text[])`, filter.kind);
    if (filter?.status?.length) add((p) => `f.status = any(${p}::text[])`, filter.status);
    if (region && region !== ctx.hub.config.city) add((p) => `f.region_code like ${p}`, `${region}%`);
    // exchange (issue 16): the newest assignment decides whom a finding is assigned to and when it is due
    const assignedTo = filter?.assignedTo?.trim();
    if (assignedTo) add((p) => `${newestAssignment('f', 'coalesce(a.to_department, a.to_region_code)')} = ${p}`, assignedTo);
    if (filter?.overdue === true || filter?.overdue === false) {
      add(
        (p) => `${filter.overdue ? '' : 'not '}coalesce(${newestAssignment('f', 'a.due_on')} < ${p}::date
                 and not exists (select 1 from finding_verification v where v.finding_id = f.id), false)`,
        ctx.today,
      );
    }
    // analysts (issue 17): the boolean expression, its values bound after the filter's
    if (whereArg) where.push(findingWhereSql(whereArg, new Bound(params)));
    const countWhere = [...where];
    const countParams = [...params];
    if (afterId) add((p) => `f.id < ${p}`, afterId);
    let order = 'f.id desc';
    let sortValue = '';
    let cursorOf = (r: FindingType) => encodeCursor('finding', r.id);
    if (orderBy) {
      const page = keysetPage({ kind: 'finding', field: orderBy.field, direction: orderBy.direction, column: FINDING_ORDER[orderBy.field], idExpr: 'f.id', after, params });
      if (page.seek) where.push(page.seek);
      order = page.orderBy;
      sortValue = `, ${page.sortValue} as "sortValue"`;
      cursorOf = (r) => page.cursor(r.id, (r as FindingType & { sortValue?: string | null }).sortValue ?? null);
    }
    const subject = findingSubjectInScope(ctx.viewer, ctx.hub.config.city, params);
    // the count alone, or riding on the page's rows (../where/listTotal.ts)
    const hadCursor = after !== null && after !== undefined;
    const counted = `select count(*)::int from finding f where ${countWhere.join(' and ')}`;
    const apart = async () => (await ctx.hub.pool.query<{ count: number }>(counted, countParams)).rows[0]!.count;
    const reads = listReads(ctx, info);
    if (reads.total && !reads.rows) return connectionOf(FindingConnection, [] as FindingType[], size, hadCursor, cursorOf, apart);
    const total = new PageTotal(reads.total);
    params.push(size + 1);
    const rows = (await plannedRead<FindingType>(ctx, info, {
      sql: `select ${findingColumns}, ${subject}${sortValue}${total.column(counted)} from finding f where ${where.join(' and ')} order by ${order} limit $${params.length}`,
      params,
      revive: (r) => {
        total.take(r);
        reviveFinding(r);
      },
    })) as FindingType[];
    return connectionOf(FindingConnection, rows, size, hadCursor, cursorOf, () => total.count(hadCursor, apart));
  }

  @Query(() => FindingType, { nullable: true, description: 'One finding; outside the token’s region null, as for an id nobody holds.' })
  async finding(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext, @Info() info: GraphQLResolveInfo): Promise<FindingType | null> {
    if (!/^\d{1,18}$/.test(id)) throw badInput('id: not a finding id', 'id');
    const params: unknown[] = [id];
    const scope = `${regionScope(ctx.viewer, ctx.hub.config.city, "coalesce(f.region_code, '')", params)} and ${assignedScope(ctx.viewer, 'f', params)}`;
    const subject = findingSubjectInScope(ctx.viewer, ctx.hub.config.city, params);
    const [finding] = await plannedRead<FindingType>(ctx, info, {
      sql: `select ${findingColumns}, ${subject} from finding f where f.id = $1 and ${scope}`,
      params,
      revive: reviveFinding,
    });
    return finding ?? null;
  }

  // Masked for roles that see people masked, and where the subject lives outside the reader's
  // region: the finding is theirs, whom it is about is not (descriptions: types/Finding.ts).
  @FieldResolver(() => String)
  identity(@Root() f: FindingType, @Ctx() ctx: ApiContext): string {
    return seesSubject(f, ctx) ? f.identity : maskIdNumbersIn(f.identity);
  }

  @FieldResolver(() => String, { nullable: true })
  item(@Root() f: FindingType, @Ctx() ctx: ApiContext): string | null {
    return f.item === null || seesSubject(f, ctx) ? f.item : maskIdNumbersIn(f.item);
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true })
  detail(@Root() f: FindingType, @Ctx() ctx: ApiContext): unknown {
    if (!seesRawValues(ctx.viewer) || !seesSubject(f, ctx)) return null;
    // The values compared come from every feed the finding used: a department sees them only where
    // all of its records are its own feed's, as it sees an explanation's values (api.md).
    if (ctx.viewer.role === 'DEPARTMENT' && !f.evidenceRows.every((e) => e.feed === ctx.viewer.department)) return null;
    return f.detail;
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'the subject, for person rules' })
  person(@Root() f: FindingType, @Ctx() ctx: ApiContext) {
    return f.personId && seesSubject(f, ctx) ? ctx.loaders.personById.load(f.personId) : null;
  }

  @FieldResolver(() => HouseholdType, { nullable: true, description: 'the subject, for household rules' })
  household(@Root() f: FindingType, @Ctx() ctx: ApiContext) {
    return f.householdId && seesSubject(f, ctx) ? ctx.loaders.householdById.load(f.householdId) : null;
  }

  @FieldResolver(() => RegionType, { nullable: true, description: 'the subject, for compliance rules; else the subject’s region' })
  region(@Root() f: FindingType, @Ctx() ctx: ApiContext) {
    return f.regionCode ? ctx.loaders.regionByCode.load(f.regionCode) : null;
  }

  @FieldResolver(() => [EvidenceType], { description: 'each fact used: feed, record key, arrival time, values (none where the subject lives outside the reader’s region)' })
  evidence(@Root() f: FindingType, @Ctx() ctx: ApiContext): EvidenceType[] {
    // The records of a subject elsewhere are another region's (its households, its payments).
    if (!seesSubject(f, ctx)) return [];
    const raw = seesRawValues(ctx.viewer);
    // an assigned department: the evidence of its own feeds only (exchange.md, minimum necessary)
    const rows = ctx.viewer.role === 'DEPARTMENT' ? f.evidenceRows.filter((e) => e.feed === ctx.viewer.department) : f.evidenceRows;
    return rows.map((e) => ({
      ...e,
      recordKey: raw ? e.recordKey : maskIdNumbersIn(e.recordKey),
      arrivedAt: new Date(e.arrivedAt as unknown as string),
      versionAt: e.versionAt ? new Date(e.versionAt as unknown as string) : null,
      values: raw ? e.values : null,
    }));
  }

  @FieldResolver(() => [ParameterUseType], { description: 'the dated parameter rows the rule used' })
  async parameters(@Root() f: FindingType, @Ctx() ctx: ApiContext) {
    const rows = await ctx.loaders.rules.parameterById.loadMany((f.parameterIds ?? []).map(String));
    return rows.filter((r): r is ParameterUseType => !!r && !(r instanceof Error));
  }

  @FieldResolver(() => [FindingDecisionType], {
    description: 'review decisions, oldest first; reason and approval reference withheld (null) where the reader may not see whom the finding is about',
  })
  async decisions(@Root() f: FindingType, @Ctx() ctx: ApiContext) {
    const decisions = await ctx.loaders.rules.decisionsOf.load(f.id);
    // A reviewer's reason is free text about the subject ("张… moved to 文登区 with her mother"):
    // it goes where the subject goes.
    return seesSubject(f, ctx) ? decisions : decisions.map((d) => ({ ...d, reason: null, approvalRef: null }));
  }

  @Authorized('findings:review')
  @Mutation(() => [FindingType], { description: 'The office decides on one finding or many: CONFIRM, DISMISS (reason) or EXCEPTION (approval reference).' })
  async reviewFindings(@Arg('input', () => ReviewInput) input: ReviewInput, @Ctx() ctx: ApiContext): Promise<FindingType[]> {
    if (input.ids.some((id) => !/^\d{1,18}$/.test(id))) throw badInput('ids: not finding ids', 'ids');
    try {
      await reviewFindings(ctx.hub.pool, { ...input, decidedBy: ctx.viewer.label });
    } catch (e) {
      if (e instanceof ReviewError) throw badInput(e.message, e.argumentName);
      throw e;
    }
    const { rows } = await ctx.hub.pool.query<FindingType>(`select ${findingColumns} from finding f where f.id = any($1::bigint[]) order by f.id`, [input.ids]);
    return rows;
  }

  @Query(() => [RuleType], { description: 'The rule catalogue: code, title, legal reference, version, parameters.' })
  rules(): RuleType[] {
    return ruleCatalogue
      .filter((r, i, all) => all.findIndex((x) => x.code === r.code) === i)
      .map((r) => ({
        code: r.code, title: r.title, titleZh: r.titleZh, version: r.version, kind: r.kind as RuleType['kind'],
        subjectType: r.subjectType, legalReference: r.legalReference, parameterNames: r.parameters,
      }));
  }
}

@Resolver(() => RuleType)
export class RuleResolver {
  @FieldResolver(() => [ParameterType], { description: 'every dated row of the parameters it reads' })
  async parameters(@Root() r: RuleType, @Ctx() ctx: ApiContext) {
    if (!r.parameterNames.length) return [];
    const { rows } = await ctx.hub.pool.query(
      `select name, region_code as "regionCode", valid_from as "validFrom", value, unit from parameter where name = any($1::text[]) order by name, region_code, valid_from`,
      [r.parameterNames],
    );
    return rows;
  }
}

@Resolver(() => PersonType)
export class PersonFindingsResolver {
  @FieldResolver(() => [FindingType], { description: 'findings about this person' })
  findings(@Root() p: PersonRow, @Ctx() ctx: ApiContext, @Arg('status', () => [FindingStatus], { nullable: true }) status?: FindingStatus[] | null) {
    return ctx.loaders.rules.findingsOfPerson(status ?? null).load(p.id);
  }

  @FieldResolver(() => [RecipientCategory], { description: 'the nine recipient categories (9类救助对象) they hold on asOf (default today)' })
  categories(@Root() p: PersonRow, @Ctx() ctx: ApiContext, @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null) {
    return ctx.loaders.rules.categoriesOfPerson(asOf ?? ctx.today).load(p.id);
  }
}

@Resolver(() => HouseholdType)
export class HouseholdFindingsResolver {
  @FieldResolver(() => [FindingType], { description: 'findings about this household' })
  findings(@Root() h: HouseholdRow, @Ctx() ctx: ApiContext, @Arg('status', () => [FindingStatus], { nullable: true }) status?: FindingStatus[] | null) {
    return ctx.loaders.rules.findingsOfHousehold(status ?? null).load(h.id);
  }
}

