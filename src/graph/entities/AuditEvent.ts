import { ArrayType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Who read whose data (docs/roles-and-tokens.md). Append-only: the trigger
 * audit_event_no_update / audit_event_no_truncate (Migration…03Access) refuses every change,
 * which an entity cannot declare.
 */
@Entity({ tableName: 'audit_event' })
@Index({ name: 'audit_event_at', expression: 'CREATE INDEX audit_event_at ON public.audit_event USING btree (at DESC, id DESC)' })
@Index({ name: 'audit_event_persons', properties: ['personIds'], type: 'gin' })
@Index({ name: 'audit_event_quarantined_records', properties: ['quarantinedRecordIds'], type: 'gin' })
export class AuditEvent {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) at!: Date;
  @Property({ type: 'bigint', columnType: 'bigint', nullable: true }) tokenId?: string;
  @Property({ type: 'text', columnType: 'text' }) tokenLabel!: string;
  @Property({ type: 'text', columnType: 'text' }) role!: string;
  @Property({ type: 'string', columnType: 'varchar(12)' }) regionCode!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) department?: string;
  @Property({ type: 'text', columnType: 'text' }) operationType!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) operation?: string;
  @Property({ type: 'string', columnType: 'char(64)' }) querySha256!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) purpose?: string;
  /** the people whose ID numbers left in the answer */
  @Property({ type: ArrayType, columnType: 'bigint[]' }) personIds!: string[];
  /** the quarantined records read (Migration…09QuarantineAudit) */
  @Property({ type: ArrayType, columnType: 'bigint[]', defaultRaw: "'{}'" }) quarantinedRecordIds!: string[];
}
