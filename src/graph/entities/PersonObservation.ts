import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Person } from './Person';
import { SourceRecord } from './SourceRecord';

/**
 * What each feed says a person is called and where they live: kept per feed so that a
 * disagreement stays visible (a data-quality record), never resolved by merging two people.
 * The table keeps 20% of each page free (fillfactor 80, Migration…05IngestSpeed).
 */
@Entity({ tableName: 'person_observation' })
export class PersonObservation {
  @ManyToOne(() => Person, { primary: true, fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'person_observation_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  @PrimaryKey({ type: 'text', columnType: 'text' }) feed!: string;
  @Property({ type: 'text', columnType: 'text' }) name!: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
  @Property({ type: 'datetime', columnType: 'timestamptz' }) observedAt!: Date;
  @ManyToOne(() => SourceRecord, { fieldName: 'source_record_id', columnType: 'bigint', nullable: true, foreignKeyName: 'person_observation_source_record_id_fkey', ...plainForeignKey })
  sourceRecord?: Rel<SourceRecord>;
}
