import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Fact } from './Fact';

/** A person listed in a household's record, with the 与户主关系 relation code (GB/T 4761). */
@Entity({ tableName: 'membership' })
export class Membership extends Fact {
  @PrimaryKey({ type: 'bigint' }) id!: string;
  @Property({ type: 'bigint' }) householdId!: string;
  @Property({ type: 'bigint' }) personId!: string;
  @Property({ type: 'string', length: 2 }) relationCode!: string;
  /** 自理能力 全自理 / 半失能 / 全失能 */
  @Property({ type: 'text', nullable: true }) selfCare?: string;
}
