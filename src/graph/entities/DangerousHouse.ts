import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Person } from './Person';

/** 农村危房 a rural dangerous-house assessment and its renovation (housing bureau). */
@FactTable('dangerous_house')
@Index({ name: 'dangerous_house_person', expression: 'CREATE INDEX dangerous_house_person ON public.dangerous_house USING btree (person_id) WHERE (retired_at IS NULL)' })
export class DangerousHouse extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'dangerous_house_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  @Property({ type: 'text', columnType: 'text' }) rating!: string;
  @Property({ type: 'date', columnType: 'date' }) assessedOn!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) renovationStatus?: string;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) subsidy?: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
}
