import type { FactTableName } from '../graph/entities/factEntities';

/** What a connector hands to ingest: records mapped to graph facts, or refused with a reason. */

/** Quarantine reason codes of feeds.md (and the few the hub adds for new kinds of fault). */
export type QuarantineReason =
  | 'BAD_ID_CHECK_DIGIT'
  | 'BAD_ID_BIRTH_DATE'
  | 'BAD_ID_FORMAT'
  | 'IMPOSSIBLE_DATE'
  | 'NEGATIVE_AMOUNT'
  | 'UNKNOWN_REGION_CODE'
  | 'MISSING_FIELD'
  | 'BAD_VALUE';

export interface Quarantine {
  recordKey: string | null;
  reason: QuarantineReason;
  field?: string;
  /** the offending value as received (masked when shown to roles that may not see it) */
  value?: string;
  /** file and line, or workbook, sheet and row */
  location?: string;
  raw: unknown;
}

/** A person as one record names them. */
export interface PersonObservation {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  regionCode: string | null;
}

/** A fact row as a connector states it; ingest resolves the person and household ids. */
export interface FactRow {
  /** the fact's identity inside its record */
  item_key: string;
  valid_from?: string | null;
  valid_to?: string | null;
  /** resolves person_id */
  person_id_number?: string | null;
  /** resolves household_id: the household whose head has this ID number */
  household_head?: string | null;
  [column: string]: unknown;
}

/** A fact table's name: one of the entities declared with @FactTable (src/graph/entities/factEntities.ts). */
export type { FactTableName };

export interface MappedRecord {
  recordKey: string;
  /** the registry's version time (ISO instant); a later one supersedes an earlier one */
  versionAt: string | null;
  /** the business date on which facts missing from this version end (feeds.md) */
  versionDate: string;
  deleted: boolean;
  raw: unknown;
  persons: PersonObservation[];
  /** ID numbers of household heads this record establishes */
  households: string[];
  /** the complete current facts of this record, per table; facts of the table not listed here end */
  facts: Partial<Record<FactTableName, FactRow[]>>;
}

export type MapResult = { ok: true; record: MappedRecord } | { ok: false; quarantine: Quarantine };

/**
 * File drops: the delivery (file) a batch belongs to. A delivery is the complete record of its
 * partition (a term, a year, or the whole feed), so its final batch ends what it did not contain.
 */
export interface Delivery {
  /** the file name (or snapshot id) */
  id: string;
  /** the term or year it completely describes; '' = the whole feed */
  partition: string;
  /** full snapshot: absent records end on this date; null: a later delivery of the same term or year replaces it, absent records are withdrawn */
  endDate: string | null;
  /** the final batch of the delivery */
  last: boolean;
}

/** Counts of one batch or one run (api.md SyncRun). */
export interface SyncCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  ended: number;
  quarantined: number;
}

export const zeroCounts = (): SyncCounts => ({ read: 0, inserted: 0, updated: 0, unchanged: 0, ended: 0, quarantined: 0 });

export function addCounts(a: SyncCounts, b: SyncCounts): SyncCounts {
  return {
    read: a.read + b.read,
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    ended: a.ended + b.ended,
    quarantined: a.quarantined + b.quarantined,
  };
}
