/**
 * Every read the API batches is index-backed: each loader's statement, as the sample city's
 * database plans it with sequential scans discouraged (`enable_seqscan`, and the hash and merge joins that read a whole side, off), scans no fact or
 * graph table whole (nor a whole index of one) — a scan that remains is one no index can serve, and it would grow with the
 * city. Checked for every loader a request can reach, with the keys a page would give it.
 */
import type DataLoader from 'dataloader';
import { createLoaders, type Loaders } from '../../src/api/loaders';
import { batchOf } from '../../src/api/batches';
import { FACT_FEED, type FactKind } from '../../src/api/factLoaders';
import { declaredFactTables } from '../../src/graph/entities/Fact';
import type { Viewer } from '../../src/auth/viewer';
import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';
import { runRules } from '../../src/rules/engine/runRules';
import { ruleCatalogue } from '../../src/rules/catalogue';
import type { Database } from '../../src/db/database';

let db: Database & { drop(): Promise<void> };
beforeAll(async () => {
  db = await openTestDatabase();
  await loadSampleSet(db);
  await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
  await db.pool.query('analyze');
}, 180_000);
afterAll(async () => db?.drop());

/** Tables that grow with the city: every fact table and the graph's own. */
const GROWING = new Set([...declaredFactTables(), 'person', 'household', 'finding', 'finding_decision', 'source_record', 'person_observation', 'sync_run']);

const viewers: Array<[string, Viewer]> = [
  ['the office', { role: 'OFFICE', regionPrefix: '3710', department: null, tokenId: '1', label: 'office' } as Viewer],
  ['a town', { role: 'TOWN', regionPrefix: '371002001', department: null, tokenId: '2', label: 'town' } as Viewer],
  ['a department', { role: 'DEPARTMENT', regionPrefix: '3710', department: 'disability', tokenId: '3', label: 'dept' } as Viewer],
];

function loadersOf(l: Loaders): Array<[string, DataLoader<string, any>]> {
  const d = SAMPLE_AS_OF;
  return [
    ['personById', l.personById], ['personByIdNumber', l.personByIdNumber], ['householdById', l.householdById],
    ['householdOfPerson', l.householdOfPerson(d)], ['regionOfPerson', l.regionOfPerson(d)], ['membersOfHousehold', l.membersOfHousehold(d)],
    ['benefitsOfPerson', l.benefitsOfPerson({ activeOn: d })], ['benefitsOfHousehold', l.benefitsOfHousehold({ year: 2026 })],
    ['deathOfPerson', l.deathOfPerson], ['observationsOfPerson', l.observationsOfPerson], ['runsOfConnector', l.runsOfConnector(5)],
    ['decisionsOf', l.rules.decisionsOf], ['parameterById', l.rules.parameterById],
    ...(Object.keys(FACT_FEED) as FactKind[]).map((k): [string, DataLoader<string, any>] => [`facts(${k})`, l.facts(k, { year: 2026, newestOnly: true })]),
  ];
}

async function keysFor(name: string): Promise<unknown[]> {
  const q = async (sql: string) => (await db.pool.query(sql)).rows.map((r) => r.k);
  if (name === 'personByIdNumber') return q(`select id_number as k from person order by id limit 50`);
  if (name === 'householdById' || name.endsWith('OfHousehold')) return q(`select id::text as k from household order by id limit 50`);
  if (name === 'runsOfConnector') return q(`select distinct connector as k from sync_run`);
  if (name === 'decisionsOf') return q(`select id::text as k from finding order by id limit 50`);
  if (name === 'parameterById') return q(`select id::text as k from parameter order by id limit 50`);
  return q(`select id::text as k from person order by id limit 50`);
}

/** Sequential scans, and index scans without a condition (a whole index read in order: as long). */
function scansWhole(plan: any, into: string[] = []): string[] {
  const whole = plan['Node Type'] === 'Seq Scan' || (/^Index (Only )?Scan$/.test(plan['Node Type']) && !plan['Index Cond']);
  if (whole && GROWING.has(plan['Relation Name'])) into.push(`${plan['Node Type']} on ${plan['Relation Name']}`);
  for (const child of plan.Plans ?? []) scansWhole(child, into);
  return into;
}

describe.each(viewers)('as %s', (_, viewer) => {
  const loaders = () => loadersOf(createLoaders({ pool: db.pool, viewer, city: '3710', today: SAMPLE_AS_OF }));
  it.each(loadersOf(createLoaders({ pool: null as never, viewer, city: '3710', today: SAMPLE_AS_OF })).map(([n]) => n))('%s reads by index', async (name) => {
    const loader = loaders().find(([n]) => n === name)![1];
    const batch = batchOf(loader)!;
    expect(batch).toBeDefined();
    const params: unknown[] = [await keysFor(name)];
    const sql = batch.sql(`$1::${batch.keyType}[]`, params);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      // as the plans at a city's size are: nested loops into indexes, no table read whole to join it
      await client.query('set local enable_seqscan = off; set local enable_mergejoin = off; set local enable_hashjoin = off');
      // nested SQL functions (a person's household) are planned as they run: explain shows them inlined or as function scans
      const { rows } = await client.query(`explain (format json) ${sql}`, params);
      expect(scansWhole(rows[0]['QUERY PLAN'][0].Plan)).toEqual([]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
