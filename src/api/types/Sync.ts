import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

export enum SyncStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
}
registerEnumType(SyncStatus, {
  name: 'SyncStatus',
  description: 'PARTIAL: some batches committed before the run failed; FAILED: none did.',
});

@ObjectType('SyncRun', { description: 'One run of one connector.' })
export class SyncRunType {
  @Field(() => ID) id!: string;
  @Field() connector!: string;
  @Field(() => SyncStatus) status!: SyncStatus;
  @Field(() => DateTimeScalar) startedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) finishedAt?: Date | null;
  @Field(() => Int, { description: 'records received' }) read!: number;
  @Field(() => Int) inserted!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int, { description: 'facts end-dated because the source no longer has them' }) ended!: number;
  @Field(() => Int) quarantined!: number;
  @Field(() => String, { nullable: true }) error?: string | null;
}

@ObjectType('Connector', { description: 'A department registry feed and its runs.' })
export class ConnectorType {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'the department, as the city names it' }) department!: string | null;
  @Field(() => String, { nullable: true, description: 'cron expression, Asia/Shanghai' }) schedule!: string | null;
  @Field(() => Boolean, { description: 'configured in this hub' }) configured!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) nextRunAt!: Date | null;
}

@ObjectType('QuarantinedRecord', { description: 'A record the hub refused, kept whole with its reason.' })
export class QuarantinedRecordType {
  @Field(() => ID) id!: string;
  @Field() connector!: string;
  @Field() stream!: string;
  @Field(() => String, { nullable: true }) recordKey!: string | null;
  @Field({ description: 'BAD_ID_CHECK_DIGIT, IMPOSSIBLE_DATE, NEGATIVE_AMOUNT, UNKNOWN_REGION_CODE, …' }) reason!: string;
  @Field(() => String, { nullable: true }) field!: string | null;
  @Field(() => String, { nullable: true, description: 'the offending value as received; ID numbers and names in it masked for operators (ADMIN)' }) value!: string | null;
  @Field(() => String, { nullable: true, description: 'file and line, or sheet and row' }) location!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'the record as received; withheld (null) from operators (ADMIN)' }) raw!: unknown;
  @Field(() => DateTimeScalar) receivedAt!: Date;
}
