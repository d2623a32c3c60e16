import type { Database } from '../../src/db/database';
import type { RuleDefinition } from '../../src/rules/engine/ruleDefinition';
import { openTestDatabase } from './hubDatabase';
import { findingsOf, type RuleCase } from './ruleCases';

/** Runs a rule's case table against a real database: one test per situation. */
export function describeRuleCases(rule: RuleDefinition, cases: RuleCase[]): void {
  describe(`${rule.code} ${rule.title} — policy cases`, () => {
    let db: Database & { drop(): Promise<void> };
    beforeAll(async () => {
      db = await openTestDatabase();
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
