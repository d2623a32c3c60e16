import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A resident, identified by the normalised 18-character 居民身份证号码 and nothing else. */
@Entity({ tableName: 'person' })
export class Person {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'string', length: 18, unique: true })
  idNumber!: string;

  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'string', length: 1 }) sex!: 'M' | 'F';
  @Property({ type: 'date' }) birthDate!: string;
  /** the most specific region of the newest record that carries one (used when no household lists them) */
  @Property({ type: 'string', length: 12, nullable: true }) regionCode?: string;
  /** the version time of the newest record the name and region were taken from */
  @Property({ type: 'datetime', nullable: true }) observedAt?: Date;
  @Property({ type: 'datetime' }) createdAt!: Date;
  @Property({ type: 'datetime' }) updatedAt!: Date;
}
