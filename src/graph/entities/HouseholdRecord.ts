import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Fact } from './Fact';

/** What one registry says of a household: its region, 户籍性质 registration type and address. */
@Entity({ tableName: 'household_record' })
export class HouseholdRecord extends Fact {
  @PrimaryKey({ type: 'bigint' }) id!: string;
  @Property({ type: 'bigint' }) householdId!: string;
  @Property({ type: 'string', length: 12, nullable: true }) regionCode?: string;
  /** 城镇 urban or 农村 rural (hjxz) */
  @Property({ type: 'text', nullable: true }) registrationType?: string;
  @Property({ type: 'text', nullable: true }) address?: string;
  @Property({ type: 'boolean' }) deleted!: boolean;
}
