import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { ParameterDefinition } from './ParameterDefinition';

/**
 * A dated parameter row (parameters.md): a new value is a new row from its date on, never a change
 * to an old one. The trigger parameter_value_conforms refuses a value its definition does not
 * allow, whoever writes it. Migrations 0002, 0003 and 0008.
 */
@Entity({ tableName: 'parameter' })
@Unique({ name: 'parameter_name_region_code_valid_from_key', properties: ['definition', 'regionCode', 'validFrom'] })
export class Parameter {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  /** the column `name`, referencing its definition */
  @ManyToOne(() => ParameterDefinition, { fieldName: 'name', foreignKeyName: 'parameter_name_defined', deleteRule: 'no action', updateRule: 'no action' })
  definition!: Rel<ParameterDefinition>;

  @Property({ type: 'string', columnType: 'varchar(12)', length: 12 })
  regionCode!: string;

  /** 'YYYY-MM-DD' */
  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'text' })
  value!: string;

  @Property({ type: 'text', nullable: true })
  unit?: string | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;

  /** who set it (setParameter); seeded rows have none */
  @Property({ type: 'text', nullable: true })
  createdBy?: string | null;
}
