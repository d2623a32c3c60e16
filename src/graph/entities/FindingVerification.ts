import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Finding } from './Finding';

export type VerificationResultKind = 'CONFIRMED_ON_SITE' | 'NOT_AS_FLAGGED' | 'FIXED';

/** 核查反馈 what the assignee found on site, kept with who and when; never written over. Migration 0016. */
@Entity({ tableName: 'finding_verification' })
@Index({ name: 'finding_verification_finding', properties: ['finding', 'id'] })
export class FindingVerification {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Finding, { fieldName: 'finding_id', columnType: 'bigint', foreignKeyName: 'finding_verification_finding_id_fkey', ...plainForeignKey })
  finding!: Rel<Finding>;
  @Enum({ items: ['CONFIRMED_ON_SITE', 'NOT_AS_FLAGGED', 'FIXED'], columnType: 'text' }) result!: VerificationResultKind;
  @Property({ type: 'date', columnType: 'date' }) visitedOn!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) note?: string | null;
  @Property({ type: 'text', columnType: 'text' }) reportedBy!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) reportedAt?: Date;
}
