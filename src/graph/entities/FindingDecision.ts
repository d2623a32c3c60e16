import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Finding } from './Finding';

export type FindingDecisionKind = 'CONFIRM' | 'DISMISS' | 'EXCEPTION';

/**
 * The office's decision on a finding (rules.md "Review"), kept with who, when and why; a later one
 * supersedes the finding's status, never this record (src/rules/review.ts). Migration 0002.
 */
@Entity({ tableName: 'finding_decision' })
@Index({ name: 'finding_decision_finding', properties: ['finding', 'decidedAt'] })
export class FindingDecision {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @ManyToOne(() => Finding, { fieldName: 'finding_id', foreignKeyName: 'finding_decision_finding_id_fkey', deleteRule: 'no action', updateRule: 'no action' })
  finding!: Rel<Finding>;

  // text with the check finding_decision_decision_check, which MikroORM reads as an enum
  @Enum({ items: ['CONFIRM', 'DISMISS', 'EXCEPTION'], columnType: 'text' })
  decision!: FindingDecisionKind;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'text', nullable: true })
  approvalRef?: string | null;

  @Property({ type: 'text' })
  decidedBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  decidedAt?: Date;
}
