import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';

export type RegionLevel = 'CITY' | 'COUNTY' | 'TOWN' | 'VILLAGE';

/** 区划 a statistical division of the configured city: county (6 digits), town (9), village or community (12). */
@Entity({ tableName: 'region' })
@Index({ name: 'region_parent', properties: ['parentCode'] })
export class Region {
  @PrimaryKey({ type: 'string', columnType: 'varchar(12)' }) code!: string;
  @Property({ type: 'text', columnType: 'text' }) name!: string;
  @Enum({ items: ['CITY', 'COUNTY', 'TOWN', 'VILLAGE'], columnType: 'text' }) level!: RegionLevel;
  /** the parent's code (the reference as its key: the API reads regions as rows) */
  @ManyToOne(() => Region, { fieldName: 'parent_code', columnType: 'varchar(12)', nullable: true, mapToPk: true, foreignKeyName: 'region_parent_code_fkey', ...plainForeignKey })
  parentCode?: string;
  @Property({ type: 'string', columnType: 'varchar(6)', nullable: true }) countyCode?: string;
}
