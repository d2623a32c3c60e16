import { Field, ID, ObjectType } from 'type-graphql';
import { DateScalar } from '../scalars';

@ObjectType('HouseholdSource', { description: 'A registry record that describes this household.' })
export class HouseholdSourceType {
  @Field() feed!: string;
  @Field({ description: "the registry's household key (hh_id, 户编号, …)" }) recordKey!: string;
}

@ObjectType('Household', { description: '家庭 a family, identified by its head; one household across registries.' })
export class HouseholdType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: '户籍性质 城镇 urban / 农村 rural' }) registrationType?: string | null;
  @Field(() => String, { nullable: true, description: 'null for roles that see people masked' }) address?: string | null;
  @Field(() => [HouseholdSourceType]) sources!: HouseholdSourceType[];
  headPersonId!: string;
  regionCode!: string | null;
}

@ObjectType('Member', { description: 'A person listed in the newest version of a household record.' })
export class MemberType {
  @Field({ description: '与户主关系 GB/T 4761: 01 head, 02 spouse, 10–19 son, 20–29 daughter, …' }) relationCode!: string;
  @Field(() => String, { nullable: true, description: '自理能力 全自理 / 半失能 / 全失能' }) selfCare?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'listed since (the first version of the record that lists them)' })
  from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;
  @Field({ description: 'the registry that lists them' }) feed!: string;
  personId!: string;
}
