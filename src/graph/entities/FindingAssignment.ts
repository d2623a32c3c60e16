import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Finding } from './Finding';

/**
 * 分派 the office hands a finding to a department or a town to check (exchange.md). A finding can
 * be assigned again: a new row, the newest counts; none is written over. Migration 0016.
 */
@Entity({ tableName: 'finding_assignment' })
@Check({ name: 'finding_assignment_check', expression: '((to_department IS NULL) <> (to_region_code IS NULL))' })
@Index({ name: 'finding_assignment_finding', properties: ['finding', 'id'] })
@Index({ name: 'finding_assignment_department', properties: ['toDepartment'] })
@Index({ name: 'finding_assignment_region', expression: 'CREATE INDEX finding_assignment_region ON public.finding_assignment USING btree (to_region_code text_pattern_ops)' })
export class FindingAssignment {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Finding, { fieldName: 'finding_id', columnType: 'bigint', foreignKeyName: 'finding_assignment_finding_id_fkey', ...plainForeignKey })
  finding!: Rel<Finding>;
  /** a department as tokens name it (a connector name) */
  @Property({ type: 'text', columnType: 'text', nullable: true }) toDepartment?: string | null;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) toRegionCode?: string | null;
  @Property({ type: 'date', columnType: 'date' }) dueOn!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) note?: string | null;
  @Property({ type: 'text', columnType: 'text' }) assignedBy!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) assignedAt?: Date;
}
