import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Fact } from './Fact';

/** A benefit of a catalogued programme, to a person or a household, with its exact amount. */
@Entity({ tableName: 'benefit' })
export class Benefit extends Fact {
  @PrimaryKey({ type: 'bigint' }) id!: string;
  @Property({ type: 'text' }) programmeCode!: string;
  @Property({ type: 'bigint', nullable: true }) personId?: string;
  @Property({ type: 'bigint', nullable: true }) householdId?: string;
  /** yuan, exact (numeric arrives as a string) */
  @Property({ type: 'decimal', precision: 14, scale: 2, nullable: true }) amount?: string;
  @Property({ type: 'date', nullable: true }) paidOn?: string;
  /** 审批级别 镇街 town / 区市 county */
  @Property({ type: 'text', nullable: true }) approvalLevel?: string;
  /** 供养方式 集中 / 分散 (TK) */
  @Property({ type: 'text', nullable: true }) supportMode?: string;
  /** 领导小组批准文号 the leading group's approval of a repeat grant */
  @Property({ type: 'text', nullable: true }) approvalRef?: string;
  @Property({ type: 'string', length: 12, nullable: true }) regionCode?: string;
  @Property({ type: 'json', nullable: true }) details?: Record<string, unknown>;
}
