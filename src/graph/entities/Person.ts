import { Check, Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A resident, identified by the normalised 18-character 居民身份证号码 and nothing else. */
@Entity({ tableName: 'person' })
@Unique({ name: 'person_id_number_key', properties: ['idNumber'] })
@Check({ name: 'person_id_number_check', expression: "(length((id_number)::text) = 18)" })
@Index({ name: 'person_region', expression: 'CREATE INDEX person_region ON public.person USING btree (region_code text_pattern_ops)' })
export class Person {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'string', columnType: 'varchar(18)' }) idNumber!: string;
  @Property({ type: 'text', columnType: 'text' }) name!: string;
  // char(1) in the table; MikroORM declares a string enum as text whatever its columnType (the one
  // difference tests/graph/entitiesMatchMigrations.test.ts allows)
  @Enum({ items: ['M', 'F'], columnType: 'char(1)' }) sex!: 'M' | 'F';
  @Property({ type: 'date', columnType: 'date' }) birthDate!: string;
  /** the most specific region of the newest record that carries one (used when no household lists them) */
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
  /** the version time of the newest record the name and region were taken from */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) observedAt?: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) createdAt!: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) updatedAt!: Date;
}
