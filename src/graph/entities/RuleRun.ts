import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';

/** One evaluation of the rules as of a date, whole or scoped to what a sync touched. */
@Entity({ tableName: 'rule_run' })
export class RuleRun {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'date', columnType: 'date' }) asOf!: string;
  @Enum({ items: ['RUNNING', 'SUCCEEDED', 'FAILED'], columnType: 'text' }) status!: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) startedAt!: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) finishedAt?: Date;
  @Property({ type: 'json', columnType: 'jsonb', nullable: true }) summary?: unknown;
  @Property({ type: 'text', columnType: 'text', nullable: true }) error?: string;
  /** a scoped run is only as current as the last full one of its day */
  @Property({ type: 'boolean', columnType: 'boolean', default: false }) scoped!: boolean;
}
