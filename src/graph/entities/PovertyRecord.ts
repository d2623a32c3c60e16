import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Household } from './Household';
import { Person } from './Person';

/** A person's row of the poverty-relief snapshot (防返贫监测), with their 户编号 household number. */
@FactTable('poverty_record')
@Index({ name: 'poverty_record_household', expression: 'CREATE INDEX poverty_record_household ON public.poverty_record USING btree (household_id) WHERE (retired_at IS NULL)' })
@Index({ name: 'poverty_record_household_no', expression: 'CREATE INDEX poverty_record_household_no ON public.poverty_record USING btree (household_no) WHERE ((retired_at IS NULL) AND (valid_to IS NULL))' })
@Index({ name: 'poverty_record_person', expression: 'CREATE INDEX poverty_record_person ON public.poverty_record USING btree (person_id) WHERE (retired_at IS NULL)' })
export class PovertyRecord extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'poverty_record_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  /** the hub's household with the same head, where there is one */
  @ManyToOne(() => Household, { fieldName: 'household_id', columnType: 'bigint', nullable: true, foreignKeyName: 'poverty_record_household_id_fkey', ...plainForeignKey })
  household?: Rel<Household>;
  /** 户编号 the poverty-relief household's own number */
  @Property({ type: 'text', columnType: 'text' }) householdNo!: string;
  @Property({ type: 'string', columnType: 'varchar(2)', nullable: true }) relationCode?: string;
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) identifiedYear?: number;
  @Property({ type: 'text', columnType: 'text', nullable: true }) povertyStatus?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) monitoringType?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) mainRisk?: string;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) incomePerCapita?: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
  @Property({ type: 'date', columnType: 'date', nullable: true }) snapshotDate?: string;
}
