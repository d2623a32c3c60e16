import { D4 } from './D4';
import { D4Cases } from './D4.cases';
import type { Database } from '../../db/database';
import { describeRuleCases } from '../cases/describeRuleCases';
import { openCaseDatabase } from '../cases/caseDatabase';
import { findingsOf, type RuleCase } from '../cases/ruleCase';
import { dibao, economicCheckFact, household, idNo } from '../cases/caseBuilders';

describeRuleCases(D4, D4Cases);

describe('D4 names every clause that holds', () => {
  let db: Database & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await openCaseDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('a car, a business and two properties in one finding, with the figures compared', async () => {
    const c = D4Cases.find((x) => x.name.startsWith('a car, a business and two properties'))!;
    await findingsOf(db, D4, c);
    const { rows } = await db.pool.query(`select clauses, detail, jsonb_array_length(parameters) as parameters from finding where rule = 'D4'`);
    expect(rows).toEqual([
      {
        clauses: ['VEHICLE', 'BUSINESS', 'REAL_ESTATE'],
        detail: expect.objectContaining({
          hhId: 'MZ-371002-900001', triggers: ['VEHICLE', 'BUSINESS', 'REAL_ESTATE'], members: 2, vehicles: ['小型汽车'],
          properties: '2.00', financialAssets: '3000.00', depositLimitPerMember: '27840',
        }),
        // exempt kinds, real-estate maximum, deposit months and the urban DB standard
        parameters: 4,
      },
    ]);
  });

  it('the deposit limit of a rural household is reported with the rural standard', async () => {
    const c = D4Cases.find((x) => x.name.startsWith('DEPOSIT: 25000 for one rural member'))!;
    await findingsOf(db, D4, c);
    const { rows } = await db.pool.query(`select clauses, detail from finding where rule = 'D4'`);
    expect(rows.map((r) => [r.clauses, r.detail.hjxz, r.detail.members, r.detail.financialAssets, r.detail.depositLimitPerMember])).toEqual([
      [['DEPOSIT'], '农村', 1, '25000.00', '24720'],
    ]);
  });

  it('reads the exempt kinds as a list: a kind the office adds is exempt from its date', async () => {
    const HEAD = idNo('37100219700101123');
    const tricycle: RuleCase = {
      name: 'an electric tricycle',
      asOf: '2026-10-31',
      feeds: {
        civilAffairs: { households: [household(HEAD, { enrollments: [dibao('2024-01-01', { amount: '1200.00' })] })] },
        economicCheck: [economicCheckFact(HEAD, 'VEHICLE', '1', { item: '电动三轮车' })],
      },
      expect: [],
    };
    expect(await findingsOf(db, D4, tricycle)).toEqual([`D4|household|${HEAD}`]);
    await db.pool.query(
      `insert into parameter (name, region_code, valid_from, value) values ('exempt_vehicle_kinds', '3710', '2026-10-01', '残疾人机动轮椅车， 电动三轮车')`,
    );
    try {
      expect(await findingsOf(db, D4, tricycle)).toEqual([]);
      expect(await findingsOf(db, D4, { ...tricycle, asOf: '2026-09-30' })).toEqual([`D4|household|${HEAD}`]);
    } finally {
      await db.pool.query(`delete from parameter where name = 'exempt_vehicle_kinds' and valid_from = '2026-10-01'`);
    }
  });
});
