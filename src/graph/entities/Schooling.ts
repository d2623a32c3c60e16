import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Person } from './Person';

/** A student's enrolment and aid in one term, from the education bureau's term files. */
@FactTable('schooling')
@Index({ name: 'schooling_person', expression: 'CREATE INDEX schooling_person ON public.schooling USING btree (person_id) WHERE (retired_at IS NULL)' })
@Index({ name: 'schooling_term', expression: 'CREATE INDEX schooling_term ON public.schooling USING btree (term) WHERE (retired_at IS NULL)' })
export class Schooling extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'schooling_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  @Property({ type: 'text', columnType: 'text' }) studentNo!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) school?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) stage?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) grade?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) status?: string;
  /** the term the file describes (its partition) */
  @Property({ type: 'text', columnType: 'text' }) term!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) aid?: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
}
