import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

export const CHANGE_KINDS = [
  'CATEGORY_ENTERED', 'CATEGORY_LEFT', 'BENEFIT_STARTED', 'BENEFIT_ENDED', 'DECEASED',
  'FINDING_OPENED', 'FINDING_CLEARED', 'FINDING_DECIDED', 'SYNC_FAILED', 'SOURCE_STALE',
] as const;
export type ChangeKindName = (typeof CHANGE_KINDS)[number];

/**
 * 变更通知 one event of the append-only change log (exchange.md), written in the transaction of the
 * change that causes it (src/db/changeLog.ts). `txid` is the writing transaction's id: readers
 * order by (txid, id) and see only transactions older than every one still running, so a cursor
 * never passes an event that commits late. Migration 0016.
 */
@Entity({ tableName: 'change_event' })
@Index({ name: 'change_event_cursor', properties: ['txid', 'id'] })
@Index({ name: 'change_event_person', properties: ['personId'] })
export class ChangeEvent {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'bigint', columnType: 'bigint' }) txid!: string;
  @Enum({ items: [...CHANGE_KINDS], columnType: 'text' }) kind!: ChangeKindName;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) at?: Date;
  @Property({ type: 'date', columnType: 'date', nullable: true }) effectiveOn?: string | null;
  @Property({ type: 'bigint', columnType: 'bigint', nullable: true }) personId?: string | null;
  @Property({ type: 'text', columnType: 'text', nullable: true }) category?: string | null;
  @Property({ type: 'text', columnType: 'text', nullable: true }) programme?: string | null;
  @Property({ type: 'bigint', columnType: 'bigint', nullable: true }) findingId?: string | null;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string | null;
  /** SYNC_FAILED, SOURCE_STALE: the connector */
  @Property({ type: 'text', columnType: 'text', nullable: true }) connector?: string | null;
}
