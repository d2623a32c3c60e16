import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

export type SyncStatus = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

/** One run of one connector, with what it read and changed. */
@Entity({ tableName: 'sync_run' })
@Index({ name: 'sync_run_connector', expression: 'CREATE INDEX sync_run_connector ON public.sync_run USING btree (connector, started_at DESC)' })
export class SyncRun {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'text', columnType: 'text' }) connector!: string;
  @Enum({ items: ['RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED'], columnType: 'text' }) status!: SyncStatus;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) startedAt!: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) finishedAt?: Date;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) read!: number;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) inserted!: number;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) updated!: number;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) unchanged!: number;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) ended!: number;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) quarantined!: number;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) batches!: number;
  @Property({ type: 'text', columnType: 'text', nullable: true }) error?: string;
}
