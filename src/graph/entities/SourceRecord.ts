import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One version of a record as a registry delivered it: the provenance every fact points at. */
@Entity({ tableName: 'source_record' })
export class SourceRecord {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'text' }) feed!: string;
  @Property({ type: 'text' }) stream!: string;
  @Property({ type: 'text' }) recordKey!: string;
  /** file drops: the term or year a delivery completely describes ('' = the whole feed) */
  @Property({ type: 'text' }) partition!: string;
  /** file drops: the delivery that last contained this record */
  @Property({ type: 'text', nullable: true }) delivery?: string;
  /** the registry's own version time (updated_at, modifiedAt, snapshot date) */
  @Property({ type: 'datetime', nullable: true }) versionAt?: Date;
  @Property({ type: 'boolean' }) deleted!: boolean;
  /** the record as delivered, in its fields' order (json, not jsonb: Migration…05IngestSpeed) */
  @Property({ type: 'json', columnType: 'json' }) payload!: unknown;
  @Property({ type: 'text' }) payloadHash!: string;
  @Property({ type: 'datetime' }) firstSeenAt!: Date;
  @Property({ type: 'datetime' }) lastSeenAt!: Date;
  @Property({ type: 'bigint', nullable: true }) syncRunId?: string;
  /** set when a newer version of the same record arrived */
  @Property({ type: 'datetime', nullable: true }) supersededAt?: Date;
}
