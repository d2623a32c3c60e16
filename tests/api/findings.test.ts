import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/database';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules } from '../../src/rules/engine/runRules';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub } from '../support/hubServer';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';
import { samplesDir } from '../support/samples';

const truthCategories = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth', 'categories.json'), 'utf8'));
const truthFindings = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth', 'findings.json'), 'utf8')).findings;

let db: Database & { drop(): Promise<void> };
let hub: Awaited<ReturnType<typeof startTestHub>>;

beforeAll(async () => {
  db = await openTestDatabase();
  await loadSampleSet(db);
  await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
  hub = await startTestHub(db);
}, 120_000);

afterAll(async () => {
  await hub.close();
  await db.drop();
});

describe('coverage', () => {
  const query = `query ($code: String!, $asOf: Date) {
    coverage(regionCode: $code, asOf: $asOf) {
      regionCode asOf persons byCategory { category persons } openFindings { rule count }
      children { regionCode persons byCategory { category persons } }
    }
  }`;

  it('counts the nine categories for the city and each county as the truth does', async () => {
    const r = await hub.graphql(query, { code: '3710', asOf: SAMPLE_AS_OF });
    expect(r.errors).toBeUndefined();
    const c = r.data.coverage;
    expect(c.persons).toBe(truthCategories.city.persons_with_any_category);
    expect(Object.fromEntries(c.byCategory.map((x: any) => [x.category, x.persons]))).toEqual(truthCategories.city.counts);
    expect(c.children.map((x: any) => x.regionCode)).toEqual(Object.keys(truthCategories.counties).sort());
    for (const child of c.children) {
      expect(Object.fromEntries(child.byCategory.map((x: any) => [x.category, x.persons]))).toEqual(truthCategories.counties[child.regionCode].counts);
    }
  });

  it('counts open findings per rule', async () => {
    const r = await hub.graphql(query, { code: '3710', asOf: SAMPLE_AS_OF });
    const { rows } = await db.pool.query(`select rule, count(*)::int as n from finding where status = 'OPEN' group by rule`);
    expect(Object.fromEntries(r.data.coverage.openFindings.map((x: any) => [x.rule, x.count]))).toEqual(Object.fromEntries(rows.map((x) => [x.rule, x.n])));
  });

  it('answers an unknown region with BAD_USER_INPUT', async () => {
    const r = await hub.graphql(query, { code: '123456' });
    expect(r.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('a person', () => {
  it('has the categories of the truth on the sample date', async () => {
    const [idNumber, categories] = Object.entries(truthCategories.persons as Record<string, string[]>).find(([, c]) => c.length >= 2)!;
    const r = await hub.graphql('query ($id: String!, $d: Date) { person(idNumber: $id) { categories(asOf: $d) } }', { id: idNumber, d: SAMPLE_AS_OF });
    expect([...r.data.person.categories].sort()).toEqual([...categories].sort());
  });

  it('has its findings, with evidence pointing at source records', async () => {
    const d2 = truthFindings.find((f: any) => f.rule === 'D2');
    const r = await hub.graphql(
      'query ($id: String!) { person(idNumber: $id) { findings { rule identity status clauses evidence { feed recordKey arrivedAt values } } } }',
      { id: d2.subject_key },
    );
    const finding = r.data.person.findings.find((f: any) => f.identity === d2.key);
    expect(finding).toMatchObject({ rule: 'D2', status: 'OPEN' });
    expect(finding.evidence.length).toBeGreaterThanOrEqual(2);
    expect(finding.evidence[0]).toEqual(expect.objectContaining({ feed: expect.any(String), recordKey: expect.any(String) }));
  });
});

describe('findings and their review', () => {
  const list = `query ($filter: FindingFilter, $first: Int, $after: String) {
    findings(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id rule identity status kind region { code } decisions { decision reason approvalRef decidedBy } } }
    }
  }`;
  const review = `mutation ($input: ReviewInput!) { reviewFindings(input: $input) { id status decisions { decision reason approvalRef decidedBy decidedAt } } }`;

  it('filters by rule and region, newest first', async () => {
    const r = await hub.graphql(list, { filter: { rule: ['R1'], regionCode: '371003' }, first: 50 });
    const expected = truthFindings.filter((f: any) => f.rule === 'R1' && f.subject_key.startsWith('371003')).map((f: any) => f.key).sort();
    expect(r.data.findings.edges.map((e: any) => e.node.identity).sort()).toEqual(expected);
    const ids = r.data.findings.edges.map((e: any) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('refuses an unknown rule and a bad status with BAD_USER_INPUT', async () => {
    expect((await hub.graphql(list, { filter: { rule: ['X9'] } })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await hub.graphql(list, { filter: { status: ['MAYBE'] } })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('needs a reason to dismiss and an approval reference for an exception', async () => {
    const r = await hub.graphql(list, { filter: { rule: ['D2'] }, first: 1 });
    const id = r.data.findings.edges[0].node.id;
    const dismiss = await hub.graphql(review, { input: { ids: [id], decision: 'DISMISS' } });
    expect(dismiss.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'reason' });
    const exception = await hub.graphql(review, { input: { ids: [id], decision: 'EXCEPTION', reason: 'approved' } });
    expect(exception.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'approvalRef' });
    const { rows } = await db.pool.query(`select status from finding where id = $1`, [id]);
    expect(rows[0].status).toBe('OPEN');
  });

  it('keeps a decision with who and why, in bulk, and a later run never reopens it', async () => {
    const r = await hub.graphql(list, { filter: { rule: ['R1'] }, first: 10 });
    const ids = r.data.findings.edges.map((e: any) => e.node.id);
    const decided = await hub.graphql(review, { input: { ids, decision: 'DISMISS', reason: 'staff hired in November' } });
    expect(decided.errors).toBeUndefined();
    for (const f of decided.data.reviewFindings) {
      expect(f.status).toBe('DISMISSED');
      expect(f.decisions).toEqual([expect.objectContaining({ decision: 'DISMISS', reason: 'staff hired in November', decidedBy: 'local' })]);
    }
    const again = await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
    expect(again.outcomes.find((o) => o.rule === 'R1')).toMatchObject({ opened: 0, cleared: 0 });
    const { rows } = await db.pool.query(`select distinct status from finding where id = any($1::bigint[])`, [ids]);
    expect(rows).toEqual([{ status: 'DISMISSED' }]);
  });
});
