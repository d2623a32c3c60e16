import type { Pool } from 'pg';
import type { ConnectorConfig } from '../config/config';
import type { HttpOptions } from './httpClient';
import type { Delivered } from './deliveredContent';
import type { Delivery, FactTableName, MapResult } from './types';

/**
 * The skeleton every department connector fills in (Singer/Airbyte style): a stream declares its
 * name, the fact tables it states, how to fetch batches after a bookmark, and how to map one raw
 * record. Ingest owns the rest: staging, merge, quarantine, bookmark, sync runs.
 */
export interface RegionDirectory {
  has(code: string): boolean;
}

export interface MapContext {
  regions: RegionDirectory;
  /** file and line, or sheet and row, for file drops */
  location?: string;
}

export interface FetchContext {
  source: string;
  config: ConnectorConfig;
  http: HttpOptions;
  signal?: AbortSignal;
  /** the graph, for streams whose requests depend on it (the economic-check population) */
  pool: Pool;
  /** the day the run is for (Asia/Shanghai): today, unless a test or a backfill says otherwise */
  asOf: string;
}

export interface StreamBatch {
  records: unknown[];
  /** the stream's bookmark once this batch is committed */
  bookmark: unknown;
  /** where each record came from (file drops), index-aligned with records */
  locations?: string[];
  /** file drops: the delivery this batch is part of */
  delivery?: Delivery;
  /** set by ingest: the API pages (with a stable address) whose records these are, index ranges into records */
  pages?: PageRange[];
  /** set by ingest: records of pages skipped as delivered before, byte for byte, at the same address */
  skipped?: { records: number; quarantined: number };
  /** file drops: keys of rows left out unread as their current record's bytes (counted in `skipped`) */
  heldKeys?: string[];
}

/** Records [from, to) of a batch came in this API page. */
export interface PageRange {
  address: string;
  content: Delivered;
  from: number;
  to: number;
  /** the page's records in all */
  total: number;
  /** the place in the page of each of the batch's records [from, to), where some of the page's were skipped */
  places?: number[];
}

export interface Stream {
  name: string;
  factTables: readonly FactTableName[];
  fetch(ctx: FetchContext, bookmark: any): AsyncIterable<StreamBatch>;
  map(raw: unknown, ctx: MapContext): MapResult;
}

export interface Connector {
  name: string;
  /** the department, as the city names it */
  department: string;
  streams: readonly Stream[];
  /**
   * The fact tables of this department's own facts about people that the API shows generically
   * (`Person.departmentFacts`): OFFICE and TOWN read them, a DEPARTMENT token only its own
   * (permission `facts:<name>`, src/auth/policy.ts). Each must name a person (person_id).
   */
  personFacts?: readonly FactTableName[];
}
