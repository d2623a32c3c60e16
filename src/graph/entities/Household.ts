import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * 家庭 a family, identified by its head (rules.md): the civil-affairs and the poverty-relief
 * household with the same head are one household. Its attributes are facts (HouseholdRecord).
 */
@Entity({ tableName: 'household' })
export class Household {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'bigint', unique: true })
  headPersonId!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
