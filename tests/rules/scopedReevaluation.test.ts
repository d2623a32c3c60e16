import type { Database } from '../../src/db/database';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { reevaluateAfterSync } from '../../src/rules/engine/reevaluation';
import { runRules } from '../../src/rules/engine/runRules';
import { touchedScope } from '../../src/rules/engine/touchedScope';
import type { SyncSummary } from '../../src/ingest/syncRunner';
import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';

/**
 * A re-evaluation after a sync judges only the households and people the sync touched: for them
 * it must reach exactly the findings of a full run, and leave every other finding as it was.
 */
let db: Database & { drop(): Promise<void> };
let syncs: SyncSummary[];
const opts = { asOf: SAMPLE_AS_OF, city: '3710' };

interface FindingState {
  identity: string;
  subject_type: string;
  person_id: string | null;
  household_id: string | null;
  status: string;
  clauses: string[];
  evidence: unknown;
  detail: unknown;
  region_code: string | null;
  last_run_id: string;
}

async function findings(): Promise<FindingState[]> {
  const { rows } = await db.pool.query<FindingState>(
    `select identity, subject_type, person_id, household_id, status, clauses, evidence, detail, region_code, last_run_id
       from finding order by identity`,
  );
  return rows;
}

const judged = (f: FindingState) => ({ identity: f.identity, status: f.status, clauses: f.clauses, evidence: f.evidence, detail: f.detail, region: f.region_code });

function inScope(f: FindingState, scope: { households: string[]; persons: string[] }): boolean {
  if (f.subject_type === 'person') return scope.persons.includes(f.person_id!);
  if (f.subject_type === 'household') return scope.households.includes(f.household_id!);
  return true;
}

beforeAll(async () => {
  db = await openTestDatabase();
  syncs = await loadSampleSet(db);
  await runRules(db.pool, ruleCatalogue, opts);
}, 120_000);

afterAll(async () => {
  await db.drop();
});

describe('touchedScope', () => {
  it('names the people whose disability certificates a sync recorded, and no household', async () => {
    const run = syncs.find((s) => s.connector === 'disability')!;
    const scope = await touchedScope(db.pool, [run.runId]);
    const { rows } = await db.pool.query<{ id: string }>(`select distinct person_id as id from disability_certificate order by 1`);
    expect(scope.persons.sort()).toEqual(rows.map((r) => r.id).sort());
    expect(scope.households).toEqual([]);
  });

  it('names every household and listed member of a civil-affairs sync', async () => {
    const run = syncs.find((s) => s.connector === 'civil-affairs')!;
    const scope = await touchedScope(db.pool, [run.runId]);
    const { rows } = await db.pool.query<{ households: string[]; persons: string[] }>(
      `select array(select distinct household_id::text from membership where feed = 'civil-affairs') as households,
              array(select distinct person_id::text from membership where feed = 'civil-affairs') as persons`,
    );
    expect(scope.households).toEqual(expect.arrayContaining(rows[0].households));
    expect(scope.persons).toEqual(expect.arrayContaining(rows[0].persons));
  });
});

