import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../scalars';

export enum PersonGroupKey {
  REGION_COUNTY = 'REGION_COUNTY',
  REGION_TOWN = 'REGION_TOWN',
  REGION_VILLAGE = 'REGION_VILLAGE',
  CATEGORY = 'CATEGORY',
  SEX = 'SEX',
  AGE_BAND = 'AGE_BAND',
  PROGRAMME = 'PROGRAMME',
  DISABILITY_GRADE = 'DISABILITY_GRADE',
  HOUSEHOLD_TYPE = 'HOUSEHOLD_TYPE',
}
registerEnumType(PersonGroupKey, {
  name: 'PersonGroupKey',
  description:
    'CATEGORY and PROGRAMME groups overlap (a person counts in each they hold on asOf); AGE_BAND 0-5, 6-17, 18-59, 60-79, 80+ on asOf; DISABILITY_GRADE the lowest grade of a VALID certificate on asOf; HOUSEHOLD_TYPE 城镇 / 农村',
});

export enum BenefitGroupKey {
  REGION_COUNTY = 'REGION_COUNTY',
  REGION_TOWN = 'REGION_TOWN',
  REGION_VILLAGE = 'REGION_VILLAGE',
  PROGRAMME = 'PROGRAMME',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}
registerEnumType(BenefitGroupKey, { name: 'BenefitGroupKey', description: 'MONTH and YEAR: when the money was paid (a monthly programme in every month it was active)' });

@ObjectType('GroupKey', { description: 'One key of a group: its value (a code) and, for regions, categories and programmes, its Chinese name.' })
export class GroupKeyType {
  @Field(() => String) key!: string;
  @Field(() => String, { nullable: true, description: 'null: the people or benefits without one (no region known, no certificate)' }) value!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType('PersonGroup')
export class PersonGroupType {
  @Field(() => [GroupKeyType]) keys!: GroupKeyType[];
  @Field(() => Int, { nullable: true, description: 'people; for ANALYST rounded to 5, null when suppressed' }) count!: number | null;
  @Field(() => Boolean, { description: 'count withheld as a small cell (ANALYST only)' }) suppressed!: boolean;
}

@ObjectType('BenefitGroup')
export class BenefitGroupType {
  @Field(() => [GroupKeyType]) keys!: GroupKeyType[];
  @Field(() => Int, { nullable: true, description: 'benefits; for ANALYST rounded to 5, null when suppressed' }) count!: number | null;
  @Field(() => Boolean, { description: 'count withheld as a small cell (ANALYST only)' }) suppressed!: boolean;
  @Field(() => Int, { nullable: true, description: 'people the benefits are for (a household benefit: its members); null where count is' }) persons!: number | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'yuan paid in the group (null where nothing carries money, or count is null)' }) sum!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'sum per benefit' }) avg!: string | null;
}
