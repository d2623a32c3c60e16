import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** 隔离 a record the hub refused, kept whole with its reason so nothing is lost. */
@Entity({ tableName: 'quarantined_record' })
export class QuarantinedRecord {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'text' }) connector!: string;
  @Property({ type: 'text' }) stream!: string;
  @Property({ type: 'text', nullable: true }) recordKey?: string;
  /** BAD_ID_CHECK_DIGIT, IMPOSSIBLE_DATE, … (feeds.md) */
  @Property({ type: 'text' }) reason!: string;
  @Property({ type: 'text', nullable: true }) field?: string;
  @Property({ type: 'text', nullable: true }) value?: string;
  /** file and line or sheet and row, for file drops */
  @Property({ type: 'text', nullable: true }) location?: string;
  /** the record exactly as received */
  @Property({ type: 'json' }) raw!: unknown;
  @Property({ type: 'text' }) payloadHash!: string;
  @Property({ type: 'datetime' }) receivedAt!: Date;
  @Property({ type: 'datetime' }) lastReceivedAt!: Date;
  @Property({ type: 'bigint', nullable: true }) syncRunId?: string;
}
