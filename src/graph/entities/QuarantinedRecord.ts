import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { SyncRun } from './SyncRun';

/** 隔离 a record the hub refused, kept whole with its reason so nothing is lost. */
@Entity({ tableName: 'quarantined_record' })
// a unique index, not a constraint (as Migration…01Graph made it): @Unique would declare a constraint
@Index({ name: 'quarantined_record_once', expression: 'CREATE UNIQUE INDEX quarantined_record_once ON public.quarantined_record USING btree (connector, stream, payload_hash)' })
@Index({ name: 'quarantined_record_received', expression: 'CREATE INDEX quarantined_record_received ON public.quarantined_record USING btree (received_at DESC, id DESC)' })
export class QuarantinedRecord {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'text', columnType: 'text' }) connector!: string;
  @Property({ type: 'text', columnType: 'text' }) stream!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) recordKey?: string;
  /** BAD_ID_CHECK_DIGIT, IMPOSSIBLE_DATE, … (feeds.md) */
  @Property({ type: 'text', columnType: 'text' }) reason!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) field?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) value?: string;
  /** file and line or sheet and row, for file drops */
  @Property({ type: 'text', columnType: 'text', nullable: true }) location?: string;
  /** the record exactly as received */
  @Property({ type: 'json', columnType: 'jsonb' }) raw!: unknown;
  @Property({ type: 'text', columnType: 'text' }) payloadHash!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) receivedAt!: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) lastReceivedAt!: Date;
  @ManyToOne(() => SyncRun, { fieldName: 'sync_run_id', columnType: 'bigint', nullable: true, foreignKeyName: 'quarantined_record_sync_run_id_fkey', ...plainForeignKey })
  syncRun?: Rel<SyncRun>;
}
