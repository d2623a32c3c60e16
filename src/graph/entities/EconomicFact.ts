import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Person } from './Person';

/** One item of an economic check (核对): a deposit, a vehicle, real estate… as of a date. */
@FactTable('economic_fact')
@Index({ name: 'economic_fact_newest', expression: 'CREATE INDEX economic_fact_newest ON public.economic_fact USING btree (person_id, source, item, as_of DESC) WHERE (retired_at IS NULL)' })
@Index({ name: 'economic_fact_person', expression: 'CREATE INDEX economic_fact_person ON public.economic_fact USING btree (person_id) WHERE (retired_at IS NULL)' })
export class EconomicFact extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'economic_fact_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  /** the registry checked (bank, vehicles, real estate…): the API calls it the fact's kind */
  @Property({ type: 'text', columnType: 'text' }) source!: string;
  @Property({ type: 'text', columnType: 'text' }) item!: string;
  @Property({ type: 'decimal', columnType: 'numeric(18,2)', nullable: true }) value?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) unit?: string;
  @Property({ type: 'date', columnType: 'date' }) asOf!: string;
}
