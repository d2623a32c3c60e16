import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { plannedRead } from '../requestPlan';
import { PERSON_COLUMNS, revivePerson } from '../batches';
import type { ApiContext } from '../context';
import { badInput, idNumberArgument, programmeArgument, yearArgument } from '../argumentChecks';
import { connectionOf, Connection } from '../types/Connection';
import { decodeCursor, encodeCursor, pageSize } from '../connection';
import { PersonFilter } from '../inputs';
import { Bound } from '../where/comparisons';
import { PersonWhere, personWhereSql } from '../where/PersonWhere';
import { keysetPage } from '../where/ordering';
import { listReads, PageTotal, SharedSets } from '../where/listTotal';
import { PERSON_ORDER, PersonOrderBy } from '../where/orderings';
import { DateScalar } from '../scalars';
import { BenefitType } from '../types/Benefit';
import { HouseholdType } from '../types/Household';
import { PersonType } from '../types/Person';
import { RegionType } from '../types/Region';
import type { PersonRow } from '../rows';
import { regionScope } from '../../auth/viewer';
import { scopedRegionArgument } from '../scopeChecks';
import { describeViewer, forbidden, seesIdentities } from '../../auth/policy';
import { maskIdNumber, maskName } from '../../auth/masking';

export const PersonConnection = Connection('Person', PersonType);
type PersonConnection = InstanceType<typeof PersonConnection>;

@Resolver(() => PersonType)
export class PersonResolver {
  // Who may call these is in src/auth/fieldVisibility.ts, like every field of people's data.
  @Query(() => PersonType, {
    nullable: true,
    description:
      'A person by ID number, in any spelling the feeds use (15-digit, lower-case x, spaces). Outside the token’s region: null, as for a number nobody holds.',
  })
  async person(@Arg('idNumber', () => String) idNumber: string, @Ctx() ctx: ApiContext, @Info() info: GraphQLResolveInfo): Promise<PersonRow | null> {
    // Scoped in the statement: a person elsewhere and a number nobody holds answer alike.
    const [person] = await plannedRead<PersonRow>(ctx, info, { loader: ctx.loaders.personByIdNumber, keys: [idNumberArgument(idNumber)] });
    return person ?? null;
  }

