import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Person } from './Person';

/** 残疾人证 a disability certificate (disability federation): category and grade, valid from issue to expiry. */
@FactTable('disability_certificate')
@Index({ name: 'disability_certificate_person', expression: 'CREATE INDEX disability_certificate_person ON public.disability_certificate USING btree (person_id) WHERE (retired_at IS NULL)' })
export class DisabilityCertificate extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'disability_certificate_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  @Property({ type: 'text', columnType: 'text' }) certificateNo!: string;
  @Property({ type: 'smallint', columnType: 'smallint' }) category!: number;
  @Property({ type: 'smallint', columnType: 'smallint' }) grade!: number;
  @Property({ type: 'text', columnType: 'text' }) status!: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
}
