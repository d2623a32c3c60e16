import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/database';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules, type RulesRun } from '../../src/rules/engine/runRules';
import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';
import { samplesDir } from '../support/samples';

const truth = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth', 'findings.json'), 'utf8'));
const truthCategories = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth', 'categories.json'), 'utf8'));

let db: Database & { drop(): Promise<void> };
let run: RulesRun;

beforeAll(async () => {
  db = await openTestDatabase();
  const syncs = await loadSampleSet(db);
  expect(syncs.map((s) => `${s.connector}:${s.status}`)).toEqual(syncs.map((s) => `${s.connector}:SUCCEEDED`));
  run = await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
}, 120_000);

afterAll(async () => {
  await db.drop();
});

describe('the rules on the sample set, as of its date', () => {
  // D6 reads the office's screenings, which the sample set has none of: no D6 finding is expected
  it('cover all eighteen rules of the sample truth, and D6', () => {
    expect([...new Set(ruleCatalogue.map((r) => r.code))].filter((c) => c !== 'D6').sort()).toEqual(Object.keys(truth.counts).sort());
    expect(ruleCatalogue.map((r) => r.code)).toContain('D6');
  });

  it.each([...new Set(ruleCatalogue.map((r) => r.code))].map((code) => [code]))('%s finds exactly the findings of the truth', async (code) => {
    const { rows } = await db.pool.query<{ identity: string }>(
      `select identity from finding where rule = $1 and held_in_run_id = $2 order by identity`,
      [code, run.runId],
    );
    const expected = truth.findings.filter((f: any) => f.rule === code).map((f: any) => f.key).sort();
    expect(rows.map((r) => r.identity)).toEqual(expected);
  });

  it('gives every finding evidence that points at source records', async () => {
    const { rows } = await db.pool.query(`select identity, evidence from finding where held_in_run_id = $1`, [run.runId]);
    for (const f of rows) {
      expect(f.evidence.length).toBeGreaterThan(0);
      for (const e of f.evidence) expect(e).toEqual(expect.objectContaining({ feed: expect.any(String), recordKey: expect.any(String), arrivedAt: expect.any(String) }));
    }
  });

  it('changes nothing when run again', async () => {
    const again = await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
    for (const o of again.outcomes) expect({ rule: o.rule, opened: o.opened, cleared: o.cleared }).toEqual({ rule: o.rule, opened: 0, cleared: 0 });
    const { rows } = await db.pool.query(`select count(*)::int as n from finding`);
    expect(rows[0].n).toBe(truth.findings.length);
  });

  it('counts the nine categories per person as the truth does', async () => {
    const { rows } = await db.pool.query<{ id_number: string; categories: string[] }>(
      `select p.id_number, array_agg(distinct c.category order by c.category) as categories
         from weijiu_categories($1, '3710') c join person p on p.id = c.person_id group by p.id_number`,
      [SAMPLE_AS_OF],
    );
    const ours = Object.fromEntries(rows.map((r) => [r.id_number, r.categories]));
    const expected = Object.fromEntries(
      Object.entries(truthCategories.persons as Record<string, string[]>).filter(([, c]) => c.length).map(([id, c]) => [id, [...c].sort()]),
    );
    expect(ours).toEqual(expected);
  });
});
