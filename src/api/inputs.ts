import { Field, InputType } from 'type-graphql';
import { DateScalar } from './scalars';

@InputType('PersonFilter')
export class PersonFilter {
  @Field(() => String, { nullable: true, description: 'a region code; matches it and everything under it (3710 = the whole city)' })
  regionCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'covered by any of these programmes (codes of `programmes`) on activeOn' })
  programme?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: 'the day programme coverage is checked on; default today' })
  activeOn?: string | null;

  @Field(() => String, { nullable: true, description: 'exact name' })
  name?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'data quality: feeds disagree on the name, or on the region (neither code contains the other); see Person.observations',
  })
  conflicting?: boolean | null;
}

@InputType('HouseholdFilter')
export class HouseholdFilter {
  @Field(() => String, { nullable: true, description: 'a region code; matches it and everything under it (3710 = the whole city)' })
  regionCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'enrolled (household or a member) in any of these programmes on activeOn' })
  programme?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: 'the day programme coverage is checked on; default today' })
  activeOn?: string | null;
}
