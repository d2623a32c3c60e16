import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One region's coverage in a monthly report (every level, the city included), frozen with it. */
@Entity({ tableName: 'monthly_report_region' })
export class MonthlyReportRegion {
  @PrimaryKey({ type: 'string', columnType: 'char(7)' }) month!: string;
  @PrimaryKey({ type: 'string', columnType: 'varchar(12)' }) regionCode!: string;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) parentCode?: string;
  @Property({ type: 'text', columnType: 'text' }) name!: string;
  @Property({ type: 'integer', columnType: 'integer' }) persons!: number;
  /** { category: persons } */
  @Property({ type: 'json', columnType: 'jsonb' }) byCategory!: unknown;
  /** { rule: open findings at month end } */
  @Property({ type: 'json', columnType: 'jsonb' }) openFindings!: unknown;
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) residents?: number;
}
