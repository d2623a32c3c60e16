import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Household } from './Household';

/** What one registry says of a household: its region, 户籍性质 registration type and address. */
@FactTable('household_record')
@Index({ name: 'household_record_household', expression: 'CREATE INDEX household_record_household ON public.household_record USING btree (household_id) WHERE (retired_at IS NULL)' })
@Index({ name: 'household_record_region', expression: 'CREATE INDEX household_record_region ON public.household_record USING btree (region_code text_pattern_ops) WHERE (retired_at IS NULL)' })
export class HouseholdRecord extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Household, { fieldName: 'household_id', columnType: 'bigint', foreignKeyName: 'household_record_household_id_fkey', ...plainForeignKey })
  household!: Rel<Household>;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
  /** 城镇 urban or 农村 rural (hjxz) */
  @Property({ type: 'text', columnType: 'text', nullable: true }) registrationType?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) address?: string;
  @Property({ type: 'boolean', columnType: 'boolean', default: false }) deleted!: boolean;
}
