import { factTableMeta, factTableNames, type FactTableName } from '../graph/entities/factEntities';

export type { FactTableName };

/**
 * The business columns of each fact table (besides the shared fact columns), with their SQL
 * types: the merge compares exactly these to decide whether a fact changed. Read from the
 * tables' entities (src/graph/entities), where each column is declared once.
 */
export interface FactTableSpec {
  columns: ReadonlyArray<readonly [name: string, sqlType: string]>;
  /** person_id is resolved from the row's person_id_number */
  person?: 'required' | 'optional';
  /** household_id is resolved from the row's household_head */
  household?: 'required' | 'optional';
}

/** The spec of any fact table, the hub's own or a connector's (src/graph/entities/Fact.ts). */
export function factTableSpec(table: FactTableName): FactTableSpec {
  const meta = factTableMeta(table);
  return {
    columns: meta.columns.map((c) => [c.column, c.sqlType] as const),
    ...(meta.person ? { person: meta.person } : {}),
    ...(meta.household ? { household: meta.household } : {}),
  };
}

/** The hub's own fact tables' specs. */
export const factTables = Object.fromEntries(factTableNames.map((table) => [table, factTableSpec(table)])) as Record<FactTableName, FactTableSpec>;
