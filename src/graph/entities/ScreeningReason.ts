import { ArrayType, Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { ScreeningJudgement } from './ScreeningJudgement';
import { ScreeningRow } from './ScreeningRow';

/**
 * A reason that held for a row in a judgement (office.md's table), with the facts behind it in
 * the evidence shape of findings (`[{ source_record_id, values }]`) and the regions of those facts:
 * a TOWN reader outside one of them sees the code without the evidence.
 */
@Entity({ tableName: 'screening_reason' })
@Index({ name: 'screening_reason_row', properties: ['row', 'judgement'] })
@Index({ name: 'screening_reason_judgement', properties: ['judgement', 'code'] })
export class ScreeningReason {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => ScreeningJudgement, { fieldName: 'judgement_id', columnType: 'bigint', foreignKeyName: 'screening_reason_judgement_id_fkey', ...plainForeignKey })
  judgement!: Rel<ScreeningJudgement>;
  @ManyToOne(() => ScreeningRow, { fieldName: 'row_id', columnType: 'bigint', foreignKeyName: 'screening_reason_row_id_fkey', ...plainForeignKey })
  row!: Rel<ScreeningRow>;
  @Property({ type: 'text', columnType: 'text' }) code!: string;
  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: "'{}'" }) clauses!: string[];
  @Property({ type: 'json', columnType: 'jsonb', default: '[]' }) evidence!: unknown;
  /** the region codes of the facts it rests on ('' where a fact's region is not known) */
  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: "'{}'" }) regions!: string[];
}
