import type { Pool, PoolClient } from 'pg';
import { longestIntervalDays } from './scheduleInterval';

/**
 * 数据研判 each department's data, judged (api.md "Sources"): per connector its last successful
 * sync, the newest business date its feed delivered, staleness against `maxAgeDays`, records held
 * and quarantined, the people it knows and how many of them civil affairs knows too, and the
 * people whose name or region it states differently from another feed. Set-based: one statement
 * for every connector.
 */
export interface SourceFigures {
  connector: string;
  department: string | null;
  lastSuccessAt: Date | null;
  dataDate: string | null;
  maxAgeDays: number | null;
  stale: boolean;
  records: number;
  quarantined: number;
  quarantineShare: number;
  quarantineByReason: { reason: string; count: number }[];
  persons: number;
  matchRate: number | null;
  conflicts: number;
}

export interface SourceSetting {
  connector: string;
  department: string | null;
  schedule?: string | null;
  maxAgeDays?: number | null;
}

/** The feed everyone else is matched against: the people civil affairs knows. */
export const REFERENCE_FEED = 'civil-affairs';

/** `maxAgeDays` as configured, else twice the longest interval of the schedule (at least a day); null without either. */
export function maxAgeDaysOf(s: SourceSetting): number | null {
  if (s.maxAgeDays !== null && s.maxAgeDays !== undefined) return s.maxAgeDays;
  const interval = s.schedule ? longestIntervalDays(s.schedule) : null;
  return interval === null ? null : Math.max(1, Math.ceil(2 * interval));
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

export async function sourceFigures(db: Queryable, settings: readonly SourceSetting[], now: Date = new Date()): Promise<SourceFigures[]> {
  const names = settings.map((s) => s.connector);
  if (!names.length) return [];
  const { rows } = await db.query(
    `with c as (select unnest($1::text[]) as name),
          runs as (select connector, max(finished_at) as last_success from sync_run
                    where status = 'SUCCEEDED' and connector = any($1::text[]) group by connector),
          recs as (select feed, count(*) filter (where not deleted)::int as records,
                          max((version_at at time zone 'Asia/Shanghai')::date) as version_date,
                          max(delivery) as newest_delivery
                     from source_record where superseded_at is null and feed = any($1::text[]) group by feed),
          q as (select connector, reason, count(*)::int as n from quarantined_record where connector = any($1::text[]) group by connector, reason),
          qs as (select connector, sum(n)::int as quarantined, jsonb_agg(jsonb_build_object('reason', reason, 'count', n) order by n desc, reason) as by_reason
                   from q group by connector),
          obs as (select o.feed, count(*)::int as persons,
                         count(*) filter (where exists (select 1 from person_observation r where r.person_id = o.person_id and r.feed = $2))::int as matched,
                         count(*) filter (where exists (select 1 from person_observation x where x.person_id = o.person_id and x.feed <> o.feed
                                                          and (x.name <> o.name or (not starts_with(x.region_code, o.region_code) and not starts_with(o.region_code, x.region_code)))))::int as conflicts
                    from person_observation o where o.feed = any($1::text[]) group by o.feed)
     select c.name, runs.last_success as "lastSuccessAt",
            coalesce(recs.version_date, weijiu_delivery_date(recs.newest_delivery))::text as "dataDate",
            coalesce(recs.records, 0) as records, coalesce(qs.quarantined, 0) as quarantined, coalesce(qs.by_reason, '[]') as "byReason",
            coalesce(obs.persons, 0) as persons, coalesce(obs.matched, 0) as matched, coalesce(obs.conflicts, 0) as conflicts
       from c left join runs on runs.connector = c.name left join recs on recs.feed = c.name
       left join qs on qs.connector = c.name left join obs on obs.feed = c.name`,
    [names, REFERENCE_FEED],
  );
  const by = new Map(rows.map((r: any) => [r.name as string, r]));
  return settings.map((s) => {
    const r: any = by.get(s.connector);
    const maxAgeDays = maxAgeDaysOf(s);
    const lastSuccessAt: Date | null = r.lastSuccessAt ?? null;
    const stale = lastSuccessAt === null || (maxAgeDays !== null && now.getTime() - lastSuccessAt.getTime() > maxAgeDays * 86_400_000);
    const held = r.records + r.quarantined;
    return {
      connector: s.connector,
      department: s.department,
      lastSuccessAt,
      dataDate: r.dataDate ?? null,
      maxAgeDays,
      stale,
      records: r.records,
      quarantined: r.quarantined,
      quarantineShare: held ? r.quarantined / held : 0,
      quarantineByReason: r.byReason,
      persons: r.persons,
      matchRate: r.persons ? r.matched / r.persons : null,
      conflicts: r.conflicts,
    };
  });
}

/**
 * The sources the hub judges: every connector it knows (configured or not: an unconfigured one
 * shows as never synced), and any configured one beyond them, by name.
 */
export function sourceSettings(
  connectors: Readonly<Record<string, { schedule?: string; maxAgeDays?: number }>>,
  departments: Readonly<Record<string, { department: string }>>,
): SourceSetting[] {
  const names = [...new Set([...Object.keys(departments), ...Object.keys(connectors)])].sort();
  return names.map((name) => ({
    connector: name,
    department: departments[name]?.department ?? null,
    schedule: connectors[name]?.schedule ?? null,
    maxAgeDays: connectors[name]?.maxAgeDays ?? null,
  }));
}
