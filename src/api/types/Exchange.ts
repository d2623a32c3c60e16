import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../scalars';
import { RecipientCategory } from './Finding';
import { CHANGE_KINDS } from '../../graph/entities/ChangeEvent';

/** exchange.md: assignment and report-back, matching, change notices. */

export enum VerificationResult {
  CONFIRMED_ON_SITE = 'CONFIRMED_ON_SITE',
  NOT_AS_FLAGGED = 'NOT_AS_FLAGGED',
  FIXED = 'FIXED',
}
registerEnumType(VerificationResult, {
  name: 'VerificationResult',
  description: '核查结果: confirmed on site, not as flagged, or FIXED (the department changed its own record; the next sync clears the finding)',
});

export const ChangeKind = Object.fromEntries(CHANGE_KINDS.map((k) => [k, k])) as { [K in (typeof CHANGE_KINDS)[number]]: K };
export type ChangeKind = (typeof CHANGE_KINDS)[number];
registerEnumType(ChangeKind, { name: 'ChangeKind', description: '变更通知 what changed (exchange.md "Change notices")' });

@ObjectType('Assignment', { description: '分派 a finding handed to a department or a town to check; the newest counts' })
export class AssignmentType {
  findingId!: string;
  @Field({ description: 'a department name (as tokens name it) or a region code' }) to!: string;
  @Field(() => DateScalar) dueOn!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field() assignedBy!: string;
  @Field(() => DateTimeScalar) assignedAt!: Date;
}

@ObjectType('Verification', { description: '核查反馈 what the assignee found, kept with who and when; never written over' })
export class VerificationType {
  findingId!: string;
  @Field(() => VerificationResult) result!: VerificationResult;
  @Field(() => DateScalar) visitedOn!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field() reportedBy!: string;
  @Field(() => DateTimeScalar) reportedAt!: Date;
}

@InputType('AssignmentTarget', { description: 'exactly one: a department (as tokens name it) or a region code' })
export class AssignmentTarget {
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) regionCode?: string | null;
}

@InputType('AssignFindingsInput')
export class AssignFindingsInput {
  @Field(() => [ID], { description: 'up to 500 findings' }) ids!: string[];
  @Field(() => AssignmentTarget) to!: AssignmentTarget;
  @Field(() => DateScalar) dueOn!: string;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType('ReportVerificationInput')
export class ReportVerificationInput {
  @Field(() => ID) findingId!: string;
  @Field(() => VerificationResult) result!: VerificationResult;
  @Field(() => DateScalar) visitedOn!: string;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@ObjectType('MatchResult', { description: 'one ID number of a match: categories and programmes only' })
export class MatchResultType {
  @Field({ description: 'the number as given' }) input!: string;
  @Field(() => String, { nullable: true, description: 'normalised; null when not a valid ID number' }) idNumber!: string | null;
  @Field() valid!: boolean;
  @Field({ description: 'false for a number nobody holds, and for people outside a TOWN token’s region' }) known!: boolean;
  @Field(() => [RecipientCategory]) categories!: RecipientCategory[];
  @Field(() => [String], { description: 'programme codes active on asOf that cover the person (a household programme covers every listed member)' })
  programmes!: string[];
}

@ObjectType('Change', { description: 'one event of the change log' })
export class ChangeType {
  @Field() cursor!: string;
  @Field(() => ChangeKind) kind!: ChangeKind;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => DateScalar, { nullable: true, description: 'the business date of the change' }) effectiveOn!: string | null;
  personId!: string | null;
  @Field(() => RecipientCategory, { nullable: true }) category!: RecipientCategory | null;
  @Field(() => String, { nullable: true }) programme!: string | null;
  @Field(() => ID, { nullable: true }) findingId!: string | null;
  @Field(() => String, { nullable: true, description: 'the person’s region when the event was written' }) regionCode!: string | null;
  @Field(() => String, { nullable: true, description: 'SYNC_FAILED, SOURCE_STALE: the connector' }) connector!: string | null;
}

@ObjectType('WebhookSubscription', { description: 'a webhook of the change log (exchange.md)' })
export class WebhookSubscriptionType {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field(() => [ChangeKind], { description: 'empty: every kind the token may see' }) kinds!: ChangeKind[];
  @Field(() => String, { nullable: true, description: 'HMAC-SHA256 key of X-Weijiu-Signature: in createSubscription’s answer only' }) secret!: string | null;
  @Field(() => String, { nullable: true, description: 'the last event delivered; null before the first' }) deliveredCursor!: string | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@InputType('CreateSubscriptionInput')
export class CreateSubscriptionInput {
  @Field({ description: 'its host must be in the config’s webhookHosts' }) url!: string;
  @Field(() => [ChangeKind], { nullable: true }) kinds?: ChangeKind[] | null;
  @Field(() => [String], { nullable: true, description: 'a department’s own list of people, up to 10,000' }) idNumbers?: string[] | null;
}

@ObjectType('OverdueCount', { description: '逾期未反馈 findings of a region whose newest assignment is past its due date with no report back, by assignee' })
export class OverdueCountType {
  @Field({ description: 'a department name (as tokens name it) or a region code' }) assignedTo!: string;
  @Field(() => Int, { nullable: true, description: 'overdue findings; null when suppressed' }) count!: number | null;
  @Field({ description: 'count is withheld as a small cell (ANALYST only; false for every other role)' }) suppressed!: boolean;
}