describe('a scoped run', () => {
  // households with findings of their own or of their members, of several rules; one person of
  // each rule's person findings; and a household without any
  const scopes = [
    { name: 'a household with a household finding', households: `select household_id from finding where subject_type = 'household' order by identity limit 1` },
    { name: 'households with D4, G6, G8 or G9 findings', households: `select distinct on (rule) household_id from finding where rule in ('D4', 'G6', 'G8', 'G9') order by rule, identity` },
    {
      name: 'the households of people with person findings',
      households: `select m.household_id from finding f join membership m on m.person_id = f.person_id and m.retired_at is null
                    where f.subject_type = 'person' order by f.identity limit 5`,
    },
    { name: 'one person of each rule with person findings', persons: `select distinct on (rule) person_id from finding where subject_type = 'person' order by rule, identity` },
    {
      name: 'a household without findings',
      households: `select id from household where id not in (select household_id from finding where household_id is not null) order by id limit 1`,
      without: true,
    },
  ];

  it.each(scopes)("re-creates exactly the full run's findings of $name", async (s) => {
    await runRules(db.pool, ruleCatalogue, opts);
    const full = await findings();
    const ids = async (sql?: string) => (sql ? (await db.pool.query(sql)).rows.map((r) => String(Object.values(r)[0])) : []);
    const given = { households: await ids(s.households), persons: await ids(s.persons) };
    expect(given.households.length + given.persons.length).toBeGreaterThan(0);
    // forget every person and household finding: the scoped run must find its own again, and only those
    await db.pool.query(`delete from finding where subject_type <> 'region'`);
    const run = await runRules(db.pool, ruleCatalogue, { ...opts, scope: given });
    expect(run.scope!.households).toEqual(expect.arrayContaining(given.households));
    expect(run.scope!.persons).toEqual(expect.arrayContaining(given.persons));
    const expected = full.filter((f) => inScope(f, run.scope!));
    if (!s.without) expect(expected.filter((f) => f.subject_type !== 'region').length).toBeGreaterThan(0);
    expect((await findings()).map(judged)).toEqual(expected.map(judged));
  });

  it('clears a finding in scope that no longer holds and leaves one outside untouched', async () => {
    await runRules(db.pool, ruleCatalogue, opts);
    const before = await findings();
    const inside = before.find((f) => f.subject_type === 'household' && f.status === 'OPEN')!;
    const scope = { households: [inside.household_id!], persons: [] };
    const closed = (await runRules(db.pool, [], { ...opts, scope })).scope!;
    const outside = before.filter((f) => f.subject_type !== 'region' && !inScope(f, closed));
    expect(outside.length).toBeGreaterThan(0);
    // one stale finding on each side: the scoped run judges the one inside only
    const [stalePerson] = (
      await db.pool.query<{ id: string; id_number: string }>(
        `select p.id, p.id_number from person p where p.id = any($1::bigint[]) order by p.id limit 1`,
        [closed.persons],
      )
    ).rows;
    const [farPerson] = (
      await db.pool.query<{ id: string; id_number: string }>(
        `select p.id, p.id_number from person p where not p.id = any($1::bigint[]) order by p.id limit 1`,
        [closed.persons],
      )
    ).rows;
    for (const p of [stalePerson, farPerson]) {
      await db.pool.query(
        `insert into finding (identity, rule, rule_version, kind, subject_type, subject_key, person_id, status, as_of)
         values ('G7|person|' || $1, 'G7', '1', 'GAP', 'person', $1, $2, 'OPEN', $3)`,
        [p.id_number, p.id, SAMPLE_AS_OF],
      );
    }
    await runRules(db.pool, ruleCatalogue, { ...opts, scope });
    const after = await findings();
    const statusOf = (identity: string) => after.find((f) => f.identity === identity)!.status;
    expect(statusOf(`G7|person|${stalePerson.id_number}`)).toBe('CLEARED');
    expect(statusOf(`G7|person|${farPerson.id_number}`)).toBe('OPEN');
    // the findings outside the scope were not even visited
    const untouched = after.filter((f) => outside.some((o) => o.identity === f.identity));
    expect(untouched).toEqual(outside);
    expect(after.find((f) => f.identity === inside.identity)!.last_run_id).not.toBe(inside.last_run_id);
  });
});

describe('re-evaluation after a sync', () => {
  it('is scoped to what the syncs since the last run touched (nothing here), on the day of the last full run', async () => {
    await runRules(db.pool, ruleCatalogue, opts);
    const run = await reevaluateAfterSync(db.pool, ruleCatalogue, opts);
    expect(run.scope).toEqual({ households: [], persons: [] });
    expect(run.outcomes.filter((o) => o.opened || o.cleared || o.resolved)).toEqual([]);
  });

  it('is a full run on a new day', async () => {
    const run = await reevaluateAfterSync(db.pool, ruleCatalogue, { ...opts, asOf: '2026-11-01' });
    expect(run.scope).toBeNull();
  });

  it('is a full run after a run as of another day (a backfill left every finding as of that day)', async () => {
    await runRules(db.pool, ruleCatalogue, opts);
    await runRules(db.pool, ruleCatalogue, { ...opts, asOf: '2026-09-30' });
    const run = await reevaluateAfterSync(db.pool, ruleCatalogue, opts);
    expect(run.scope).toBeNull();
    const again = await reevaluateAfterSync(db.pool, ruleCatalogue, opts);
    expect(again.scope).toEqual({ households: [], persons: [] });
  });
});
