import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An assistance programme of the catalogue (rules.md): data, so the office can add the other N policies. */
@Entity({ tableName: 'programme' })
export class Programme {
  @PrimaryKey({ type: 'text' })
  code!: string;

  /** the Chinese name, as the policy writes it */
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  nameEn!: string;

  @Property({ type: 'text' })
  sourceFeed!: string;

  /** PERSON or HOUSEHOLD */
  @Property({ type: 'text' })
  level!: string;

  /** the same-kind group of rule D1 (BASIC_LIVING, TEMPORARY, …) */
  @Property({ type: 'text' })
  kind!: string;

  /** a cash programme in the sense of rules.md */
  @Property({ type: 'boolean' })
  cash!: boolean;
}
