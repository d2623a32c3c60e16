import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../scalars';

export enum ParameterValueType {
  INTEGER = 'INTEGER',
  DECIMAL = 'DECIMAL',
  LIST = 'LIST',
}
registerEnumType(ParameterValueType, {
  name: 'ParameterValueType',
  description: 'INTEGER: a whole number; DECIMAL: a number with at most `decimals` digits after the point; LIST: names separated by "," "，" or "、"',
});

@ObjectType('ParameterDefinition', { description: 'What a parameter’s value must be (parameters.md: its type, unit and sane range); setParameter refuses anything else.' })
export class ParameterDefinitionType {
  @Field() name!: string;
  @Field(() => ParameterValueType) type!: ParameterValueType;
  @Field() unit!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'the smallest value allowed (numbers only)' }) minimum!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'the largest value allowed (numbers only)' }) maximum!: string | null;
  @Field(() => Int, { description: 'the most digits after the decimal point' }) decimals!: number;
  @Field({ description: 'what it is, in Chinese' }) description!: string;
  @Field({ description: 'what a value must be, in words, e.g. "a whole number from 1 to 3650 (days)"' }) expected!: string;
}
