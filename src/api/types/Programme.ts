import { Field, ObjectType } from 'type-graphql';

@ObjectType('Programme', { description: 'An assistance programme of the catalogue (rules.md), kept as data.' })
export class ProgrammeType {
  @Field() code!: string;
  @Field({ description: 'the Chinese name' }) name!: string;
  @Field() nameEn!: string;
  @Field({ description: 'the connector whose registry pays or lists it' }) sourceFeed!: string;
  @Field({ description: 'PERSON or HOUSEHOLD' }) level!: string;
  @Field({ description: 'the same-kind group used by rule D1' }) kind!: string;
  @Field({ description: 'a cash programme in the sense of rules.md' }) cash!: boolean;
}
