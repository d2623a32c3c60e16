import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { DeliveryContent } from './DeliveryContent';
import { plainForeignKey } from './plainForeignKey';
import { SyncRun } from './SyncRun';

/**
 * One version of a record as a registry delivered it: the provenance every fact points at.
 * The table keeps 30% of each page free (fillfactor 70, Migration…05IngestSpeed), which an entity
 * cannot say (room for heap-only updates; a file delivery holding a record again now lists its key in
 * delivery_seen instead of updating it).
 */
@Entity({ tableName: 'source_record' })
@Index({ name: 'source_record_current', expression: 'CREATE UNIQUE INDEX source_record_current ON public.source_record USING btree (feed, stream, record_key) WHERE (superseded_at IS NULL)' })
@Index({ name: 'source_record_history', properties: ['feed', 'stream', 'recordKey', 'versionAt'] })
@Index({ name: 'source_record_partition', expression: 'CREATE INDEX source_record_partition ON public.source_record USING btree (feed, stream, partition) WHERE (superseded_at IS NULL)' })
@Index({ name: 'source_record_sync_run', properties: ['syncRun'], type: 'brin' })
export class SourceRecord {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'text', columnType: 'text' }) feed!: string;
  @Property({ type: 'text', columnType: 'text' }) stream!: string;
  @Property({ type: 'text', columnType: 'text' }) recordKey!: string;
  /** file drops: the term or year a delivery completely describes ('' = the whole feed) */
  @Property({ type: 'text', columnType: 'text', default: '' }) partition!: string;
  /** file drops: the delivery that wrote this version (a later one holding it again unchanged lists it in delivery_seen instead) */
  @Property({ type: 'text', columnType: 'text', nullable: true }) delivery?: string;
  /** the registry's own version time (updated_at, modifiedAt, snapshot date) */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) versionAt?: Date;
  @Property({ type: 'boolean', columnType: 'boolean', default: false }) deleted!: boolean;
  /**
   * the record as delivered, in its fields' order (json, not jsonb: Migration…05IngestSpeed), where
   * its delivery is not kept (below): records stored before issue 18, spreadsheet rows, records
   * given to ingest without their bytes
   */
  @Property({ type: 'json', columnType: 'json', nullable: true }) payload?: unknown;
  @Property({ type: 'text', columnType: 'text' }) payloadHash!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) firstSeenAt!: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) lastSeenAt!: Date;
  /** the run that delivered this version (block-range index: runs write their records in order) */
  @ManyToOne(() => SyncRun, { fieldName: 'sync_run_id', columnType: 'bigint', nullable: true, foreignKeyName: 'source_record_sync_run_id_fkey', ...plainForeignKey })
  syncRun?: Rel<SyncRun>;
  /** the delivery (file, API page) that holds this version's bytes, and where in it (Migration…18DeliveryContent) */
  @ManyToOne(() => DeliveryContent, { fieldName: 'content_id', columnType: 'bigint', nullable: true, foreignKeyName: 'source_record_content_id_fkey', ...plainForeignKey })
  content?: Rel<DeliveryContent>;
  /** byte offset of the record in its delivery as delivered */
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) contentOffset?: number;
  /** its length in bytes */
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) contentLength?: number;
  /** set when a newer version of the same record arrived */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) supersededAt?: Date;
}
