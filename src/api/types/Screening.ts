import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';
import { EvidenceType } from './Finding';

/** office.md "Screening", "Evaluation": the names there are the contract. */
export enum VerdictEnum {
  PASS = 'PASS',
  REVIEW = 'REVIEW',
  LEADING_GROUP = 'LEADING_GROUP',
  REJECT = 'REJECT',
}
registerEnumType(VerdictEnum, { name: 'Verdict', description: 'the strongest reason of a row (REJECT > LEADING_GROUP > REVIEW); PASS when it has none' });

export enum EvaluationDecisionEnum {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  REFER = 'REFER',
}
registerEnumType(EvaluationDecisionEnum, {
  name: 'EvaluationDecision',
  description: '评估: APPROVE (of a LEADING_GROUP row: with the leading group approval reference), REJECT, or REFER to the leading group',
});

@ObjectType('VerdictCount')
export class VerdictCountType {
  @Field(() => VerdictEnum) verdict!: VerdictEnum;
  @Field(() => Int) rows!: number;
}

@ObjectType('ScreeningReason', { description: 'A reason that holds for a row, with the facts behind it (withheld where they lie outside a TOWN reader’s region).' })
export class ScreeningReasonType {
  @Field({ description: 'BAD_ID, DECEASED, EXCLUSIVE_PAIR, ALREADY_ENROLLED, SAME_KIND_THIS_YEAR, LISTED_ELSEWHERE, DUPLICATE_ROW, NAME_MISMATCH, OUTSIDE_REGION, ASSETS, NOT_KNOWN' })
  code!: string;
  @Field(() => [String], { description: 'the D4 clauses for ASSETS (VEHICLE, BUSINESS, REAL_ESTATE, DEPOSIT), else empty' }) clauses!: string[];
  @Field(() => [EvidenceType]) evidence!: EvidenceType[];
}

@ObjectType('Evaluation', { description: 'A decision of the office on a screening row, kept with who, when and why.' })
export class EvaluationType {
  @Field(() => EvaluationDecisionEnum) decision!: EvaluationDecisionEnum;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true, description: 'the leading group approval (领导小组研究通过)' }) approvalRef!: string | null;
  @Field() decidedBy!: string;
  @Field(() => DateTimeScalar) decidedAt!: Date;
}

@ObjectType('ScreeningJudgement', { description: 'An earlier (or the current) judgement of a row: as of which day, its verdict and reason codes.' })
export class ScreeningJudgementType {
  @Field(() => DateScalar) asOf!: string;
  @Field(() => DateTimeScalar) judgedAt!: Date;
  @Field(() => VerdictEnum) verdict!: VerdictEnum;
  @Field(() => [String]) reasons!: string[];
}

@ObjectType('ScreeningRow', { description: 'A person proposed on a list, as judged by the newest judgement.' })
export class ScreeningRowType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: '1 = the first data row of the file or input' }) rowNumber!: number;
  @Field(() => String, { nullable: true, description: 'normalised; null when BAD_ID' }) idNumber!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) amount!: string | null;
  @Field(() => DateScalar, { nullable: true }) startDate!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => VerdictEnum) verdict!: VerdictEnum;
  reasonCodes!: string[];
  personId!: string | null;
  screeningId!: string;
  judgementId!: string;
  regionCode!: string;
}

@ObjectType('Screening', { description: '逐一筛选比对: one proposed list (a programme, a year, the submitting region) and its rows as judged.' })
export class ScreeningType {
  @Field(() => ID) id!: string;
  @Field() programme!: string;
  @Field(() => Int) year!: number;
  @Field() regionCode!: string;
  @Field() title!: string;
  @Field(() => DateScalar, { description: 'the day of the newest judgement' }) asOf!: string;
  @Field() submittedBy!: string;
  @Field() withdrawn!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
  submittedDepartment!: string | null;
  submittedToken!: string | null;
  source!: string;
}

@InputType('ScreeningRowInput')
export class ScreeningRowInput {
  @Field() idNumber!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) amount?: string | null;
  @Field(() => DateScalar, { nullable: true }) startDate?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType('CreateScreeningInput')
export class CreateScreeningInput {
  @Field({ description: 'a programme code of the catalogue' }) programme!: string;
  @Field(() => Int) year!: number;
  @Field({ description: 'the submitting level: a county, a town, or the city' }) regionCode!: string;
  @Field() title!: string;
  @Field(() => DateScalar, { nullable: true, description: 'default today, or 1 January of the year when that is later' }) asOf?: string | null;
  @Field(() => [ScreeningRowInput], { description: 'up to 10,000 rows a call, in their order' }) rows!: ScreeningRowInput[];
}

@InputType('ScreeningRowFilter')
export class ScreeningRowFilter {
  @Field(() => [VerdictEnum], { nullable: true }) verdict?: VerdictEnum[] | null;
  @Field(() => [String], { nullable: true, description: 'rows carrying any of these reason codes' }) reason?: string[] | null;
}

@InputType('ScreeningFilter')
export class ScreeningFilter {
  @Field(() => String, { nullable: true }) programme?: string | null;
  @Field(() => Int, { nullable: true }) year?: number | null;
  @Field(() => String, { nullable: true, description: 'the region and everything under it' }) regionCode?: string | null;
}

@InputType('EvaluateScreeningRowsInput')
export class EvaluateScreeningRowsInput {
  @Field(() => [ID], { nullable: true, description: 'rows by id; or screeningId with a filter' }) ids?: string[] | null;
  @Field(() => ID, { nullable: true }) screeningId?: string | null;
  @Field(() => ScreeningRowFilter, { nullable: true, description: 'with screeningId: every row matching it ("approve every PASS row")' })
  filter?: ScreeningRowFilter | null;
  @Field(() => EvaluationDecisionEnum) decision!: EvaluationDecisionEnum;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => String, { nullable: true, description: 'required to APPROVE a LEADING_GROUP row' }) approvalRef?: string | null;
}
