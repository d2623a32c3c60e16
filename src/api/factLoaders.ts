import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import { regionScope, type Viewer } from '../auth/viewer';
import { asDates, asStrings, batchLoader, groupByKey, reviveSource, type Batch, type BatchScope } from './batches';
import { factTableMeta, type FactTableName } from '../graph/entities/factEntities';

/**
 * Loaders for each department's facts about people: one statement per fact kind and level,
 * each row with the source record version it came from.
 */

/** The fact tables about people a client reads, each with the connector (department) whose registry states it. */
export const FACT_FEED = {
  disability_certificate: 'disability',
  schooling: 'education',
  medical_settlement: 'health',
  death_record: 'health',
  dangerous_house: 'housing',
  poverty_record: 'poverty-relief',
  economic_fact: 'economic-check',
} as const satisfies Partial<Record<FactTableName, string>>;

export type FactKind = keyof typeof FACT_FEED;

/**
 * The API's names for columns that it does not call by their entity property: a renamed column
 * (an economic fact's source is its `kind`: `source` is every fact's provenance) or a shared
 * fact column with a meaning in this table (a certificate's validity).
 */
const FACT_RENAMED: Partial<Record<FactKind, Record<string, string>>> = {
  disability_certificate: { issuedOn: 'valid_from', validUntil: 'valid_to' },
  economic_fact: { kind: 'source' },
};

/** Every column of the table's entity, under its property's name or the API's name above. */
function factColumns(kind: FactKind): string {
  const renamed = Object.entries(FACT_RENAMED[kind] ?? {});
  const columns = factTableMeta(kind)
    .columns.filter((c) => !renamed.some(([, column]) => column === c.column))
    .map((c) => `f.${c.column} as "${c.property}"`);
  for (const [name, column] of renamed) columns.push(`f.${column} as "${name}"`);
  return columns.join(', ');
}

const FACT_COLUMNS = Object.fromEntries((Object.keys(FACT_FEED) as FactKind[]).map((kind) => [kind, factColumns(kind)])) as Record<FactKind, string>;

const FACT_ORDER: Record<FactKind, string> = {
  disability_certificate: 'f.valid_from desc nulls last',
  schooling: 'f.term desc, f.student_no',
  medical_settlement: 'f.settled_on desc',
  death_record: 'f.died_on',
  dangerous_house: 'f.assessed_on desc',
  poverty_record: 'f.household_no',
  economic_fact: 'f.source, f.item, f.as_of desc',
};

export interface FactFilter {
  /** medical settlements of one calendar year */
  year?: number | null;
  /** economic facts: only the newest as_of of each source and item */
  newestOnly?: boolean;
}

/** Timestamps and decimals of a fact table (JSON gives them as strings and numbers). */
function revivalOf(kind: FactKind): (row: any) => void {
  const columns = factTableMeta(kind).columns;
  const named = (types: RegExp) => columns.filter((c) => types.test(c.sqlType)).map((c) => c.property);
  const strings = ['personId', ...named(/^(numeric|decimal|bigint|int8)/)];
  const dates = named(/^timestamp/);
  return (r) => {
    asStrings(r, strings);
    asDates(r, dates);
    if (r.source) reviveSource(r.source);
  };
}

/**
 * Scoped like every loader: only people inside the viewer's region, and for a DEPARTMENT
 * viewer only rows its own department's feed stated — in the statement, not filtered after.
 */
export function factBatch({ viewer, city }: BatchScope, kind: FactKind, filter: FactFilter = {}): Batch<any[]> {
  return {
    keyType: 'bigint',
    sql: (keys, params, want = () => true) => {
      const where = [`f.person_id = any(${keys})`, 'f.retired_at is null', regionScope(viewer, city, 'p.region_code', params)];
      if (viewer.role === 'DEPARTMENT') {
        params.push(viewer.department);
        where.push(`sr.feed = $${params.length}`);
      }
      if (kind === 'medical_settlement' && filter.year) {
        params.push(`${filter.year}-01-01`, `${filter.year}-12-31`);
        where.push(`f.settled_on between $${params.length - 1} and $${params.length}`);
      }
      const distinct = kind === 'economic_fact' && filter.newestOnly ? 'distinct on (f.person_id, f.source, f.item)' : '';
      const source = want('source')
        ? `, jsonb_build_object('feed', sr.feed, 'stream', sr.stream, 'recordKey', sr.record_key,
                                     'versionAt', sr.version_at, 'receivedAt', sr.first_seen_at) as source`
        : '';
      return `select ${distinct} f.person_id::text as "personId", ${FACT_COLUMNS[kind]}${source}
             from ${kind} f join source_record sr on sr.id = f.source_record_id join person p on p.id = f.person_id
            where ${where.join(' and ')}
            order by f.person_id, ${FACT_ORDER[kind]}`;
    },
    revive: REVIVAL[kind],
    assemble: (keys, rows) => groupByKey(keys, rows, (r) => r.personId),
  };
}

const REVIVAL = Object.fromEntries((Object.keys(FACT_FEED) as FactKind[]).map((kind) => [kind, revivalOf(kind)])) as Record<FactKind, (row: any) => void>;

export function factLoaderFactory(pool: Pool, viewer: Viewer, city: string) {
  const cache = new Map<string, DataLoader<string, any[]>>();
  return (kind: FactKind, filter: FactFilter = {}): DataLoader<string, any[]> => {
    const key = `${kind}|${filter.year ?? ''}|${filter.newestOnly ?? ''}`;
    let loader = cache.get(key);
    if (!loader) cache.set(key, (loader = batchLoader(pool, factBatch({ viewer, city }, kind, filter))));
    return loader;
  };
}
