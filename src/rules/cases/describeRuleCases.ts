import type { RuleDefinition } from '../engine/ruleDefinition';
import { traceRule } from '../engine/traceRule';
import { openCaseDatabase, type CaseDatabase } from './caseDatabase';
import { findingsOf, NO_SUCH_SUBJECT, subjectOfIdentity, type RuleCase } from './ruleCase';

/**
 * Runs a rule's case table against a real database: one test per situation. Each case's found
 * identities are also explained one by one (traceRule) and must hold; each near miss must not,
 * and the condition the case names as deciding it must be one that fails — so the trace and the
 * run agree, and every near miss says why.
 */
export function describeRuleCases(rule: RuleDefinition, cases: RuleCase[]): void {
  describe(`${rule.code} ${rule.title} — policy cases`, () => {
    let db: CaseDatabase;
    beforeAll(async () => {
      db = await openCaseDatabase();
    });
    afterAll(async () => {
      await db.drop();
    });
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
      const found = await findingsOf(db, rule, c);
      expect(found).toEqual([...c.expect].sort());
      for (const absent of c.expectNot ?? []) expect(found).not.toContain(absent);
      const explain = async (identity: string) => {
        const { subjectId, item } = await subjectOfIdentity(db, identity);
        if (subjectId === null) return null;
        return traceRule(db.pool, rule, { asOf: c.asOf, city: '3710', subjectId, item });
      };
      for (const identity of found.filter((f) => f.startsWith(`${rule.code}|${rule.subjectType}|`))) {
        const trace = await explain(identity);
        expect({ identity, holds: trace?.holds }).toEqual({ identity, holds: true });
      }
      if (!c.expect.length) expect({ case: c.name, namesItsNearMiss: !!c.expectNot?.length }).toEqual({ case: c.name, namesItsNearMiss: true });
      for (const absent of (c.expectNot ?? []).filter((f) => f.startsWith(`${rule.code}|${rule.subjectType}|`))) {
        const decidedBy = typeof c.decidedBy === 'string' ? c.decidedBy : c.decidedBy?.[absent];
        const trace = await explain(absent);
        const failing = trace?.conditions.filter((k) => !k.holds).map((k) => k.name) ?? [NO_SUCH_SUBJECT];
        expect({ absent, holds: trace?.holds ?? false, decidedBy, failing: failing.includes(decidedBy ?? '') }).toEqual({
          absent, holds: false, decidedBy: expect.any(String), failing: true,
        });
      }
    });
  });
}
