/**
 * `PersonWhere` (api.md *Analysts*): a boolean expression over what a Person shows, translated to
 * one SQL predicate on the row `p` of `person`. Every concept is read through its single SQL
 * definition — the nine categories (weijiu_categories), a person's region and household
 * (weijiu_person_region, weijiu_person_household), a benefit active on a day (weijiu_active) — so
 * a filter counts what coverage and the rules count. No field names a person (name, ID number,
 * birth date): a question may not pick one out.
 */
import { Field, InputType, Int } from 'type-graphql';
import { DateScalar } from '../scalars';
import { RecipientCategory } from '../types/Finding';
import { Sex } from '../types/Person';
import { BooleanComparison, Bound, combined, compared, IntComparison, StringComparison, type Connectives } from './comparisons';
import { idsIn, type SharedSets } from './listTotal';

@InputType('CategoryCondition', { description: 'holds one of the nine categories (any of `_in`) on `on` (default: the question’s day); `_is_null: true` holds none' })
export class CategoryCondition {
  @Field(() => RecipientCategory, { nullable: true }) _eq?: RecipientCategory | null;
  @Field(() => [RecipientCategory], { nullable: true }) _in?: RecipientCategory[] | null;
  @Field(() => Boolean, { nullable: true }) _is_null?: boolean | null;
  @Field(() => DateScalar, { nullable: true }) on?: string | null;
}

@InputType('ProgrammeCondition', { description: 'covered (themselves or through their household) by a programme active on `on` (default: the question’s day); `_is_null: true` by none' })
export class ProgrammeCondition {
  @Field(() => String, { nullable: true }) _eq?: string | null;
  @Field(() => [String], { nullable: true }) _in?: string[] | null;
  @Field(() => String, { nullable: true }) _prefix?: string | null;
  @Field(() => Boolean, { nullable: true }) _is_null?: boolean | null;
  @Field(() => DateScalar, { nullable: true }) on?: string | null;
}

@InputType('AgeComparison', { description: 'age in whole years on `on` (default: the question’s day)' })
export class AgeComparison {
  @Field(() => Int, { nullable: true }) _eq?: number | null;
  @Field(() => [Int], { nullable: true }) _in?: number[] | null;
  @Field(() => Int, { nullable: true }) _gte?: number | null;
  @Field(() => Int, { nullable: true }) _lte?: number | null;
  @Field(() => DateScalar, { nullable: true }) on?: string | null;
}

@InputType('SexComparison')
export class SexComparison {
  @Field(() => Sex, { nullable: true }) _eq?: Sex | null;
  @Field(() => [Sex], { nullable: true }) _in?: Sex[] | null;
}

@InputType('DisabilityCondition', {
  description: 'holds a VALID disability certificate on `on` (default: the question’s day) whose grade (1 most severe … 4) and kind (category 1 … 7) match; `_is_null: true` holds none',
})
export class DisabilityCondition {
  @Field(() => IntComparison, { nullable: true }) grade?: IntComparison | null;
  @Field(() => IntComparison, { nullable: true }) kind?: IntComparison | null;
  @Field(() => Boolean, { nullable: true }) _is_null?: boolean | null;
  @Field(() => DateScalar, { nullable: true }) on?: string | null;
}

@InputType('PersonWhere', { description: 'A boolean expression over people (api.md, Analysts).' })
export class PersonWhere implements Connectives<PersonWhere> {
  @Field(() => [PersonWhere], { nullable: true }) _and?: PersonWhere[] | null;
  @Field(() => [PersonWhere], { nullable: true }) _or?: PersonWhere[] | null;
  @Field(() => PersonWhere, { nullable: true }) _not?: PersonWhere | null;

  @Field(() => StringComparison, { nullable: true, description: 'their region on the question’s day (as Person.region); `_prefix` for a county or town' })
  regionCode?: StringComparison | null;

  @Field(() => CategoryCondition, { nullable: true }) category?: CategoryCondition | null;
  @Field(() => AgeComparison, { nullable: true }) age?: AgeComparison | null;
  @Field(() => SexComparison, { nullable: true }) sex?: SexComparison | null;
  @Field(() => ProgrammeCondition, { nullable: true }) programme?: ProgrammeCondition | null;
  @Field(() => DisabilityCondition, { nullable: true }) disability?: DisabilityCondition | null;

  @Field(() => BooleanComparison, { nullable: true, description: 'a death record of the health feed' })
  deceased?: BooleanComparison | null;

  @Field(() => IntComparison, { nullable: true, description: 'the people listed in their household (as Person.household) on the question’s day, each once' })
  householdSize?: IntComparison | null;

  @Field(() => BooleanComparison, { nullable: true, description: 'feeds disagree on the name, or on the region (as PersonFilter.conflicting)' })
  conflicting?: BooleanComparison | null;
}

/** Data quality: two feeds disagree on the person's name or region (neither code contains the other). */
export const CONFLICTING_PERSON = `exists (
  select 1 from person_observation o1 join person_observation o2 on o2.person_id = o1.person_id and o2.feed > o1.feed
   where o1.person_id = p.id
     and ((o1.name <> '' and o2.name <> '' and o1.name <> o2.name)
       or (o1.region_code is not null and o2.region_code is not null
           and not starts_with(o1.region_code, o2.region_code) and not starts_with(o2.region_code, o1.region_code))))`;

