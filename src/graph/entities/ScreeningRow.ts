import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Person } from './Person';
import { Screening } from './Screening';

export type Verdict = 'PASS' | 'REVIEW' | 'LEADING_GROUP' | 'REJECT';

/**
 * A person proposed on a screening, in the order of the file or input (row 1 = the first data
 * row), with the verdict and reason codes of the newest judgement (their evidence:
 * ScreeningReason). The ID number as delivered is kept so that a rescreen as of another day
 * judges it again; only the normalised one is ever shown.
 */
@Entity({ tableName: 'screening_row' })
@Unique({ name: 'screening_row_number', properties: ['screening', 'rowNumber'] })
@Index({ name: 'screening_row_person', properties: ['person'] })
@Index({ name: 'screening_row_id_number', properties: ['idNumber'] })
export class ScreeningRow {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Screening, { fieldName: 'screening_id', columnType: 'bigint', foreignKeyName: 'screening_row_screening_id_fkey', ...plainForeignKey })
  screening!: Rel<Screening>;
  @Property({ type: 'integer', columnType: 'integer' }) rowNumber!: number;
  @Property({ type: 'text', columnType: 'text', nullable: true }) rawIdNumber?: string | null;
  /** normalised (18 characters); null when BAD_ID */
  @Property({ type: 'string', columnType: 'varchar(18)', nullable: true }) idNumber?: string | null;
  /** the person the feeds know by that number; null for a new applicant (NOT_KNOWN) */
  @ManyToOne(() => Person, { fieldName: 'person_id', columnType: 'bigint', nullable: true, foreignKeyName: 'screening_row_person_id_fkey', ...plainForeignKey })
  person?: Rel<Person> | null;
  @Property({ type: 'text', columnType: 'text', nullable: true }) name?: string | null;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }) amount?: string | null;
  @Property({ type: 'date', columnType: 'date', nullable: true }) startDate?: string | null;
  @Property({ type: 'text', columnType: 'text', nullable: true }) note?: string | null;
  @Enum({ items: ['PASS', 'REVIEW', 'LEADING_GROUP', 'REJECT'], columnType: 'text', default: 'PASS' }) verdict!: Verdict;
  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: "'{}'" }) reasonCodes!: string[];
}
