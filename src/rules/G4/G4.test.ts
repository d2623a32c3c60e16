import { G4 } from './G4';
import { G4Cases, G4TermsCases } from './G4.cases';
import { describeRuleCases } from '../cases/describeRuleCases';
import { openCaseDatabase } from '../cases/caseDatabase';
import { clearGraph, loadCase, NO_SUCH_SUBJECT, subjectOfIdentity } from '../cases/ruleCase';
import type { Database } from '../../db/database';
import { runRules } from '../engine/runRules';
import { traceRule } from '../engine/traceRule';

describeRuleCases(G4, G4Cases);

// The newest term needs an older one beside it: each term file is delivered in turn.
describe(`G4 ${G4.title} — across term files`, () => {
  let db: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openCaseDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  it.each(G4TermsCases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await clearGraph(db);
    await loadCase(db, c.feeds);
    for (const term of c.terms) await loadCase(db, { education: term });
    const run = await runRules(db.pool, [G4], { asOf: c.asOf, city: '3710' });
    const { rows } = await db.pool.query<{ identity: string }>(`select identity from finding where held_in_run_id = $1 order by identity`, [run.runId]);
    const found = rows.map((r) => r.identity);
    expect(found).toEqual([...c.expect].sort());
    for (const absent of c.expectNot ?? []) expect(found).not.toContain(absent);
    // explained as describeRuleCases explains a case: each finding holds, each near miss fails by the condition named
    const explain = async (identity: string) => {
      const { subjectId, item } = await subjectOfIdentity(db, identity);
      return subjectId === null ? null : traceRule(db.pool, G4, { asOf: c.asOf, city: '3710', subjectId, item });
    };
    for (const identity of found) expect({ identity, holds: (await explain(identity))?.holds }).toEqual({ identity, holds: true });
    for (const absent of c.expectNot ?? []) {
      const trace = await explain(absent);
      const failing = trace?.conditions.filter((k) => !k.holds).map((k) => k.name) ?? [NO_SUCH_SUBJECT];
      expect({ absent, holds: trace?.holds ?? false, failing: failing.includes(c.decidedBy ?? '') }).toEqual({ absent, holds: false, failing: true });
    }
  });
});
