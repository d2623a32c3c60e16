import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Person } from './Person';

/**
 * 家庭 a family, identified by its head (rules.md): the civil-affairs and the poverty-relief
 * household with the same head are one household. Its attributes are facts (HouseholdRecord).
 */
@Entity({ tableName: 'household' })
@Unique({ name: 'household_head_person_id_key', properties: ['headPerson'] })
export class Household {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Person, { fieldName: 'head_person_id', columnType: 'bigint', foreignKeyName: 'household_head_person_id_fkey', ...plainForeignKey })
  headPerson!: Rel<Person>;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) createdAt!: Date;
}
