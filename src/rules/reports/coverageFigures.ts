import type { Pool, PoolClient } from 'pg';

/**
 * A region's coverage as of a day (office.md): the people in each of the nine categories, the
 * findings open on that day by rule (weijiu_open_findings), and 常住人口 of region-stats for that
 * day's year. One statement each for any number of regions; the same figures serve `coverage`,
 * the monthly reports and the XLSX exports.
 */
export interface CoverageFigures {
  persons: number;
  byCategory: Record<string, number>;
  openFindings: Record<string, number>;
  /** null when region-stats does not know it */
  residents: number | null;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** The figures of each region code asked for. The caller keeps to the reader's scope: every figure counts only what lies under the code. */
export async function coverageFigures(db: Queryable, asOf: string, city: string, codes: readonly string[]): Promise<Map<string, CoverageFigures>> {
  const wanted = [...new Set(codes)];
  const by = new Map<string, CoverageFigures>(wanted.map((c) => [c, { persons: 0, byCategory: {}, openFindings: {}, residents: null }]));
  if (!wanted.length) return by;
  const under = commonPrefix(wanted);
  // one after another: on a transaction's client (a report being made) statements cannot overlap
  const people = await db.query<{ region_code: string; category: string | null; persons: number }>(`select region_code, category, persons from weijiu_coverage($1, $2, $3, $4)`, [
      asOf,
      city,
      wanted,
      under,
    ]);
  const open = await db.query<{ code: string; rule: string; count: number }>(
      `select w.code, f.rule, count(*)::int as count
         from weijiu_open_findings($1) f
         cross join lateral (select distinct left(f.region_code, n) as code from unnest(array[4, 6, 9, 12]) n where n <= length(f.region_code)) x
         join unnest($2::text[]) w(code) on w.code = x.code
        where starts_with(f.region_code, $3)
        group by w.code, f.rule order by f.rule`,
      [asOf, wanted, under],
    );
  const stats = await db.query<{ region_code: string; residents: number }>(
      `select distinct on (region_code) region_code, residents from region_stat
        where retired_at is null and year = $1 and residents is not null and starts_with(region_code, $2)
        order by region_code, recorded_at desc, id desc`,
      [Number(asOf.slice(0, 4)), under],
    );
  const residents = residentsOf(new Map(stats.rows.map((r) => [r.region_code, r.residents])));
  for (const code of wanted) by.get(code)!.residents = residents.get(code) ?? null;
  for (const r of people.rows) {
    const f = by.get(r.region_code)!;
    if (r.category === null) f.persons = r.persons;
    else f.byCategory[r.category] = r.persons;
  }
  for (const r of open.rows) by.get(r.code)!.openFindings[r.rule] = r.count;
  return by;
}

const LEVELS = [4, 6, 9, 12];

function commonPrefix(codes: readonly string[]): string {
  let p = codes[0]!;
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * 常住人口 per region: its own figure in region-stats, else the sum of the uppermost regions under
 * it that have one (a county from its towns, a town from its villages). Regions missing are unknown.
 */
function residentsOf(stats: ReadonlyMap<string, number>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [code, n] of stats) {
    for (const level of LEVELS.filter((l) => l <= code.length)) {
      const prefix = code.slice(0, level);
      // counted under a prefix only when no region between them has a figure of its own
      const covered = LEVELS.some((l) => l >= level && l < code.length && stats.has(code.slice(0, l)));
      if (!covered) sums.set(prefix, (sums.get(prefix) ?? 0) + n);
    }
  }
  return sums;
}

/** Assignments overdue in a region as of a day, by assignee (a department's name or a region code). */
export interface OverdueFigure {
  assignedTo: string;
  count: number;
}

/**
 * 逾期未反馈 (exchange.md) as of a day, per region code asked for: the findings open that day
 * (weijiu_open_findings) under the code whose newest assignment made by then was due before it,
 * with no report back made by then — the same test as `FindingFilter.overdue`, on that day.
 * Counted by the assignee, most first. One statement for any number of regions.
 */
export async function overdueFigures(db: Queryable, asOf: string, codes: readonly string[]): Promise<Map<string, OverdueFigure[]>> {
  const wanted = [...new Set(codes)];
  const by = new Map<string, OverdueFigure[]>(wanted.map((c) => [c, []]));
  if (!wanted.length) return by;
  const { rows } = await db.query<{ code: string; assigned_to: string; count: number }>(
    `with newest as (
       select distinct on (a.finding_id) a.finding_id, coalesce(a.to_department, a.to_region_code) as assigned_to, a.due_on
         from finding_assignment a
        where (a.assigned_at at time zone 'Asia/Shanghai')::date <= $1::date
        order by a.finding_id, a.id desc)
     select w.code, n.assigned_to, count(*)::int as count
       from weijiu_open_findings($1) f
       join newest n on n.finding_id = f.id
       cross join lateral (select distinct left(f.region_code, l) as code from unnest(array[4, 6, 9, 12]) l where l <= length(f.region_code)) x
       join unnest($2::text[]) w(code) on w.code = x.code
      where starts_with(f.region_code, $3)
        and n.due_on < $1::date
        and not exists (select 1 from finding_verification v
                         where v.finding_id = f.id and (v.reported_at at time zone 'Asia/Shanghai')::date <= $1::date)
      group by w.code, n.assigned_to
      order by w.code, count(*) desc, n.assigned_to`,
    [asOf, wanted, commonPrefix(wanted)],
  );
  for (const r of rows) by.get(r.code)!.push({ assignedTo: r.assigned_to, count: r.count });
  return by;
}
