import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Fact } from './Fact';

/** A special-group register entry (留守老人, 困境儿童, 流浪乞讨 …), active from registration to cancellation. */
@Entity({ tableName: 'registration' })
export class Registration extends Fact {
  @PrimaryKey({ type: 'bigint' }) id!: string;
  @Property({ type: 'bigint' }) personId!: string;
  /** LSLR, LSFN, LSET, KJET, LLQT */
  @Property({ type: 'text' }) category!: string;
  @Property({ type: 'string', length: 12, nullable: true }) regionCode?: string;
}
