import { Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Fact, FactTable } from './Fact';

/** A town's or village's yearly figures (residents, staff, funds) the region rules R1–R4 compare with the standards. */
@FactTable('region_stat')
@Index({ name: 'region_stat_region', expression: 'CREATE INDEX region_stat_region ON public.region_stat USING btree (region_code, year) WHERE (retired_at IS NULL)' })
export class RegionStat extends Fact {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'string', columnType: 'varchar(12)' }) regionCode!: string;
  @Property({ type: 'integer', columnType: 'integer' }) year!: number;
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) residents?: number;
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) households?: number;
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) staff?: number;
  @Property({ type: 'integer', columnType: 'integer', nullable: true }) coordinators?: number;
  @Property({ type: 'decimal', columnType: 'numeric(16,2)', nullable: true }) reserveFund?: string;
  @Property({ type: 'decimal', columnType: 'numeric(16,2)', nullable: true }) backupFund?: string;
}
