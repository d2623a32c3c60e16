/**
 * api.md "Explain: why, and why not": rule traces (src/rules/engine/traceRule.ts) made into the
 * API's explanations, as the reader's role may see them, and a page of findings explained with one
 * statement per rule and date (plus one closing the subjects' scope), whatever the page's size.
 */
import DataLoader from 'dataloader';
import type { ApiContext } from './context';
import type { FindingType, EvidenceType, ParameterType } from './types/Finding';
import type { ConditionType, ExplanationType } from './types/Explanation';
import type { Viewer } from '../auth/viewer';
import { ruleCatalogue } from '../rules/catalogue';
import type { RuleDefinition, SubjectType } from '../rules/engine/ruleDefinition';
import { closedScope, traceRuleFor, type ConditionOutcome, type RuleTrace } from '../rules/engine/traceRule';

/** The definition of a rule code for a subject type: D1 is two, one per subject type. */
export function ruleDefinitionOf(code: string, subjectType: SubjectType): RuleDefinition | undefined {
  return ruleCatalogue.find((r) => r.code === code && r.subjectType === subjectType);
}

/**
 * What the reader may see of a trace (api.md "Who sees which field"): the office and a town (its
 * subjects) all of it; a department the evidence of its own feeds, and a condition's values and
 * sentence only where every record it used is of its own feeds — its name, text and outcome
 * always. `subjectVisible` false (a finding whose subject lives outside a town's region): outcomes
 * only, as the finding's evidence is withheld there.
 */
export function explanationFor(viewer: Viewer, trace: RuleTrace, asOf: string, subjectVisible = true): ExplanationType {
  return {
    rule: trace.rule,
    item: trace.item,
    asOf,
    holds: trace.holds,
    clauses: trace.clauses,
    conditions: trace.conditions.map((c) => conditionFor(viewer, c, subjectVisible)),
  };
}

function conditionFor(viewer: Viewer, c: ConditionOutcome, subjectVisible: boolean): ConditionType {
  const department = viewer.role === 'DEPARTMENT' ? viewer.department : null;
  const ownFeed = (feed: string) => department === null || feed === department;
  const valuesShown = subjectVisible && c.evidence.every((e) => ownFeed(e.feed));
  return {
    name: c.name,
    text: c.text,
    clause: c.clause,
    holds: c.holds,
    values: valuesShown ? c.values : null,
    said: valuesShown ? c.said : null,
    parameters: c.parameters.map((p): ParameterType => ({ ...p })),
    evidence: subjectVisible
      ? c.evidence.filter((e) => ownFeed(e.feed)).map((e): EvidenceType => ({
          feed: e.feed,
          stream: e.stream,
          recordKey: e.recordKey,
          arrivedAt: new Date(e.arrivedAt),
          versionAt: e.versionAt ? new Date(e.versionAt) : null,
          values: e.values,
        }))
      : [],
  };
}

/** The subject type and id of a finding. */
function subjectOf(f: FindingType): { type: SubjectType; id: string | null } {
  if (f.personId) return { type: 'person', id: f.personId };
  if (f.householdId) return { type: 'household', id: f.householdId };
  return { type: 'region', id: f.regionCode };
}

const perRequest = new WeakMap<ApiContext, DataLoader<FindingType, RuleTrace | null, string>>();

/**
 * The traces of findings as of their runs' dates, batched per request: the findings of one rule
 * (definition) and date traced by one statement, the scope of every person and household among
 * them closed by one more. A finding of a rule not yet written as conditions has none (null).
 */
export function findingTraces(ctx: ApiContext): DataLoader<FindingType, RuleTrace | null, string> {
  let loader = perRequest.get(ctx);
  if (!loader) {
    loader = new DataLoader<FindingType, RuleTrace | null, string>((findings) => traceFindings(ctx, findings), { cacheKeyFn: (f) => f.id });
    perRequest.set(ctx, loader);
  }
  return loader;
}

async function traceFindings(ctx: ApiContext, findings: readonly FindingType[]): Promise<Array<RuleTrace | null | Error>> {
  const groups = new Map<string, { rule: RuleDefinition; asOf: string; at: number[] }>();
  findings.forEach((f, i) => {
    const subject = subjectOf(f);
    const rule = ruleDefinitionOf(f.rule, subject.type);
    if (!rule || subject.id === null) return;
    const key = `${rule.code}|${rule.subjectType}|${f.asOf}`;
    const group = groups.get(key) ?? groups.set(key, { rule, asOf: f.asOf, at: [] }).get(key)!;
    group.at.push(i);
  });
  const answers: Array<RuleTrace | null | Error> = findings.map(() => null);
  if (!groups.size) return answers;
  // one scope for the whole page: a subject's conditions read the same rows in a wider scope
  const persons = new Set<string>();
  const households = new Set<string>();
  for (const g of groups.values()) {
    for (const i of g.at) {
      const s = subjectOf(findings[i]!);
      if (s.type === 'person') persons.add(s.id!);
      if (s.type === 'household') households.add(s.id!);
    }
  }
  const scope = persons.size || households.size ? await closedScope(ctx.hub.pool, { persons: [...persons], households: [...households] }) : null;
  await Promise.all(
    [...groups.values()].map(async (g) => {
      try {
        const traces = await traceRuleFor(ctx.hub.pool, g.rule, {
          asOf: g.asOf,
          city: ctx.hub.config.city,
          scope,
          subjects: g.at.map((i) => ({ subjectId: subjectOf(findings[i]!).id!, item: findings[i]!.item })),
        });
        g.at.forEach((i, k) => (answers[i] = traces[k] ?? null));
      } catch (e) {
        for (const i of g.at) answers[i] = e as Error;
      }
    }),
  );
  return answers;
}
