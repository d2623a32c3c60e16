import { Entity, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

/** 登记的查询 a document DEPARTMENT apps may run, by the sha256 of its exact text (src/auth/operationAllowList.ts). Migration 0003. */
@Entity({ tableName: 'registered_operation' })
export class RegisteredOperation {
  [PrimaryKeyProp]?: 'sha256';

  @PrimaryKey({ type: 'character', columnType: 'char(64)', length: 64 })
  sha256!: string;

  @Property({ type: 'text', nullable: true })
  name?: string | null;

  @Property({ type: 'text', nullable: true })
  department?: string | null;

  @Property({ type: 'text' })
  document!: string;

  @Property({ type: 'text' })
  registeredBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  registeredAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  retiredAt?: Date | null;
}
