import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../scalars';

export enum Sex {
  MALE = 'M',
  FEMALE = 'F',
}
registerEnumType(Sex, { name: 'Sex', description: 'From the ID number (odd 17th digit: male).' });

@ObjectType('Person', { description: 'A resident, identified by the normalised resident ID number (居民身份证号码).' })
export class PersonType {
  @Field(() => ID) id!: string;
  @Field({ description: '18 characters, upper-case X; masked for roles that may not see it' }) idNumber!: string;
  @Field({ description: 'the surname and asterisks (张**) for roles that may not see it' }) name!: string;
  @Field(() => Sex) sex!: Sex;
  @Field(() => DateScalar, { description: 'FORBIDDEN where ID numbers are masked: with their last four it would complete the number (use birthYear)' })
  birthDate!: string;
  regionCode!: string | null;
}