  @Query(() => PersonConnection)
  async persons(
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => PersonFilter, { nullable: true, deprecationReason: 'use where' }) filter?: PersonFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('where', () => PersonWhere, { nullable: true, description: 'a boolean expression (api.md, Analysts); its dates default to today' }) whereArg?: PersonWhere | null,
    @Arg('orderBy', () => PersonOrderBy, { nullable: true, description: 'default: by id; the id breaks ties' }) orderBy?: PersonOrderBy | null,
  ): Promise<PersonConnection> {
    const size = pageSize(first);
    // an ordered list's cursor carries its sort value (./where/ordering.ts)
    const afterId = orderBy ? null : decodeCursor('person', after);
    const region = await scopedRegionArgument(ctx, filter?.regionCode);
    const programmes = await programmeArgument(ctx, filter?.programme);
    // A name search would tell an analyst who is in the list, which masking is there to prevent.
    if (filter?.name && !seesIdentities(ctx.viewer)) throw forbidden('filter.name: masked person data cannot be searched by name');
    const params: unknown[] = [];
    const where = [regionScope(ctx.viewer, ctx.hub.config.city, 'p.region_code', params)];
    if (region && region !== ctx.hub.config.city) {
      params.push(`${region}%`);
      where.push(`p.region_code like $${params.length}`);
    }
    if (filter?.name) {
      params.push(filter.name.trim());
      where.push(`p.name = $${params.length}`);
    }
    if (filter?.conflicting) {
      where.push(`exists (
        select 1 from person_observation o1 join person_observation o2 on o2.person_id = o1.person_id and o2.feed > o1.feed
         where o1.person_id = p.id
           and ((o1.name <> '' and o2.name <> '' and o1.name <> o2.name)
             or (o1.region_code is not null and o2.region_code is not null
                 and not starts_with(o1.region_code, o2.region_code) and not starts_with(o2.region_code, o1.region_code))))`);
    }
    if (programmes) {
      params.push(programmes, filter?.activeOn ?? ctx.today);
      const [codes, day] = [`$${params.length - 1}`, `$${params.length}`];
      where.push(`exists (
        select 1 from benefit b
         where b.retired_at is null and b.programme_code = any(${codes}::text[])
           and weijiu_active(b.valid_from, b.valid_to, ${day}::date)
           and (b.person_id = p.id or (b.person_id is null and b.household_id in (
                 select m.household_id from membership m where m.person_id = p.id and m.retired_at is null and m.valid_to is null))))`);
    }
    // analysts (issue 17): the boolean expression, its values bound after the filter's; the sets
    // it works out for everyone, once for the page and its count
    const shared = new SharedSets();
    if (whereArg) where.push(personWhereSql(whereArg, { day: ctx.today, city: ctx.hub.config.city, bound: new Bound(params), shared }));
    const countWhere = [...where];
    const countParams = [...params];
    if (filter?.name) {
      // A count of the people of a name is a read of them (it confirms a named person's benefit):
      // the audit row names everyone the filter matched, whatever the answer shows.
      const matched = await ctx.hub.pool.query<{ id: string }>(
        `${shared.with}select p.id from person p where ${countWhere.join(' and ')} order by p.id limit 1000`,
        countParams,
      );
      for (const r of matched.rows) ctx.audited.persons.add(r.id);
    }
    if (afterId) {
      params.push(afterId);
      where.push(`p.id > $${params.length}`);
    }
    let order = 'p.id';
    let sortValue = '';
    let cursorOf = (r: PersonRow) => encodeCursor('person', r.id);
    if (orderBy) {
      const page = keysetPage({ kind: 'person', field: orderBy.field, direction: orderBy.direction, column: PERSON_ORDER[orderBy.field], idExpr: 'p.id', after, params });
      if (page.seek) where.push(page.seek);
      order = page.orderBy;
      sortValue = `, ${page.sortValue} as "sortValue"`;
      cursorOf = (r) => page.cursor(r.id, (r as PersonRow & { sortValue?: string | null }).sortValue ?? null);
    }
    const hadCursor = after !== null && after !== undefined;
    const counted = `select count(*)::int from person p where ${countWhere.join(' and ')}`;
    const apart = async () => (await ctx.hub.pool.query<{ count: number }>(`${shared.with}${counted}`, countParams)).rows[0]!.count;
    const reads = listReads(ctx, info);
    // the count alone (ANALYST's answer): no page to read
    if (reads.total && !reads.rows) return connectionOf(PersonConnection, [] as PersonRow[], size, hadCursor, cursorOf, apart);
    // both: the count rides on the page's rows
    const total = new PageTotal(reads.total);
    params.push(size + 1);
    const rows = (await plannedRead<PersonRow>(ctx, info, {
      sql: `${shared.with}select ${PERSON_COLUMNS}${sortValue}${total.column(counted)} from person p where ${where.join(' and ')} order by ${order} limit $${params.length}`,
      params,
      revive: (r) => {
        total.take(r);
        revivePerson(r);
      },
      prime: ctx.loaders.personById,
    })) as PersonRow[];
    return connectionOf(PersonConnection, rows, size, hadCursor, cursorOf, () => total.count(hadCursor, apart));
  }

  // Masking happens here, for every Person however it was reached (descriptions: types/Person.ts).
  @FieldResolver(() => String)
  idNumber(@Root() p: PersonRow, @Ctx() ctx: ApiContext): string {
    return seesIdentities(ctx.viewer) ? p.idNumber : maskIdNumber(p.idNumber);
  }

  @FieldResolver(() => String)
  name(@Root() p: PersonRow, @Ctx() ctx: ApiContext): string {
    return seesIdentities(ctx.viewer) ? p.name : maskName(p.name);
  }

  @FieldResolver(() => DateScalar)
  birthDate(@Root() p: PersonRow, @Ctx() ctx: ApiContext): string {
    // The masked number keeps the region code and the last four; the eight digits between are the birth date.
    if (!seesIdentities(ctx.viewer)) throw forbidden(`Person.birthDate: ${describeViewer(ctx.viewer)} sees people masked; ask for birthYear`);
    return p.birthDate;
  }

  @FieldResolver(() => Int, { description: 'the year of birth, for every role that sees people' })
  birthYear(@Root() p: PersonRow): number {
    return Number(p.birthDate.slice(0, 4));
  }

  @FieldResolver(() => DateScalar, { nullable: true, description: 'the date of death of a valid death record' })
  deceasedOn(@Root() p: PersonRow, @Ctx() ctx: ApiContext): Promise<string | null> {
    return ctx.loaders.deathOfPerson.load(p.id);
  }

  @FieldResolver(() => RegionType, {
    nullable: true,
    description: "their household's region on asOf (default today), else that of their newest record (rules.md, as the rules judge it)",
  })
  async region(
    @Root() p: PersonRow,
    @Ctx() ctx: ApiContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ) {
    const code = await ctx.loaders.regionOfPerson(asOf ?? ctx.today).load(p.id);
    return code ? ctx.loaders.regionByCode.load(code) : null;
  }

  @FieldResolver(() => HouseholdType, {
    nullable: true,
    description: 'their household on asOf (default today): the civil-affairs one that lists them, else the poverty-relief one, else a housing applicant’s own (rules.md, as the rules judge it)',
  })
  async household(
    @Root() p: PersonRow,
    @Ctx() ctx: ApiContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ) {
    const id = await ctx.loaders.householdOfPerson(asOf ?? ctx.today).load(p.id);
    return id ? ctx.loaders.householdById.load(id) : null;
  }

  @FieldResolver(() => [BenefitType], { description: 'person-level benefits (household-level ones are on Household.benefits)' })
  benefits(
    @Root() p: PersonRow,
    @Ctx() ctx: ApiContext,
    @Arg('activeOn', () => DateScalar, { nullable: true }) activeOn?: string | null,
    @Arg('year', () => Int, { nullable: true }) year?: number | null,
  ) {
    if (activeOn && year) throw badInput('give activeOn or year, not both', 'year');
    return ctx.loaders.benefitsOfPerson({ activeOn, year: yearArgument(year) }).load(p.id);
  }
}
