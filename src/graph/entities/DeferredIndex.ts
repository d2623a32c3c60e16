import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A secondary index or foreign key of an ingest table that a first load into an empty graph
 * dropped, to be built again when the load ends (issue 18; src/ingest/firstLoad.ts,
 * src/db/deferredIndexes.ts). Written in the transaction that drops it and deleted in the one that
 * builds it again, so that a load killed part-way still says what its tables are missing.
 */
@Entity({ tableName: 'deferred_index' })
export class DeferredIndex {
  @PrimaryKey({ type: 'text', columnType: 'text' }) tableName!: string;
  /** the index's or the constraint's name */
  @PrimaryKey({ type: 'text', columnType: 'text' }) name!: string;
  /** INDEX or FOREIGN KEY */
  @Property({ type: 'text', columnType: 'text' }) kind!: string;
  /** pg_get_indexdef (the whole CREATE INDEX) or pg_get_constraintdef (FOREIGN KEY … REFERENCES …) */
  @Property({ type: 'text', columnType: 'text' }) definition!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) deferredAt!: Date;
  /** a foreign key added again whose validation found rows that break it: what PostgreSQL said */
  @Property({ type: 'text', columnType: 'text', nullable: true }) violation?: string;
}
