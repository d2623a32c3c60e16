import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { DateScalar } from '../scalars';
import { EvidenceType, ParameterType } from './Finding';

/** api.md "Explain: why, and why not": one condition of a rule's definition and its outcome for a subject. */
@ObjectType('Condition', { description: 'A condition of the rule’s definition (rules.md) and its outcome for the subject, as of the date.' })
export class ConditionType {
  @Field({ description: 'stable, part of the rule’s definition: LIVING_SUBSIDY_ACTIVE' }) name!: string;
  @Field({ description: 'what must be true, in Chinese, said of the subject' }) text!: string;
  @Field(() => String, { nullable: true, description: 'the clause it belongs to (D3 i/ii/iii, D4’s triggers …); null for a condition of every clause' })
  clause!: string | null;
  @Field() holds!: boolean;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'the values compared; null where nothing was found to compare, or where they come from records the reader may not see',
  })
  values!: Record<string, unknown> | null;
  @Field(() => String, {
    nullable: true,
    description: 'the outcome as a caseworker says it, with its numbers and dates; null as values is',
  })
  said!: string | null;
  @Field(() => [ParameterType], { description: 'the dated parameter rows it read' }) parameters!: ParameterType[];
  @Field(() => [EvidenceType], { description: 'the source records it used (those of the reader’s own feeds for a department)' }) evidence!: EvidenceType[];
}

@ObjectType('Explanation', { description: 'Why a rule holds for a subject, or why not: every condition of its definition with its outcome.' })
export class ExplanationType {
  @Field({ description: 'the rule (D1 … R4), or the category explained' }) rule!: string;
  @Field(() => String, { nullable: true, description: 'the part of the finding identity after the subject (a year, a term …), where the rule has one' })
  item!: string | null;
  @Field(() => DateScalar) asOf!: string;
  @Field({ description: 'whether the rule holds: every condition without a clause, and every condition of at least one clause' }) holds!: boolean;
  @Field(() => [String], { description: 'the clauses whose conditions all hold' }) clauses!: string[];
  @Field(() => [ConditionType]) conditions!: ConditionType[];
}

/** A condition as the catalogue lists it: its name and sentence, without a subject. */
@ObjectType('RuleCondition', { description: 'A condition of a rule’s definition, as the catalogue lists it.' })
export class RuleConditionType {
  @Field() name!: string;
  @Field() text!: string;
  @Field(() => String, { nullable: true }) clause!: string | null;
  @Field(() => [String], { description: 'the names of the parameters it reads' }) parameters!: string[];
}
