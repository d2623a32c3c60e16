import { Entity, Property } from '@mikro-orm/core';

/**
 * The columns every fact shares: business period (inclusive), the source record version that
 * stated it, and system time. A fact is never updated in place: its successor retires it.
 */
@Entity({ abstract: true })
export abstract class Fact {
  @Property({ type: 'text' }) feed!: string;
  @Property({ type: 'text' }) recordKey!: string;
  /** the fact's identity inside its record (a member's ID number, an enrollment's programme and start…) */
  @Property({ type: 'text' }) itemKey!: string;
  @Property({ type: 'date', nullable: true }) validFrom?: string;
  @Property({ type: 'date', nullable: true }) validTo?: string;
  @Property({ type: 'bigint' }) sourceRecordId!: string;
  @Property({ type: 'datetime' }) recordedAt!: Date;
  @Property({ type: 'datetime', nullable: true }) retiredAt?: Date;
}
