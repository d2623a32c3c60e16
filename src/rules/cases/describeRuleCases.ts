import type { RuleDefinition } from '../engine/ruleDefinition';
import { openCaseDatabase, type CaseDatabase } from './caseDatabase';
import { findingsOf, type RuleCase } from './ruleCase';

/** Runs a rule's case table against a real database: one test per situation. */
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
    });
  });
}
