/**
 * The fields each analysts' connection can be ordered by (api.md *Analysts*), as GraphQL inputs
 * and as the SQL expressions over the list's row that ordering.ts seeks on.
 */
import { Field, InputType, registerEnumType } from 'type-graphql';
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
}
registerEnumType(HouseholdOrderField, { name: 'HouseholdOrderField', description: 'by id only: a household’s other fields are read by its loader, after the page is chosen' });

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
