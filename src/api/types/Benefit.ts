import { Field, ID, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../scalars';
import { SourceRefType } from './Source';

@ObjectType('Benefit', { description: 'A benefit of a catalogued programme, to a person or a household.' })
export class BenefitType {
  @Field(() => ID) id!: string;
  @Field() programmeCode!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'yuan (monthly for monthly programmes)' }) amount?: string | null;
  @Field(() => DateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'inclusive; null = open-ended' }) periodEnd?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'payment date of a one-off grant' }) paidOn?: string | null;
  @Field(() => String, { nullable: true, description: '审批级别 镇街 / 区市' }) approvalLevel?: string | null;
  @Field(() => String, { nullable: true, description: '供养方式 集中 / 分散 (TK)' }) supportMode?: string | null;
  @Field(() => String, { nullable: true, description: "领导小组批准文号: the leading group's approval of a repeat grant" }) approvalRef?: string | null;
  @Field(() => SourceRefType) source!: SourceRefType;
  personId!: string | null;
  householdId!: string | null;
  regionCode!: string | null;
}
