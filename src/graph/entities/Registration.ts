import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Person } from './Person';

/** A special-group register entry (留守老人, 困境儿童, 流浪乞讨 …), active from registration to cancellation. */
@FactTable('registration')
@Index({ name: 'registration_person', expression: 'CREATE INDEX registration_person ON public.registration USING btree (person_id) WHERE (retired_at IS NULL)' })
export class Registration extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'registration_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  /** LSLR, LSFN, LSET, KJET, LLQT */
  @Property({ type: 'text', columnType: 'text' }) category!: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
}
