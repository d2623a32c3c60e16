import { Field, ObjectType } from 'type-graphql';
import { DateScalar } from '../scalars';
import { SourceRefType } from './Source';

@ObjectType('FactValue', { description: "One column of a department's fact, by its entity property, as text." })
export class FactValueType {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) value!: string | null;
}

@ObjectType('DepartmentFact', {
  description:
    "A fact a department's registry states about a person, for a department whose facts have no type of their own (its connector's `personFacts`): the table, the business period and every column.",
})
export class DepartmentFactType {
  @Field({ description: 'the fact table' }) table!: string;
  @Field(() => DateScalar, { nullable: true }) validFrom!: string | null;
  @Field(() => DateScalar, { nullable: true }) validTo!: string | null;
  @Field(() => [FactValueType], { description: "the table's own columns, in the entity's order" }) values!: FactValueType[];
  @Field(() => SourceRefType) source!: unknown;
}
