import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type RegionLevel = 'CITY' | 'COUNTY' | 'TOWN' | 'VILLAGE';

/** 区划 a statistical division of the configured city: county (6 digits), town (9), village or community (12). */
@Entity({ tableName: 'region' })
export class Region {
  @PrimaryKey({ type: 'string', length: 12 })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  level!: RegionLevel;

  @Property({ type: 'string', length: 12, nullable: true })
  parentCode?: string;

  @Property({ type: 'string', length: 6, nullable: true })
  countyCode?: string;
}
