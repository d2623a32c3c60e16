import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type SyncStatus = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

/** One run of one connector, with what it read and changed. */
@Entity({ tableName: 'sync_run' })
export class SyncRun {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'text' })
  connector!: string;

  @Property({ type: 'text' })
  status!: SyncStatus;

  @Property({ type: 'datetime' })
  startedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date;

  @Property({ type: 'integer' }) read!: number;
  @Property({ type: 'integer' }) inserted!: number;
  @Property({ type: 'integer' }) updated!: number;
  @Property({ type: 'integer' }) unchanged!: number;
  @Property({ type: 'integer' }) ended!: number;
  @Property({ type: 'integer' }) quarantined!: number;
  @Property({ type: 'integer' }) batches!: number;

  @Property({ type: 'text', nullable: true })
  error?: string;
}
