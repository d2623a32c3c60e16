import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { ScreeningRow } from './ScreeningRow';

export type EvaluationDecision = 'APPROVE' | 'REJECT' | 'REFER';

/**
 * 评估 the office's decision on a screening row, kept with who, when and why; a later decision is
 * added, never written over, and the newest is the row's evaluation (office.md "Evaluation").
 */
@Entity({ tableName: 'screening_evaluation' })
@Index({ name: 'screening_evaluation_row', properties: ['row', 'id'] })
export class ScreeningEvaluation {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => ScreeningRow, { fieldName: 'row_id', columnType: 'bigint', foreignKeyName: 'screening_evaluation_row_id_fkey', ...plainForeignKey })
  row!: Rel<ScreeningRow>;
  @Enum({ items: ['APPROVE', 'REJECT', 'REFER'], columnType: 'text' }) decision!: EvaluationDecision;
  @Property({ type: 'text', columnType: 'text', nullable: true }) note?: string | null;
  /** the leading group's approval (领导小组研究通过), required to APPROVE a LEADING_GROUP row */
  @Property({ type: 'text', columnType: 'text', nullable: true }) approvalRef?: string | null;
  @Property({ type: 'text', columnType: 'text' }) decidedBy!: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) decidedToken?: string | null;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) decidedAt!: Date;
}
