import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import { regionScope, type Viewer } from '../auth/viewer';

/**
 * Loaders for each department's facts about people: one statement per fact kind and level,
 * each row with the source record version it came from.
 */
const FACT_COLUMNS = {
  disability_certificate: `f.certificate_no as "certificateNo", f.category, f.grade, f.status, f.valid_from as "issuedOn", f.valid_to as "validUntil", f.region_code as "regionCode"`,
  schooling: `f.student_no as "studentNo", f.school, f.stage, f.grade, f.status, f.term, f.aid, f.region_code as "regionCode"`,
  medical_settlement: `f.settled_on as "settledOn", f.total_cost as "totalCost", f.insurance_paid as "insurancePaid", f.assistance_paid as "assistancePaid", f.out_of_pocket as "outOfPocket", f.diagnosis, f.catastrophic`,
  death_record: `f.died_on as "diedOn", f.region_code as "regionCode"`,
  dangerous_house: `f.rating, f.assessed_on as "assessedOn", f.renovation_status as "renovationStatus", f.subsidy, f.region_code as "regionCode"`,
  poverty_record: `f.household_no as "householdNo", f.relation_code as "relationCode", f.identified_year as "identifiedYear", f.poverty_status as "povertyStatus", f.monitoring_type as "monitoringType", f.main_risk as "mainRisk", f.income_per_capita as "incomePerCapita", f.region_code as "regionCode", f.snapshot_date as "snapshotDate"`,
  economic_fact: `f.source as kind, f.item, f.value, f.unit, f.as_of as "asOf"`,
} as const;

const FACT_ORDER: Record<FactKind, string> = {
  disability_certificate: 'f.valid_from desc nulls last',
  schooling: 'f.term desc, f.student_no',
  medical_settlement: 'f.settled_on desc',
  death_record: 'f.died_on',
  dangerous_house: 'f.assessed_on desc',
  poverty_record: 'f.household_no',
  economic_fact: 'f.source, f.item, f.as_of desc',
};

export type FactKind = keyof typeof FACT_COLUMNS;

/** The connector (department) whose registry states each kind of fact. */
export const FACT_FEED: Record<FactKind, string> = {
  disability_certificate: 'disability',
  schooling: 'education',
  medical_settlement: 'health',
  death_record: 'health',
  dangerous_house: 'housing',
  poverty_record: 'poverty-relief',
  economic_fact: 'economic-check',
};

export interface FactFilter {
  /** medical settlements of one calendar year */
  year?: number | null;
  /** economic facts: only the newest as_of of each source and item */
  newestOnly?: boolean;
}

/**
 * Scoped like every loader: only people inside the viewer's region, and for a DEPARTMENT
 * viewer only rows its own department's feed stated — in the statement, not filtered after.
 */
export function factLoaderFactory(pool: Pool, viewer: Viewer, city: string) {
  const cache = new Map<string, DataLoader<string, any[]>>();
  return (kind: FactKind, filter: FactFilter = {}): DataLoader<string, any[]> => {
    const key = `${kind}|${filter.year ?? ''}|${filter.newestOnly ?? ''}`;
    let loader = cache.get(key);
    if (!loader) {
      loader = new DataLoader<string, any[]>(async (personIds) => {
        const params: unknown[] = [personIds];
        const where = ['f.person_id = any($1::bigint[])', 'f.retired_at is null', regionScope(viewer, city, 'p.region_code', params)];
        if (viewer.role === 'DEPARTMENT') {
          params.push(viewer.department);
          where.push(`sr.feed = $${params.length}`);
        }
        if (kind === 'medical_settlement' && filter.year) {
          params.push(`${filter.year}-01-01`, `${filter.year}-12-31`);
          where.push(`f.settled_on between $${params.length - 1} and $${params.length}`);
        }
        const distinct = kind === 'economic_fact' && filter.newestOnly ? 'distinct on (f.person_id, f.source, f.item)' : '';
        const { rows } = await pool.query(
          `select ${distinct} f.person_id as "personId", ${FACT_COLUMNS[kind]},
                  jsonb_build_object('feed', sr.feed, 'stream', sr.stream, 'recordKey', sr.record_key,
                                     'versionAt', sr.version_at, 'receivedAt', sr.first_seen_at) as source
             from ${kind} f join source_record sr on sr.id = f.source_record_id join person p on p.id = f.person_id
            where ${where.join(' and ')}
            order by f.person_id, ${FACT_ORDER[kind]}`,
          params,
        );
        const byPerson = new Map<string, any[]>();
        for (const r of rows) {
          r.source.versionAt = r.source.versionAt ? new Date(r.source.versionAt) : null;
          r.source.receivedAt = new Date(r.source.receivedAt);
          const list = byPerson.get(r.personId);
          if (list) list.push(r);
          else byPerson.set(r.personId, [r]);
        }
        return personIds.map((id) => byPerson.get(id) ?? []);
      });
      cache.set(key, loader);
    }
    return loader;
  };
}
