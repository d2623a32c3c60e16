import { D3 } from './D3';
import { D3Cases } from './D3.cases';
import type { Database } from '../../db/database';
import { describeRuleCases } from '../cases/describeRuleCases';
import { openCaseDatabase } from '../cases/caseDatabase';
import { findingsOf } from '../cases/ruleCase';

describeRuleCases(D3, D3Cases);

describe('D3 names every clause that holds', () => {
  let db: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openCaseDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('one finding with clauses i, ii and iii, the programme, the household and the grant', async () => {
    const c = D3Cases.find((x) => x.name.startsWith('all three clauses'))!;
    await findingsOf(db, D3, c);
    const { rows } = await db.pool.query(`select clauses, period_start, detail from finding where rule = 'D3'`);
    expect(rows).toEqual([
      {
        clauses: ['i', 'ii', 'iii'],
        period_start: '2026-03-15',
        detail: {
          clauses: ['i', 'ii', 'iii'], death: '2026-03-15', programmes: ['TK'], households: ['MZ-371002-900001'], grants: ['LS-2026-900001'],
        },
      },
    ]);
  });
});
