import { D1a, D1b } from './D1';
import { D1HouseholdCases, D1PersonCases } from './D1.cases';
import type { Database } from '../../db/database';
import { reviewFindings } from '../review';
import { runRules } from '../engine/runRules';
import { describeRuleCases } from '../cases/describeRuleCases';
import { openCaseDatabase } from '../cases/caseDatabase';
import { clearGraph, loadCase } from '../cases/ruleCase';
import { householdWithDibao, idNo, member, studentInTerm, temporaryAid, termFile } from '../cases/caseBuilders';

describeRuleCases({ ...D1a, title: `${D1a.title} (households)` }, D1HouseholdCases);
describeRuleCases({ ...D1b, title: `${D1b.title} (persons)` }, D1PersonCases);

describe('D1 with an exception recorded in the hub', () => {
  const HEAD = idNo('37100219700101123');
  const WIFE = idNo('37100219720202124');
  const grant = (id: string, person: string, paidOn: string) => temporaryAid(person, paidOn, { id, name: '受助人', amount: '3000.00', approvedBy: '区市' });
  const household = householdWithDibao(HEAD, { members: [member(HEAD, { name: '王建国' }), member(WIFE, { name: '李秀英', relation: '02' })] });
  let db: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openCaseDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const held = async (runId: string) =>
    (await db.pool.query<{ identity: string; status: string }>(
      `select identity, status from finding where held_in_run_id = $1 order by identity`, [runId])).rows;

  it('silences the approved grant in later runs, and a later unapproved grant is still found', async () => {
    await clearGraph(db);
    await loadCase(db, { civilAffairs: { households: [household], grants: [grant('LS-2026-900001', HEAD, '2026-01-15'), grant('LS-2026-900002', WIFE, '2026-06-10')] } });
    const first = await runRules(db.pool, [D1a, D1b], { asOf: '2026-06-30', city: '3710' });
    const found = await db.pool.query<{ id: string; identity: string }>(`select id, identity from finding where held_in_run_id = $1`, [first.runId]);
    expect(found.rows.map((r) => r.identity)).toEqual([`D1|household|${HEAD}|a|2026-06-10`]);

    await reviewFindings(db.pool, { ids: [found.rows[0].id], decision: 'EXCEPTION', approvalRef: '威救领办〔2026〕61号', decidedBy: 'office' });
    await loadCase(db, { civilAffairs: { grants: [grant('LS-2026-900003', HEAD, '2026-10-08')] } });
    const later = await runRules(db.pool, [D1a, D1b], { asOf: '2026-10-31', city: '3710' });

    expect(await held(later.runId)).toEqual([{ identity: `D1|household|${HEAD}|a|2026-10-08`, status: 'OPEN' }]);
    const decided = await db.pool.query(`select status, resolved from finding where id = $1`, [found.rows[0].id]);
    expect(decided.rows[0]).toEqual({ status: 'EXCEPTION', resolved: true });
  });

  it('keeps the household and the person findings of D1 apart when both definitions run again', async () => {
    await clearGraph(db);
    const PUPIL = idNo('37100320160106589');
    const row = (studentNo: string) => studentInTerm(PUPIL, '2026-2027_1', {
      studentNo, name: '刘子涵', school: '环翠区实验小学', grade: '四年级', region: '371003001205', aid: '义务教育生活补助', amount: '500.00',
    });
    await loadCase(db, {
      civilAffairs: { households: [household], grants: [grant('LS-2026-900001', HEAD, '2026-01-15'), grant('LS-2026-900002', WIFE, '2026-06-10')] },
      education: termFile('2026-2027_1', row(`G${PUPIL}`), row('L3710032026000001')),
    });
    await runRules(db.pool, [D1a, D1b], { asOf: '2026-10-31', city: '3710' });
    const again = await runRules(db.pool, [D1a, D1b], { asOf: '2026-10-31', city: '3710' });
    expect(again.outcomes.map((o) => [o.rule, o.opened, o.stillOpen, o.cleared])).toEqual([['D1', 0, 1, 0], ['D1', 0, 1, 0]]);
    expect((await held(again.runId)).map((f) => f.status)).toEqual(['OPEN', 'OPEN']);
  });
});
