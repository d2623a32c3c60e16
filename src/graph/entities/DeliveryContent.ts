import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel, Unique } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { SyncRun } from './SyncRun';

/**
 * What a registry delivered, kept once as delivered (issue 18): a file drop's file or an API page's
 * body, byte for byte, gzip-compressed, named by the sha256 of its bytes. Source records point into
 * it (offset and length of the record's bytes) instead of each keeping a payload of its own. Kept in
 * the database, not in a folder beside it, so that a backup of the database holds the evidence its
 * facts point at and a batch's records and their delivery commit together.
 */
@Entity({ tableName: 'delivery_content' })
@Unique({ name: 'delivery_content_sha256_key', properties: ['sha256'] })
export class DeliveryContent {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  /** sha256 of the bytes as delivered (not of the compressed form) */
  @Property({ type: 'blob', columnType: 'bytea' }) sha256!: Buffer;
  /** the file name, or the page's request path and query, when first delivered */
  @Property({ type: 'text', columnType: 'text' }) name!: string;
  /** bytes as delivered */
  @Property({ type: 'integer', columnType: 'integer' }) size!: number;
  /** the bytes as delivered, gzip-compressed */
  @Property({ type: 'blob', columnType: 'bytea' }) gzip!: Buffer;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) receivedAt!: Date;
  @ManyToOne(() => SyncRun, { fieldName: 'sync_run_id', columnType: 'bigint', nullable: true, foreignKeyName: 'delivery_content_sync_run_id_fkey', ...plainForeignKey })
  syncRun?: Rel<SyncRun>;
}

/**
 * An API page of a stream whose pages have a stable address (page/size pagination), as last
 * committed: the next sync that receives the same bytes at the same address skips the page whole —
 * its records were applied then and would change nothing now (issue 18, "re-reading an unchanged
 * delivery must cost almost nothing"). Written in the transaction of the batch that applied the page.
 */
@Entity({ tableName: 'delivered_page' })
@Index({ name: 'delivered_page_content', properties: ['content'] })
export class DeliveredPage {
  @PrimaryKey({ type: 'text', columnType: 'text' }) feed!: string;
  @PrimaryKey({ type: 'text', columnType: 'text' }) stream!: string;
  /** the page's request path and query */
  @PrimaryKey({ type: 'text', columnType: 'text' }) address!: string;
  @ManyToOne(() => DeliveryContent, { fieldName: 'content_id', columnType: 'bigint', foreignKeyName: 'delivered_page_content_id_fkey', ...plainForeignKey })
  content!: Rel<DeliveryContent>;
  /** its records, and the places (0-based) of those quarantined: what a skipped page counts as read, and the records not to skip */
  @Property({ type: 'integer', columnType: 'integer' }) records!: number;
  @Property({ type: 'integer[]', columnType: 'integer[]' }) quarantined!: number[];
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) appliedAt!: Date;
}

/**
 * The record keys a file delivery held again unchanged, one row per committed batch while the
 * delivery is being applied: its last batch ends the partition's records neither written by it nor
 * listed here, then forgets its rows. Such a record is not updated to say it was seen again (a
 * corrected term file rewrote half a million rows for 2% that changed); the keys commit with their
 * batch, so a resume after SIGKILL still knows them.
 */
@Entity({ tableName: 'delivery_seen' })
@Index({ name: 'delivery_seen_stream', properties: ['feed', 'stream'] })
export class DeliverySeen {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'text', columnType: 'text' }) feed!: string;
  @Property({ type: 'text', columnType: 'text' }) stream!: string;
  /** the delivery's id (file name and content hash) */
  @Property({ type: 'text', columnType: 'text' }) delivery!: string;
  @Property({ type: 'text[]', columnType: 'text[]' }) keys!: string[];
}
