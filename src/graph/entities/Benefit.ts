import { Check, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Household } from './Household';
import { Person } from './Person';
import { Programme } from './Programme';

/** A benefit of a catalogued programme, to a person or a household, with its exact amount. */
@FactTable('benefit')
@Check({ name: 'benefit_check', expression: "((person_id IS NOT NULL) OR (household_id IS NOT NULL))" })
@Index({ name: 'benefit_household', expression: 'CREATE INDEX benefit_household ON public.benefit USING btree (household_id) WHERE (retired_at IS NULL)' })
@Index({ name: 'benefit_person', expression: 'CREATE INDEX benefit_person ON public.benefit USING btree (person_id) WHERE (retired_at IS NULL)' })
@Index({ name: 'benefit_programme', expression: 'CREATE INDEX benefit_programme ON public.benefit USING btree (programme_code) WHERE (retired_at IS NULL)' })
export class Benefit extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Programme, { fieldName: 'programme_code', columnType: 'text', foreignKeyName: 'benefit_programme_code_fkey', ...plainForeignKey })
  programme!: Rel<Programme>;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', nullable: true, foreignKeyName: 'benefit_person_id_fkey', ...plainForeignKey })
  person?: Rel<Person>;
  @ManyToOne(() => Household, { fieldName: 'household_id', columnType: 'bigint', nullable: true, foreignKeyName: 'benefit_household_id_fkey', ...plainForeignKey })
  household?: Rel<Household>;
  /** yuan, exact (numeric arrives as a string) */
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) amount?: string;
  @Property({ type: 'date', columnType: 'date', nullable: true }) paidOn?: string;
  /** 审批级别 镇街 town / 区市 county */
  @Property({ type: 'text', columnType: 'text', nullable: true }) approvalLevel?: string;
  /** 供养方式 集中 / 分散 (TK) */
  @Property({ type: 'text', columnType: 'text', nullable: true }) supportMode?: string;
  /** 领导小组批准文号 the leading group's approval of a repeat grant */
  @Property({ type: 'text', columnType: 'text', nullable: true }) approvalRef?: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
  @Property({ type: 'json', columnType: 'jsonb', nullable: true }) details?: Record<string, unknown>;
}
