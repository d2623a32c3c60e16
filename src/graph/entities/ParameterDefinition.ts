import { Check, Entity, Enum, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

/**
 * What a parameter's values must be: type, unit, range (parameters.md). The check itself is SQL
 * (weijiu_parameter_fault), shared by setParameter and the trigger on `parameter`. Migration 0008.
 */
@Entity({ tableName: 'parameter_definition' })
@Check({ name: 'parameter_definition_decimals_check', expression: 'decimals >= 0 and decimals <= 6' })
@Check({ name: 'parameter_definition_check', expression: "(type = 'LIST') = (minimum is null and maximum is null)" })
@Check({ name: 'parameter_definition_check1', expression: 'minimum <= maximum' })
@Check({ name: 'parameter_definition_check2', expression: "type <> 'INTEGER' or decimals = 0" })
@Check({ name: 'parameter_definition_check3', expression: "type <> 'INTEGER' or (minimum >= -2147483648 and maximum <= 2147483647)" })
@Check({ name: 'parameter_definition_check4', expression: "(maximum < '1000000000000000'::numeric) AND (minimum > '-1000000000000000'::numeric)" })
export class ParameterDefinition {
  [PrimaryKeyProp]?: 'name';

  @PrimaryKey({ type: 'text' })
  name!: string;

  // text with the check parameter_definition_type_check, which MikroORM reads as an enum
  @Enum({ items: ['INTEGER', 'DECIMAL', 'LIST'], columnType: 'text' })
  type!: 'INTEGER' | 'DECIMAL' | 'LIST';

  @Property({ type: 'text' })
  unit!: string;

  /** numeric, kept as the string PostgreSQL sends */
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  minimum?: string | null;

  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  maximum?: string | null;

  @Property({ type: 'integer', default: 0 })
  decimals!: number;

  @Property({ type: 'text' })
  description!: string;
}
