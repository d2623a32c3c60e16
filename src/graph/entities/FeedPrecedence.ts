import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * Which feed speaks first about a household or a person (Migration…10Concepts): data read by the
 * rules' SQL, not a CASE spelled out in every statement. A feed nobody ranked comes last.
 */
@Entity({ tableName: 'feed_precedence' })
@Unique({ name: 'feed_precedence_rank_key', properties: ['rank'] })
export class FeedPrecedence {
  @PrimaryKey({ type: 'text', columnType: 'text' }) feed!: string;
  /** 1 speaks first */
  @Property({ type: 'integer', columnType: 'integer' }) rank!: number;
}
