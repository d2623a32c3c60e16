import { ArrayType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The nine categories each person held when the change log last compared them (exchange.md
 * CATEGORY_ENTERED / CATEGORY_LEFT): the next comparison writes the differences. Migration 0016.
 */
@Entity({ tableName: 'person_category_state' })
export class PersonCategoryState {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: false }) personId!: string;
  @Property({ type: ArrayType, columnType: 'text[]' }) categories!: string[];
  @Property({ type: 'date', columnType: 'date' }) computedOn!: string;
}
