import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Person } from './Person';

/** A death the health registry recorded. */
@FactTable('death_record')
@Index({ name: 'death_record_person', expression: 'CREATE INDEX death_record_person ON public.death_record USING btree (person_id) WHERE (retired_at IS NULL)' })
export class DeathRecord extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'death_record_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  @Property({ type: 'date', columnType: 'date' }) diedOn!: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
}
