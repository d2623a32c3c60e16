import { Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { Screening } from './Screening';

/** A screening judged as of a date: on arrival, and again on each `rescreen` (the earlier ones stay: the rows' history). */
@Entity({ tableName: 'screening_judgement' })
@Index({ name: 'screening_judgement_screening', properties: ['screening'] })
export class ScreeningJudgement {
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true }) id!: string;
  @ManyToOne(() => Screening, { fieldName: 'screening_id', columnType: 'bigint', foreignKeyName: 'screening_judgement_screening_id_fkey', ...plainForeignKey })
  screening!: Rel<Screening>;
  @Property({ type: 'date', columnType: 'date' }) asOf!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) judgedAt!: Date;
}
