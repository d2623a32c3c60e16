import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { SyncRun } from './SyncRun';

/** Where a connector's stream resumes: advanced only in the transaction that commits its batch. */
@Entity({ tableName: 'connector_bookmark' })
export class ConnectorBookmark {
  @PrimaryKey({ type: 'text', columnType: 'text' }) connector!: string;
  @PrimaryKey({ type: 'text', columnType: 'text' }) stream!: string;
  @Property({ type: 'json', columnType: 'jsonb' }) bookmark!: Record<string, unknown>;
  @ManyToOne(() => SyncRun, { fieldName: 'sync_run_id', columnType: 'bigint', nullable: true, foreignKeyName: 'connector_bookmark_sync_run_id_fkey', ...plainForeignKey })
  syncRun?: Rel<SyncRun>;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) updatedAt!: Date;
}
