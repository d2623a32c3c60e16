import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../scalars';

export enum FindingKind {
  DUAL_BENEFIT = 'DUAL_BENEFIT',
  GAP = 'GAP',
  COMPLIANCE = 'COMPLIANCE',
}
registerEnumType(FindingKind, { name: 'FindingKind', description: '重复救助 dual benefit, 应保未保 gap, or a region-level compliance shortfall' });

export enum FindingStatus {
  OPEN = 'OPEN',
  CONFIRMED = 'CONFIRMED',
  DISMISSED = 'DISMISSED',
  EXCEPTION = 'EXCEPTION',
  CLEARED = 'CLEARED',
}
registerEnumType(FindingStatus, { name: 'FindingStatus', description: 'CLEARED: an OPEN finding whose condition no longer holds' });

export enum ReviewDecision {
  CONFIRM = 'CONFIRM',
  DISMISS = 'DISMISS',
  EXCEPTION = 'EXCEPTION',
}
registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
  description: 'CONFIRM: a wrong payment, to be stopped or recovered; DISMISS needs a reason; EXCEPTION (re-assistance approved) needs the approval reference',
});

export enum RecipientCategory {
  DIBAO = 'DIBAO',
  TEKUN = 'TEKUN',
  TEMPORARY = 'TEMPORARY',
  DISABLED = 'DISABLED',
  CHILD_IN_DIFFICULTY = 'CHILD_IN_DIFFICULTY',
  LEFT_BEHIND = 'LEFT_BEHIND',
  REGISTERED_POOR = 'REGISTERED_POOR',
  LOW_INCOME = 'LOW_INCOME',
  VAGRANT = 'VAGRANT',
}
registerEnumType(RecipientCategory, {
  name: 'RecipientCategory',
  description: '9类救助对象: 低保, 特困, 临时救助, 残疾人, 困境儿童, 三留守, 建档立卡贫困, 低收入家庭, 流浪乞讨',
});

@ObjectType('Evidence', { description: 'A fact a finding used: its source record and the values compared.' })
export class EvidenceType {
  @Field() feed!: string;
  @Field() stream!: string;
  @Field() recordKey!: string;
  @Field(() => DateTimeScalar, { description: 'when the hub received the record version' }) arrivedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) versionAt!: Date | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'the values the rule compared (null where the role may not see raw values)' })
  values!: unknown;
}

@ObjectType('FindingDecision', { description: 'A review decision, kept with who, when and why.' })
export class FindingDecisionType {
  @Field(() => ReviewDecision) decision!: ReviewDecision;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) approvalRef!: string | null;
  @Field() decidedBy!: string;
  @Field(() => DateTimeScalar) decidedAt!: Date;
}

@ObjectType('ParameterUse', { description: 'A dated parameter row a finding used.' })
export class ParameterUseType {
  @Field() name!: string;
  @Field() regionCode!: string;
  @Field(() => DateScalar) validFrom!: string;
  @Field() value!: string;
}

@ObjectType('Finding')
export class FindingType {
  @Field(() => ID) id!: string;
  @Field({ description: 'D1 … D5, G1 … G9, R1 … R4' }) rule!: string;
  @Field(() => [String], { description: 'a or b (D1); i, ii, iii (D3); VEHICLE, BUSINESS, REAL_ESTATE, DEPOSIT (D4); else empty' })
  clauses!: string[];
  @Field() ruleVersion!: string;
  @Field(() => FindingKind) kind!: FindingKind;
  @Field(() => FindingStatus) status!: FindingStatus;
  @Field({ description: 'decided, and its condition no longer holds' }) resolved!: boolean;
  @Field({ description: 'rule|subject_type|subject_key[|item]: stable across runs (ID numbers masked where the reader may not see the subject)' })
  identity!: string;
  @Field(() => String, { nullable: true, description: 'the part of the identity after the subject (a date, a term, a pair, a year)' })
  item!: string | null;
  @Field(() => DateScalar, { nullable: true }) periodStart!: string | null;
  @Field(() => DateScalar, { nullable: true }) periodEnd!: string | null;
  @Field(() => DateScalar, { description: 'the date of the run that last evaluated it' }) asOf!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'the values compared, for the reviewer (null where the role may not see raw values)' })
  detail!: unknown;
  @Field(() => DateTimeScalar) openedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) clearedAt!: Date | null;
  personId!: string | null;
  householdId!: string | null;
  regionCode!: string | null;
  evidenceRows!: EvidenceType[];
  parameterIds!: number[];
  /** whether the viewer's region holds the person or household it is about (ruleLoaders.ts) */
  subjectInScope?: boolean;
}

