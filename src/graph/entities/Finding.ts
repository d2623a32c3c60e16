import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Household } from './Household';
import { Person } from './Person';
import { RuleRun } from './RuleRun';

/**
 * 疑点 what a rule found about a person, a household or a region, identified across runs by
 * `identity`; its status follows the office's decisions (FindingDecision).
 */
@Entity({ tableName: 'finding' })
@Unique({ name: 'finding_identity_key', properties: ['identity'] })
@Index({ name: 'finding_household', properties: ['household'] })
@Index({ name: 'finding_person', properties: ['person'] })
@Index({ name: 'finding_region', expression: 'CREATE INDEX finding_region ON public.finding USING btree (region_code text_pattern_ops)' })
@Index({ name: 'finding_rule', properties: ['rule', 'status'] })
export class Finding {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  /** the same finding in every run that finds it: rule, subject and item */
  @Property({ type: 'text', columnType: 'text' }) identity!: string;
  @Property({ type: 'text', columnType: 'text' }) rule!: string;
  @Property({ type: 'text', columnType: 'text' }) ruleVersion!: string;
  @Enum({ items: ['DUAL_BENEFIT', 'GAP', 'COMPLIANCE'], columnType: 'text' }) kind!: 'DUAL_BENEFIT' | 'GAP' | 'COMPLIANCE';
  @Enum({ items: ['person', 'household', 'region'], columnType: 'text' }) subjectType!: 'person' | 'household' | 'region';
  @Property({ type: 'text', columnType: 'text' }) subjectKey!: string;
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', nullable: true, foreignKeyName: 'finding_person_id_fkey', ...plainForeignKey })
  person?: Rel<Person>;
  @ManyToOne(() => Household, { fieldName: 'household_id', columnType: 'bigint', nullable: true, foreignKeyName: 'finding_household_id_fkey', ...plainForeignKey })
  household?: Rel<Household>;
  @Property({ type: 'string', columnType: 'varchar(12)', nullable: true }) regionCode?: string;
  @Property({ type: 'text', columnType: 'text', nullable: true }) item?: string;
  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: "'{}'" }) clauses!: string[];
  @Property({ type: 'date', columnType: 'date', nullable: true }) periodStart?: string;
  @Property({ type: 'date', columnType: 'date', nullable: true }) periodEnd?: string;
  @Enum({ items: ['OPEN', 'CONFIRMED', 'DISMISSED', 'EXCEPTION', 'CLEARED'], columnType: 'text' }) status!: 'OPEN' | 'CONFIRMED' | 'DISMISSED' | 'EXCEPTION' | 'CLEARED';
  /** a decided finding whose condition stopped holding: resolved beside the decision */
  @Property({ type: 'boolean', columnType: 'boolean', default: false }) resolved!: boolean;
  @Property({ type: 'json', columnType: 'jsonb', default: '[]' }) evidence!: unknown;
  @Property({ type: 'json', columnType: 'jsonb', default: '{}' }) detail!: unknown;
  @Property({ type: 'json', columnType: 'jsonb', default: '[]' }) parameters!: unknown;
  @Property({ type: 'date', columnType: 'date' }) asOf!: string;
  @ManyToOne(() => RuleRun, { fieldName: 'first_run_id', columnType: 'bigint', nullable: true, foreignKeyName: 'finding_first_run_id_fkey', ...plainForeignKey })
  firstRun?: Rel<RuleRun>;
  @ManyToOne(() => RuleRun, { fieldName: 'last_run_id', columnType: 'bigint', nullable: true, foreignKeyName: 'finding_last_run_id_fkey', ...plainForeignKey })
  lastRun?: Rel<RuleRun>;
  /** the last run that found it holding */
  @ManyToOne(() => RuleRun, { fieldName: 'held_in_run_id', columnType: 'bigint', nullable: true, foreignKeyName: 'finding_held_in_run_id_fkey', ...plainForeignKey })
  heldInRun?: Rel<RuleRun>;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) openedAt!: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) clearedAt?: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) updatedAt!: Date;
}
