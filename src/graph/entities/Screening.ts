import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Programme } from './Programme';
import { Region } from './Region';

/**
 * 逐一筛选比对 one proposed list (office.md "Screening"): a programme, a calendar year, the region
 * that submits it, who submitted it. Its rows are ScreeningRow; each judgement of it (on arrival,
 * then on request) is a ScreeningJudgement. Withdrawn, it counts for nothing. Migration 0013.
 */
@Entity({ tableName: 'screening' })
@Index({ name: 'screening_kind_year', properties: ['year', 'programme'] })
export class Screening {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Programme, { fieldName: 'programme_code', columnType: 'text', foreignKeyName: 'screening_programme_code_fkey', ...plainForeignKey })
  programme!: Rel<Programme>;
  @Property({ type: 'integer', columnType: 'integer' }) year!: number;
  @ManyToOne(() => Region, { fieldName: 'region_code', columnType: 'varchar(12)', foreignKeyName: 'screening_region_code_fkey', ...plainForeignKey })
  region!: Rel<Region>;
  @Property({ type: 'text', columnType: 'text' }) title!: string;
  /** the date of the newest judgement */
  @Property({ type: 'date', columnType: 'date' }) asOf!: string;
  /** the submitting token's label */
  @Property({ type: 'text', columnType: 'text' }) submittedBy!: string;
  /** the submitting token (separation of duties: it may not evaluate this list); null for the hub's own tools */
  @Property({ type: 'text', columnType: 'text', nullable: true }) submittedToken?: string | null;
  @Property({ type: 'text', columnType: 'text' }) submittedRole!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) submittedDepartment?: string | null;
  @Property({ type: 'integer', columnType: 'integer', default: 0 }) rowCount!: number;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) withdrawnAt?: Date | null;
  @Property({ type: 'text', columnType: 'text', nullable: true }) withdrawnBy?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) createdAt!: Date;
}
