import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An assistance programme of the catalogue (rules.md): data, so the office can add the other N policies. */
@Entity({ tableName: 'programme' })
export class Programme {
  @PrimaryKey({ type: 'text', columnType: 'text' }) code!: string;
  /** the Chinese name, as the policy writes it */
  @Property({ type: 'text', columnType: 'text' }) name!: string;
  @Property({ type: 'text', columnType: 'text' }) nameEn!: string;
  @Property({ type: 'text', columnType: 'text' }) sourceFeed!: string;
  /** PERSON or HOUSEHOLD */
  @Property({ type: 'text', columnType: 'text' }) level!: string;
  /** the same-kind group of rule D1 (BASIC_LIVING, TEMPORARY, …) */
  @Property({ type: 'text', columnType: 'text' }) kind!: string;
  /** a cash programme in the sense of rules.md */
  @Property({ type: 'boolean', columnType: 'boolean', default: false }) cash!: boolean;
}