@InputType('FindingFilter')
export class FindingFilter {
  @Field(() => [String], { nullable: true }) rule?: string[] | null;
  @Field(() => [FindingKind], { nullable: true }) kind?: FindingKind[] | null;
  @Field(() => [FindingStatus], { nullable: true }) status?: FindingStatus[] | null;
  @Field(() => String, { nullable: true, description: 'the subject region and everything under it' }) regionCode?: string | null;
  @Field(() => String, { nullable: true, description: 'findings whose newest assignment names this department or region code' }) assignedTo?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: assigned, due before today, no verification yet; false: all others' }) overdue?: boolean | null;
}

@InputType('ReviewInput')
export class ReviewInput {
  @Field(() => [ID], { description: 'one finding, or many at once' }) ids!: string[];
  @Field(() => ReviewDecision) decision!: ReviewDecision;
  @Field(() => String, { nullable: true, description: 'required to DISMISS' }) reason?: string | null;
  @Field(() => String, { nullable: true, description: 'required for an EXCEPTION: the leading group approval reference' })
  approvalRef?: string | null;
}

// Counts below are exact for every role but ANALYST, which gets them rounded to 5 and null (with
// `suppressed`) from 1 to min_cell_size − 1 (src/auth/disclosure.ts).
const SMALL_CELL = 'withheld as a small cell (ANALYST only; false for every other role)';

@ObjectType('CategoryCount')
export class CategoryCountType {
  @Field(() => RecipientCategory) category!: RecipientCategory;
  @Field(() => Int, { nullable: true, description: 'people holding it; null when suppressed' }) persons!: number | null;
  @Field({ description: `persons is ${SMALL_CELL}` }) suppressed!: boolean;
}

@ObjectType('RuleCount')
export class RuleCountType {
  @Field() rule!: string;
  @Field(() => Int, { nullable: true, description: 'open findings; null when suppressed' }) count!: number | null;
  @Field({ description: `count is ${SMALL_CELL}` }) suppressed!: boolean;
}

@ObjectType('Coverage', {
  description: 'The nine categories and the open findings of a region, as of a date. For ANALYST every count is rounded to 5 or suppressed, and asOf is a month end.',
})
export class CoverageType {
  @Field() regionCode!: string;
  @Field(() => DateScalar) asOf!: string;
  @Field(() => Int, { nullable: true, description: 'distinct people in at least one of the nine categories; null when suppressed' })
  persons!: number | null;
  @Field({ description: `persons is ${SMALL_CELL}` }) personsSuppressed!: boolean;
  @Field(() => [CategoryCountType], { description: 'all nine, zeros included' }) byCategory!: CategoryCountType[];
  @Field(() => [RuleCountType]) openFindings!: RuleCountType[];
  /** the monthly report these figures were read from (YYYY-MM); undefined when computed */
  reportMonth?: string;
  /** the region's name, when the figures came with it (a report) */
  frozenName?: string;
  residentsValue?: number | null;
}

@ObjectType('Parameter', { description: 'A dated parameter row (parameters.md).' })
export class ParameterType {
  @Field() name!: string;
  @Field() regionCode!: string;
  @Field(() => DateScalar) validFrom!: string;
  @Field() value!: string;
  @Field(() => String, { nullable: true }) unit!: string | null;
}

@ObjectType('Rule', { description: 'A rule of rules.md as the hub evaluates it.' })
export class RuleType {
  @Field() code!: string;
  @Field() title!: string;
  @Field() titleZh!: string;
  @Field() version!: string;
  @Field(() => FindingKind) kind!: FindingKind;
  @Field({ description: 'person, household or region' }) subjectType!: string;
  @Field() legalReference!: string;
  parameterNames!: readonly string[];
}
