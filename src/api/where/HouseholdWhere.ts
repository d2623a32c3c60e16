/**
 * `HouseholdWhere` (api.md *Analysts*): a boolean expression over what a Household shows,
 * translated to one SQL predicate on the row `h` of `household`; the household's region and type
 * are rules.md's (weijiu_household_region), its members those listed in its newest records.
 */
import { Field, InputType } from 'type-graphql';
import { householdRegionOf } from '../householdRegionOf';
import { Bound, combined, compared, IntComparison, StringComparison, type Connectives } from './comparisons';
import { CategoryCondition, ProgrammeCondition } from './PersonWhere';
import { idsIn, type SharedSets } from './listTotal';

@InputType('HouseholdWhere', { description: 'A boolean expression over households (api.md, Analysts).' })
export class HouseholdWhere implements Connectives<HouseholdWhere> {
  @Field(() => [HouseholdWhere], { nullable: true }) _and?: HouseholdWhere[] | null;
  @Field(() => [HouseholdWhere], { nullable: true }) _or?: HouseholdWhere[] | null;
  @Field(() => HouseholdWhere, { nullable: true }) _not?: HouseholdWhere | null;

  @Field(() => StringComparison, { nullable: true, description: 'its region (as Household.region); `_prefix` for a county or town' })
  regionCode?: StringComparison | null;

  @Field(() => StringComparison, { nullable: true, description: '户口性质 城镇 / 农村 (as Household.registrationType)' })
  registrationType?: StringComparison | null;

  @Field(() => IntComparison, { nullable: true, description: 'the people its newest records list, each once (civil affairs and poverty relief often list the same family)' }) size?: IntComparison | null;

  @Field(() => ProgrammeCondition, { nullable: true, description: 'enrolled (the household or a member) in a programme active on `on`' })
  programme?: ProgrammeCondition | null;

  @Field(() => CategoryCondition, { nullable: true, description: 'a member holds one of the categories on `on`' })
  category?: CategoryCondition | null;
}

/** The predicate on `h`; `shared`, where the statement reads it twice (a page and its count), each set once. */
export function householdWhereSql(where: HouseholdWhere | null | undefined, opts: { day: string; city: string; bound: Bound; shared?: SharedSets }): string {
  const { bound, shared } = opts;
  const dayOf = (on: string | null | undefined) => bound.bind(on ?? opts.day, 'date');
  // the concepts read set-based, once for every household (see PersonWhere)
  return combined(
    where,
    (w) => {
      const parts = [compared(`${householdRegionOf('h.id')}::text`, w.regionCode, 'text', bound, 'where.regionCode')];
      if (w.registrationType) {
        const which = compared('r.registration_type', w.registrationType, 'text', bound, 'where.registrationType');
        parts.push(idsIn(shared, 'h.id', `select r.household_id from weijiu_household_region() r where ${which}`));
      }
      if (w.size) {
        const which = compared('coalesce(s.n, 0)', w.size, 'int', bound, 'where.size');
        parts.push(idsIn(shared, 'h.id', `select hh.id from household hh
          left join (select m.household_id, count(distinct m.person_id)::int as n from weijiu_household_member() m group by 1) s on s.household_id = hh.id
          where ${which}`));
      }
      if (w.programme) {
        const c = w.programme;
        const d = dayOf(c.on);
        const enrolled = (codes: string) => idsIn(shared, 'h.id', `
          select b.household_id from benefit b
           where b.retired_at is null and b.household_id is not null and ${codes} and weijiu_active(b.valid_from, b.valid_to, ${d})
          union all
          select m.household_id from benefit b join weijiu_household_member() m on m.person_id = b.person_id
           where b.retired_at is null and ${codes} and weijiu_active(b.valid_from, b.valid_to, ${d})`);
        const codes = compared('b.programme_code', { _eq: c._eq, _in: c._in, _prefix: c._prefix }, 'text', bound, 'where.programme');
        if (codes !== 'true') parts.push(enrolled(codes));
        if (c._is_null === true) parts.push(`not ${enrolled('true')}`);
        if (c._is_null === false) parts.push(enrolled('true'));
      }
      if (w.category) {
        const c = w.category;
        const held = (which: string) => idsIn(shared, 'h.id', `
          select m.household_id from weijiu_household_member() m
            join weijiu_categories(${dayOf(c.on)}, ${bound.bind(opts.city, 'text')}) c on c.person_id = m.person_id
           where ${which}`);
        if (c._eq) parts.push(held(`c.category = ${bound.bind(c._eq, 'text')}`));
        if (c._in) parts.push(held(`c.category = any(${bound.bind(c._in, 'text[]')})`));
        if (c._is_null === true) parts.push(`not ${held('true')}`);
        if (c._is_null === false) parts.push(held('true'));
      }
      return parts;
    },
    'where',
  );
}
