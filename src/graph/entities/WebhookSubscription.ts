import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';

/**
 * A webhook subscription to the change log (exchange.md): who subscribed (the token's role, region
 * and department decide which events it is sent), where, which kinds, and how far delivery got.
 * Migration 0016.
 */
@Entity({ tableName: 'webhook_subscription' })
export class WebhookSubscription {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  /** the token that created it: revoked or expired, delivery stops (null: the hub's own tools) */
  @Property({ type: 'bigint', columnType: 'bigint', nullable: true }) tokenId?: string | null;
  @Enum({ items: ['OFFICE', 'TOWN', 'DEPARTMENT', 'ANALYST', 'ADMIN'], columnType: 'text' }) role!: 'OFFICE' | 'TOWN' | 'DEPARTMENT' | 'ANALYST' | 'ADMIN';
  @Property({ type: 'string', columnType: 'varchar(12)' }) regionPrefix!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) department?: string | null;
  @Property({ type: 'text', columnType: 'text' }) label!: string;
  @Property({ type: 'text', columnType: 'text' }) url!: string;
  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: "'{}'" }) kinds!: string[];
  @Property({ type: 'text', columnType: 'text' }) secret!: string;
  /** the last event delivered (or, before the first, the log's end when it was created) */
  @Property({ type: 'bigint', columnType: 'bigint' }) deliveredTxid!: string;
  @Property({ type: 'bigint', columnType: 'bigint' }) deliveredId!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) lastError?: string | null;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) failures!: number;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) nextAttemptAt?: Date | null;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) createdAt?: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) deletedAt?: Date | null;
}

/** A subscription's own list of people (idNumbers, up to 10,000): a department is sent events about them. */
@Entity({ tableName: 'webhook_subscription_person' })
@Index({ name: 'webhook_subscription_person_id_number', properties: ['idNumber'] })
export class WebhookSubscriptionPerson {
  @ManyToOne(() => WebhookSubscription, { primary: true, fieldName: 'subscription_id', columnType: 'bigint', foreignKeyName: 'webhook_subscription_person_subscription_id_fkey', ...plainForeignKey })
  subscription!: Rel<WebhookSubscription>;
  @PrimaryKey({ type: 'string', columnType: 'varchar(18)' }) idNumber!: string;
}
