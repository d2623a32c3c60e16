import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Person } from './Person';

/** 一站式结算 one hospital settlement (health insurance), with what insurance, assistance and the patient paid. */
@FactTable('medical_settlement')
@Index({ name: 'medical_settlement_person', expression: 'CREATE INDEX medical_settlement_person ON public.medical_settlement USING btree (person_id) WHERE (retired_at IS NULL)' })
export class MedicalSettlement extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'medical_settlement_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  @Property({ type: 'date', columnType: 'date' }) settledOn!: string;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) totalCost?: string;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) insurancePaid?: string;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) assistancePaid?: string;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) outOfPocket?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) diagnosis?: string;
  /** 大病 a catastrophic-illness case */
  @Property({ type: 'boolean', columnType: 'boolean', default: false }) catastrophic!: boolean;
}