const yesNo = (c: BooleanComparison | null | undefined, predicate: string): string =>
  c?._eq === true ? predicate : c?._eq === false ? `not ${predicate}` : 'true';

/**
 * The predicate on `p` (a row of `person`). `day` is the question's day (asOf, else today), a
 * field's own `on` overrides it; `city` is the city code the categories' parameters are read for;
 * `region`, a column holding the person's region on that day where the statement has already
 * worked it out (an aggregate's rows), which spares a second pass over everyone's households;
 * `shared`, where the statement reads the predicate twice (a page and its count), each set once.
 */
export function personWhereSql(
  where: PersonWhere | null | undefined,
  opts: { day: string; city: string; bound: Bound; region?: string; shared?: SharedSets },
): string {
  const { bound, shared } = opts;
  const dayOf = (on: string | null | undefined) => bound.bind(on ?? opts.day, 'date');
  return combined(
    where,
    (w) => {
      const parts: string[] = [];
      // The concepts are read set-based, for everyone once (a hashed semi-join): looked up per row
      // with an array built from the row, their `people is null` test would not fold away and
      // every row would scan their tables (Migration20261206000010Concepts).
      if (w.regionCode && opts.region) {
        parts.push(compared(`${opts.region}::text`, w.regionCode, 'text', bound, 'where.regionCode'));
      } else if (w.regionCode) {
        const d = dayOf(null);
        const where = compared('r.region_code::text', w.regionCode, 'text', bound, 'where.regionCode');
        parts.push(idsIn(shared, 'p.id', `select r.person_id from weijiu_person_region(${d}) r where ${where}`));
      }
      if (w.category) {
        const c = w.category;
        const held = (which: string) => idsIn(shared, 'p.id', `select c.person_id from weijiu_categories(${dayOf(c.on)}, ${bound.bind(opts.city, 'text')}) c where ${which}`);
        if (c._eq) parts.push(held(`c.category = ${bound.bind(c._eq, 'text')}`));
        if (c._in) parts.push(held(`c.category = any(${bound.bind(c._in, 'text[]')})`));
        if (c._is_null === true) parts.push(`not ${held('true')}`);
        if (c._is_null === false) parts.push(held('true'));
      }
      if (w.age) {
        const age = `extract(year from age(${dayOf(w.age.on)}, p.birth_date))::int`;
        parts.push(compared(age, w.age, 'int', bound, 'where.age'));
      }
      if (w.sex) parts.push(compared('p.sex::text', w.sex, 'text', bound, 'where.sex'));
      if (w.programme) {
        const c = w.programme;
        const d = dayOf(c.on);
        const covered = (codes: string) => `exists (
          select 1 from benefit b
           where b.retired_at is null and ${codes} and weijiu_active(b.valid_from, b.valid_to, ${d})
             and (b.person_id = p.id or (b.person_id is null and b.household_id in (
                   select m.household_id from membership m where m.person_id = p.id and m.retired_at is null and m.valid_to is null))))`;
        const codes = compared('b.programme_code', { _eq: c._eq, _in: c._in, _prefix: c._prefix }, 'text', bound, 'where.programme');
        if (codes !== 'true') parts.push(covered(codes));
        if (c._is_null === true) parts.push(`not ${covered('true')}`);
        if (c._is_null === false) parts.push(covered('true'));
      }
      if (w.disability) {
        const c = w.disability;
        const d = dayOf(c.on);
        const certificate = (extra: string) => `exists (
          select 1 from disability_certificate dc
           where dc.person_id = p.id and dc.retired_at is null and dc.status = 'VALID'
             and dc.valid_from <= ${d} and (dc.valid_to is null or dc.valid_to >= ${d}) and ${extra})`;
        const matching = [
          compared('dc.grade::int', c.grade, 'int', bound, 'where.disability.grade'),
          compared('dc.category::int', c.kind, 'int', bound, 'where.disability.kind'),
        ].filter((x) => x !== 'true');
        if (matching.length) parts.push(certificate(matching.join(' and ')));
        if (c._is_null === true) parts.push(`not ${certificate('true')}`);
        if (c._is_null === false) parts.push(certificate('true'));
      }
      if (w.deceased) parts.push(yesNo(w.deceased, `exists (select 1 from death_record dr where dr.person_id = p.id and dr.retired_at is null)`));
      if (w.householdSize) {
        const { _is_null: none, ...sizes } = w.householdSize;
        const d = dayOf(null);
        const inHousehold = (which: string) => idsIn(shared, 'p.id', `
          select ph.person_id from weijiu_person_household(${d}) ph
            left join (select m.household_id, count(distinct m.person_id)::int as n from weijiu_household_member() m group by 1) hs on hs.household_id = ph.household_id
           where ${which}`);
        const which = compared('coalesce(hs.n, 0)', sizes, 'int', bound, 'where.householdSize');
        if (which !== 'true') parts.push(inHousehold(which));
        if (none === true) parts.push(`not ${inHousehold('true')}`);
        if (none === false) parts.push(inHousehold('true'));
      }
      if (w.conflicting) parts.push(yesNo(w.conflicting, CONFLICTING_PERSON));
      return parts;
    },
    'where',
  );
}
