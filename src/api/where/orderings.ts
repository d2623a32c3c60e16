/**
 * The fields each analysts' connection can be ordered by (api.md *Analysts*), as GraphQL inputs
 * and as the SQL expressions over the list's row that ordering.ts seeks on.
 */
import { Field, InputType, registerEnumType } from 'type-graphql';
import { householdRegionOf } from '../householdRegionOf';
import { OrderDirection, type OrderColumn } from './ordering';

export enum PersonOrderField {
  ID = 'ID',
  REGION_CODE = 'REGION_CODE',
  AGE = 'AGE',
}
registerEnumType(PersonOrderField, { name: 'PersonOrderField', description: 'REGION_CODE: of their newest record; AGE: by birth date, youngest first ascending' });

export const PERSON_ORDER: Record<PersonOrderField, OrderColumn> = {
  ID: { expr: 'p.id', cast: 'int' },
  REGION_CODE: { expr: 'p.region_code', cast: 'text' },
  // days from birth to a fixed far day: more days, older
  AGE: { expr: `(date '2200-01-01' - p.birth_date)`, cast: 'int' },
};

@InputType('PersonOrderBy')
export class PersonOrderBy {
  @Field(() => PersonOrderField) field!: PersonOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

export enum HouseholdOrderField {
  ID = 'ID',
  REGION_CODE = 'REGION_CODE',
  SIZE = 'SIZE',
  REGISTRATION_TYPE = 'REGISTRATION_TYPE',
}
registerEnumType(HouseholdOrderField, {
  name: 'HouseholdOrderField',
  description: 'REGION_CODE: as Household.region; SIZE: the people its newest records list, each once whichever registries list them (as HouseholdWhere.size); REGISTRATION_TYPE: 城镇 / 农村, as Household.registrationType. No index serves the last three: the cost limit counts such an order as a filter.',
});

/**
 * A household's sort values, over `h` (a row of `household`): what Household shows, by the same
 * definitions — its region (householdRegionOf), the members of its newest records
 * (weijiu_household_member, each person once, as HouseholdWhere.size), the registration type of the record
 * Household.registrationType reads (src/api/batches.ts householdsById).
 */
export const HOUSEHOLD_ORDER: Record<HouseholdOrderField, OrderColumn> = {
  ID: { expr: 'h.id', cast: 'int' },
  REGION_CODE: { expr: `${householdRegionOf('h.id')}::text`, cast: 'text' },
  SIZE: { expr: '(select count(distinct m.person_id) from weijiu_household_member() m where m.household_id = h.id)::int', cast: 'int' },
  REGISTRATION_TYPE: {
    expr: `(select hr.registration_type from household_record hr where hr.household_id = h.id and hr.retired_at is null
              order by (hr.valid_to is null) desc, weijiu_feed_rank(hr.feed), hr.record_key limit 1)`,
    cast: 'text',
  },
};

@InputType('HouseholdOrderBy')
export class HouseholdOrderBy {
  @Field(() => HouseholdOrderField) field!: HouseholdOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

export enum BenefitOrderField {
  ID = 'ID',
  PROGRAMME = 'PROGRAMME',
  AMOUNT = 'AMOUNT',
  PERIOD_START = 'PERIOD_START',
  PERIOD_END = 'PERIOD_END',
  PAID_ON = 'PAID_ON',
}
registerEnumType(BenefitOrderField, { name: 'BenefitOrderField' });

export const BENEFIT_ORDER: Record<BenefitOrderField, OrderColumn> = {
  ID: { expr: 'b.id', cast: 'int' },
  PROGRAMME: { expr: 'b.programme_code', cast: 'text' },
  AMOUNT: { expr: 'b.amount', cast: 'numeric' },
  PERIOD_START: { expr: 'b.valid_from', cast: 'date' },
  PERIOD_END: { expr: 'b.valid_to', cast: 'date' },
  PAID_ON: { expr: 'b.paid_on', cast: 'date' },
};

@InputType('BenefitOrderBy')
export class BenefitOrderBy {
  @Field(() => BenefitOrderField) field!: BenefitOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

export enum FindingOrderField {
  ID = 'ID',
  RULE = 'RULE',
  STATUS = 'STATUS',
  PERIOD_START = 'PERIOD_START',
}
registerEnumType(FindingOrderField, { name: 'FindingOrderField' });

export const FINDING_ORDER: Record<FindingOrderField, OrderColumn> = {
  ID: { expr: 'f.id', cast: 'int' },
  RULE: { expr: 'f.rule', cast: 'text' },
  STATUS: { expr: 'f.status', cast: 'text' },
  PERIOD_START: { expr: 'f.period_start', cast: 'date' },
};

@InputType('FindingOrderBy')
export class FindingOrderBy {
  @Field(() => FindingOrderField) field!: FindingOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}
