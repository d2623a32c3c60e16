import DataLoader from 'dataloader';
import type { Pool } from 'pg';
import { FindingType, type FindingDecisionType, type ParameterUseType } from './types/Finding';
import { regionScope, withinScope, type Viewer } from '../auth/viewer';
import { assignedScope } from '../auth/assignmentScope';
import { coverageFigures, overdueFigures, type CoverageFigures, type OverdueFigure } from '../rules/reports/coverageFigures';
import { householdRegionOf } from './householdRegionOf';
import { asDates, asInstanceOf, batchLoader, byKey, groupByKey, type Batch } from './batches';

/** Per-request loaders for findings, their decisions and parameters, and coverage figures. */
export const findingColumns = `f.id::text as id, f.rule, f.clauses, f.rule_version as "ruleVersion", f.kind, f.status, f.resolved, f.identity, f.item,
  f.period_start as "periodStart", f.period_end as "periodEnd", f.as_of as "asOf", f.detail, f.opened_at as "openedAt",
  f.cleared_at as "clearedAt", f.person_id::text as "personId", f.household_id::text as "householdId", f.region_code as "regionCode",
  f.evidence as "evidenceRows", f.parameters as "parameterIds"`;

/** A finding row read by pg or from JSON, made alike (./batches.ts). */
export function reviveFinding(row: any): void {
  asDates(row, ['openedAt', 'clearedAt']);
  asInstanceOf(row, FindingType);
}

/**
 * Whether a region-scoped viewer may see whom a finding is about: a finding is listed by its own
 * region, but its person or household may live elsewhere (a person listed in households of two
 * towns). The subject's region decides, as it does for the person and household themselves.
 */
export function findingSubjectInScope(viewer: Viewer, city: string, params: unknown[]): string {
  if (viewer.regionPrefix === city) return 'true as "subjectInScope"';
  const person = regionScope(viewer, city, 'sp.region_code', params);
  const household = regionScope(viewer, city, householdRegionOf('f.household_id'), params);
  return `case when f.person_id is not null then exists (select 1 from person sp where sp.id = f.person_id and ${person})
               when f.household_id is not null then coalesce(${household}, false)
               else true end as "subjectInScope"`;
}

/** The office's decisions on findings, oldest first. */
const findingDecisions: Batch<FindingDecisionType[]> = {
  keyType: 'bigint',
  sql: (keys) => `select finding_id::text as "findingId", decision, reason, approval_ref as "approvalRef", decided_by as "decidedBy", decided_at as "decidedAt"
         from finding_decision where finding_id = any(${keys}) order by decided_at, id`,
  revive: (r) => asDates(r, ['decidedAt']),
  assemble: (keys, rows) => groupByKey(keys, rows, (r) => r.findingId),
};

/** The dated parameter rows a finding names. */
const parameterRows: Batch<ParameterUseType | null> = {
  keyType: 'bigint',
  sql: (keys) => `select id::text, name, region_code as "regionCode", valid_from as "validFrom", value from parameter where id = any(${keys})`,
  revive: () => undefined,
  assemble: (keys, rows) => byKey(keys, rows, (r) => r.id),
};

export type { CoverageFigures };

export function createRuleLoaders(pool: Pool, viewer: Viewer, city: string) {
  const findingsOf = (owner: 'person_id' | 'household_id') => {
    const cache = new Map<string, DataLoader<string, FindingType[]>>();
    return (statuses: string[] | null) => {
      const key = (statuses ?? []).join(',');
      let loader = cache.get(key);
      if (!loader) {
        loader = new DataLoader<string, FindingType[]>(async (ids) => {
          const params: unknown[] = [ids];
          const where = [`f.${owner} = any($1::bigint[])`, regionScope(viewer, city, "coalesce(f.region_code, '')", params), assignedScope(viewer, 'f', params)];
          if (statuses?.length) {
            params.push(statuses);
            where.push(`f.status = any($${params.length}::text[])`);
          }
          const subject = findingSubjectInScope(viewer, city, params);
          const { rows } = await pool.query(
            `select ${findingColumns}, ${subject}, f.${owner} as owner from finding f where ${where.join(' and ')} order by f.id desc`,
            params,
          );
          const by = new Map<string, FindingType[]>();
          for (const r of rows) (by.get(r.owner) ?? by.set(r.owner, []).get(r.owner)!).push(r);
          return ids.map((id) => by.get(id) ?? []);
        });
        cache.set(key, loader);
      }
      return loader;
    };
  };

  const decisionsOf = batchLoader<FindingDecisionType[]>(pool, findingDecisions);
  const parameterById = batchLoader<ParameterUseType | null>(pool, parameterRows);

  const categoriesOn = new Map<string, DataLoader<string, string[]>>();
  const categoriesOfPerson = (asOf: string) => {
    let loader = categoriesOn.get(asOf);
    if (!loader) {
      loader = new DataLoader<string, string[]>(async (personIds) => {
        const params: unknown[] = [personIds, asOf, city];
        const { rows } = await pool.query<{ person_id: string; category: string }>(
          `select distinct c.person_id, c.category from weijiu_categories($2, $3) c join person p on p.id = c.person_id
            where c.person_id = any($1::bigint[]) and ${regionScope(viewer, city, 'p.region_code', params)} order by 2`,
          params,
        );
        return personIds.map((id) => rows.filter((r) => r.person_id === id).map((r) => r.category));
      });
      categoriesOn.set(asOf, loader);
    }
    return loader;
  };

  /**
   * Coverage of regions as of a date, batched: every region code asked for in one level of a
   * query is answered by one statement over the people, one over the findings open that day and
   * one over region-stats (src/rules/reports/coverageFigures.ts). The resolvers refuse codes
   * outside the viewer's scope, and every figure counts only what lies under its code.
   */
  const coverageOn = new Map<string, DataLoader<string, CoverageFigures>>();
  const coverageOf = (asOf: string) => {
    let loader = coverageOn.get(asOf);
    if (!loader) {
      loader = new DataLoader<string, CoverageFigures>(async (codes) => {
        const figures = await coverageFigures(pool, asOf, city, codes.filter((c) => withinScope(viewer, c)));
        return codes.map((code) => figures.get(code) ?? { persons: 0, byCategory: {}, openFindings: {}, residents: null });
      });
      coverageOn.set(asOf, loader);
    }
    return loader;
  };

  /** Overdue assignments by assignee, batched like coverageOf: one statement per level of a query. */
  const overdueOn = new Map<string, DataLoader<string, OverdueFigure[]>>();
  const overdueOf = (asOf: string) => {
    let loader = overdueOn.get(asOf);
    if (!loader) {
      loader = new DataLoader<string, OverdueFigure[]>(async (codes) => {
        const figures = await overdueFigures(pool, asOf, codes.filter((c) => withinScope(viewer, c)));
        return codes.map((code) => figures.get(code) ?? []);
      });
      overdueOn.set(asOf, loader);
    }
    return loader;
  };

  return {
    findingsOfPerson: findingsOf('person_id'),
    findingsOfHousehold: findingsOf('household_id'),
    decisionsOf,
    parameterById,
    categoriesOfPerson,
    coverageOf,
    overdueOf,
  };
}

export type RuleLoaders = ReturnType<typeof createRuleLoaders>;
