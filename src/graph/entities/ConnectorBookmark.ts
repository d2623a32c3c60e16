import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Where a connector's stream resumes: advanced only in the transaction that commits its batch. */
@Entity({ tableName: 'connector_bookmark' })
export class ConnectorBookmark {
  @PrimaryKey({ type: 'text' })
  connector!: string;

  @PrimaryKey({ type: 'text' })
  stream!: string;

  @Property({ type: 'json' })
  bookmark!: Record<string, unknown>;

  @Property({ type: 'bigint', nullable: true })
  syncRunId?: string;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
