import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { plainForeignKey } from './plainForeignKey';
import { SourceRecord } from './SourceRecord';

/**
 * The columns every fact shares: business period (inclusive), the source record version that
 * stated it, and system time. A fact is never updated in place: its successor retires it.
 */
@Entity({ abstract: true })
export abstract class Fact {
  @Property({ type: 'text', columnType: 'text' }) feed!: string;
  @Property({ type: 'text', columnType: 'text' }) recordKey!: string;
  /** the fact's identity inside its record (a member's ID number, an enrollment's programme and start…) */
  @Property({ type: 'text', columnType: 'text', default: '' }) itemKey!: string;
  @Property({ type: 'date', columnType: 'date', nullable: true }) validFrom?: string;
  @Property({ type: 'date', columnType: 'date', nullable: true }) validTo?: string;
  /** declared per table by @FactTable: its foreign key is named after the table */
  sourceRecord!: Rel<SourceRecord>;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) recordedAt!: Date;
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true }) retiredAt?: Date;
}

/** The class of a fact entity, for the code derived from the fact tables' metadata. */
export type FactClass = abstract new () => Fact;

const factClasses = new Map<string, FactClass>();

/**
 * Declares a fact table: the entity, the shared columns' foreign key and indexes under the
 * table's own names (as Migration…01Graph made them), and its place among the fact tables that
 * ingest merges into, a scoped rule run reads and the API loads (src/graph/entities/factEntities.ts).
 */
export function FactTable(tableName: string) {
  return (target: FactClass): void => {
    // here rather than in Fact: PostgreSQL named each table's foreign key after the table
    ManyToOne(() => SourceRecord, {
      fieldName: 'source_record_id',
      columnType: 'bigint',
      foreignKeyName: `${tableName}_source_record_id_fkey`,
      ...plainForeignKey,
    })(target.prototype, 'sourceRecord');
    Index<typeof Fact, string>({
      name: `${tableName}_current`,
      expression: `CREATE UNIQUE INDEX ${tableName}_current ON public.${tableName} USING btree (feed, record_key, item_key) WHERE (retired_at IS NULL)`,
    })(target as typeof Fact);
    Index<typeof Fact, 'sourceRecord'>({ name: `${tableName}_source`, properties: ['sourceRecord'] })(target as typeof Fact);
    Entity({ tableName })(target);
    const earlier = factClasses.get(tableName);
    // two classes for one table would give ingest and the ORM different columns
    if (earlier && earlier !== target) throw new Error(`@FactTable('${tableName}') is declared by ${earlier.name} and ${target.name}`);
    factClasses.set(tableName, target);
  };
}

/** The table a @FactTable class was declared with (undefined for any other class). */
export function factTableOf(cls: unknown): string | undefined {
  for (const [table, c] of factClasses) if (c === cls) return table;
  return undefined;
}

/** The class declared with @FactTable(table), wherever it lives (src/graph/entities or a connector's folder). */
export function factClassOf(table: string): FactClass | undefined {
  return factClasses.get(table);
}

/**
 * Every fact table declared so far, in declaration order: the hub's own (src/graph/entities,
 * loaded by ./factEntities) and those a connector keeps in its folder, declared when its module
 * loads. Read when needed, never kept: a connector loaded later adds its tables.
 */
export function declaredFactTables(): string[] {
  return [...factClasses.keys()];
}
