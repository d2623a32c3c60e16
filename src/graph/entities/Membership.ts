import { Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Fact, FactTable } from './Fact';
import { Household } from './Household';
import { Person } from './Person';

/** A person listed in a household's record, with the 与户主关系 relation code (GB/T 4761). */
@FactTable('membership')
@Index({ name: 'membership_household', expression: 'CREATE INDEX membership_household ON public.membership USING btree (household_id) WHERE (retired_at IS NULL)' })
@Index({ name: 'membership_person', expression: 'CREATE INDEX membership_person ON public.membership USING btree (person_id) WHERE (retired_at IS NULL)' })
/** every version of a membership by its key: when a member was first listed */
@Index({ name: 'membership_versions', expression: 'CREATE INDEX membership_versions ON public.membership USING btree (feed, record_key, item_key)' })
export class Membership extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Household, { fieldName: 'household_id', columnType: 'bigint', foreignKeyName: 'membership_household_id_fkey', ...plainForeignKey })
  household!: Rel<Household>;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', foreignKeyName: 'membership_person_id_fkey', ...plainForeignKey })
  person!: Rel<Person>;
  @Property({ type: 'string', columnType: 'varchar(2)' }) relationCode!: string;
  /** 自理能力 全自理 / 半失能 / 全失能 */
  @Property({ type: 'text', columnType: 'text', nullable: true }) selfCare?: string;
}
