import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectors, registerConnector } from '../../connectors';
import { createMigration } from '../../src/cli/migrationCommand';
import { entityDiff } from '../../src/db/database';
import { runConnector, type SyncSummary } from '../../src/ingest/syncRunner';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { household, idNo, member } from '../../src/rules/cases/caseBuilders';
import { loadCase } from '../../src/rules/cases/ruleCase';
import { runRules } from '../../src/rules/engine/runRules';
import { touchedScope } from '../../src/rules/engine/touchedScope';
import { veteransAffairs } from '../fixtures/exampleDepartment';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';

/**
 * README "Adding a connector", done the way a developer does it, for the example department in
 * tests/fixtures/exampleDepartment (退役军人事务局: one CSV stream, one fact table in its folder):
 * (1) its entry in connectors/index.ts — here registerConnector, since the list is the hub's own;
 * (2) its migration, from the entities' diff (`weijiu migration create`) — here written into a
 * copy of the migrations folder and applied. Nothing else of the hub is edited, and then it
 * syncs, quarantines, shows its facts to those who may see them, and scoped rule runs see it.
 */
const AS_OF = '2026-10-31';
const FIXTURE_DROP = path.join(__dirname, '..', 'fixtures', 'exampleDepartment', 'drop');
const VETERAN = '37100219521003201X';
const WIDOW = '37100219470815102X';
const HEAD = idNo('37100219780512301');

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let hub: TestHub;
let drop: string;
let migrationsCopy: string;
let written: Awaited<ReturnType<typeof createMigration>>;
let sync: SyncSummary;

beforeAll(async () => {
  // 1. the registration
  registerConnector(veteransAffairs);
  // 2. the migration: the database as the committed migrations leave it; its ORM knows the new entity
  db = await openTestDatabase();
  migrationsCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  fs.copyFileSync(path.join(__dirname, '..', '..', 'src', 'graph', 'migrations', 'index.ts'), path.join(migrationsCopy, 'index.ts'));
  written = await createMigration(db, 'VeteransAffairs', migrationsCopy, AS_OF);
  for (const statement of (await entityDiff(db)).up) await db.pool.query(statement);

  // the veteran's family, as civil affairs registers it
  await loadCase(db, { civilAffairs: { households: [household(HEAD, { members: [member(HEAD), member(VETERAN, { name: '刘振化', relation: '50' })] })] } });
  await runRules(db.pool, ruleCatalogue, { asOf: AS_OF, city: '3710' });
  hub = await startTestHub(db);
  drop = fs.mkdtempSync(path.join(os.tmpdir(), 'veterans-drop-'));
  fs.cpSync(FIXTURE_DROP, drop, { recursive: true });
  sync = await runConnector(db, veteransAffairs, { source: drop }, { asOf: AS_OF });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await db?.drop();
  for (const dir of [drop, migrationsCopy]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('every folder under connectors/ is registered in connectors/index.ts', () => {
  const folders = fs
    .readdirSync(path.join(__dirname, '..', '..', 'connectors'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  expect(folders.length).toBeGreaterThanOrEqual(8);
  expect(folders.filter((f) => !connectors[f])).toEqual([]);
});

test('`weijiu migration create` writes the new fact table as the next migration, listed in the index, and nothing is left to migrate', async () => {
  expect(written).not.toBeNull();
  const name = path.basename(written!.file, '.ts');
  expect(name).toMatch(/^Migration20261031\d{6}VeteransAffairs$/);
  const source = fs.readFileSync(written!.file, 'utf8');
  expect(source).toContain('create table \\"veteran_allowance\\"');
  expect(source).toContain('veteran_allowance_person_id_fkey');
  expect(source).toContain('drop table if exists \\"veteran_allowance\\"');
  const index = fs.readFileSync(path.join(migrationsCopy, 'index.ts'), 'utf8');
  expect(index).toContain(`import { ${name} } from './${name}';`);
  expect(index.trimEnd().endsWith(`{ name: '${name}', class: ${name} },\n];`)).toBe(true);
  // applied, the migrations build what the entities declare
  expect((await entityDiff(db)).up).toEqual([]);
});

test('syncs its fixture into the graph, each fact with the record version it came from', async () => {
  expect(sync).toMatchObject({ status: 'SUCCEEDED', read: 3, inserted: 2, quarantined: 1 });
  const { rows } = await db.pool.query(
    `select p.id_number as person, p.name, f.certificate_no, f.category, f.monthly_amount, f.valid_from,
            sr.feed, sr.stream, sr.record_key
       from veteran_allowance f join person p on p.id = f.person_id join source_record sr on sr.id = f.source_record_id
      order by f.certificate_no`,
  );
  expect(rows).toEqual([
    // civil affairs spells the veteran 刘振化: an unranked feed's spelling comes last (see the last test)
    { person: VETERAN, name: '刘振化', certificate_no: 'YF-371002-0001', category: '伤残军人', monthly_amount: '1560.00', valid_from: '2019-08-01', feed: 'veterans-affairs', stream: 'allowances', record_key: 'YF-371002-0001' },
    { person: WIDOW, name: '孙桂兰', certificate_no: 'YF-371002-0002', category: '烈士遗属', monthly_amount: '2210.50', valid_from: '2015-01-01', feed: 'veterans-affairs', stream: 'allowances', record_key: 'YF-371002-0002' },
  ]);
  // re-delivering the same file changes nothing
  expect(await runConnector(db, veteransAffairs, { source: drop }, { asOf: AS_OF })).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 0 });
});

test('quarantines the record whose ID number has a wrong check digit, with its field', async () => {
  const { rows } = await db.pool.query(`select connector, stream, record_key, reason, field from quarantined_record`);
  expect(rows).toEqual([{ connector: 'veterans-affairs', stream: 'allowances', record_key: 'YF-371002-0003', reason: 'BAD_ID_CHECK_DIGIT', field: '身份证号' }]);
});

const FACTS = `query($idNumber: String!) { person(idNumber: $idNumber) {
  departmentFacts(department: "veterans-affairs") { table validFrom validTo values { name value } source { feed stream recordKey } } } }`;

test('OFFICE reads its facts on Person.departmentFacts, its own DEPARTMENT token too; another department is refused', async () => {
  const expected = [{
    table: 'veteran_allowance', validFrom: '2019-08-01', validTo: null,
    values: [
      { name: 'certificateNo', value: 'YF-371002-0001' }, { name: 'category', value: '伤残军人' },
      { name: 'monthlyAmount', value: '1560.00' }, { name: 'regionCode', value: '371002001001' },
    ],
    source: { feed: 'veterans-affairs', stream: 'allowances', recordKey: 'YF-371002-0001' },
  }];
  const office = await hub.graphql(FACTS, { idNumber: VETERAN });
  expect(office.errors).toBeUndefined();
  expect(office.data.person.departmentFacts).toEqual(expected);

  // DEPARTMENT apps run registered documents only
  const registered = await hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d: FACTS });
  expect(registered.errors).toBeUndefined();
  const own = await hub.graphqlAs(await hub.tokenFor({ role: 'DEPARTMENT', department: 'veterans-affairs', label: 'veterans app' }), FACTS, { idNumber: VETERAN });
  expect(own.errors).toBeUndefined();
  expect(own.data.person.departmentFacts).toEqual(expected);

  const other = await hub.graphqlAs(await hub.tokenFor({ role: 'DEPARTMENT', department: 'health', label: 'health app' }), FACTS, { idNumber: VETERAN });
  expect(other.errors?.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
  expect(other.errors[0].message).toContain("veterans-affairs's facts");
  expect(other.data?.person ?? null).toBeNull();

  const unknown = await hub.graphql(`query($idNumber: String!) { person(idNumber: $idNumber) { departmentFacts(department: "no-such-bureau") { table } } }`, { idNumber: VETERAN });
  expect(unknown.errors?.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
});

test('a scoped rule run re-evaluates the people and households its sync touched', async () => {
  const { rows } = await db.pool.query<{ id_number: string; id: string; household: string | null }>(
    `select p.id_number, p.id::text as id, (select h.id::text from household h join person hp on hp.id = h.head_person_id where hp.id_number = $1) as household
       from person p where p.id_number = any($2::text[])`,
    [HEAD, [VETERAN, WIDOW]],
  );
  const idOf = Object.fromEntries(rows.map((r) => [r.id_number, r.id]));
  const scope = await touchedScope(db.pool, [sync.runId]);
  expect([...scope.persons].sort()).toEqual([idOf[VETERAN], idOf[WIDOW]].sort());
  const run = await runRules(db.pool, ruleCatalogue, { asOf: AS_OF, city: '3710', scope });
  // the veteran's household (through their membership) is evaluated again with them
  expect(run.scope?.households).toContain(rows[0].household);
  expect(run.scope?.persons).toEqual(expect.arrayContaining([idOf[VETERAN], idOf[WIDOW]]));
  const recorded = await db.pool.query(`select scoped, status from rule_run where id = $1`, [run.runId]);
  expect(recorded.rows).toEqual([{ scoped: true, status: 'SUCCEEDED' }]);
});

test('ranking its feed is one row in its migration (feed_precedence): ranked first, its spelling of a name is shown', async () => {
  const nameOf = async () => (await db.pool.query(`select name from person where id_number = $1`, [VETERAN])).rows[0].name;
  expect(await nameOf()).toBe('刘振化');
  await db.pool.query(`insert into feed_precedence (feed, rank) values ('veterans-affairs', 0)`);
  // the next register: the veteran's allowance raised
  const next = fs.readFileSync(path.join(drop, 'veterans_20261031.csv'), 'utf8').replace('1560.00', '1600.00');
  fs.writeFileSync(path.join(drop, 'veterans_20261101.csv'), next);
  expect(await runConnector(db, veteransAffairs, { source: drop }, { asOf: '2026-11-01' })).toMatchObject({ status: 'SUCCEEDED', updated: 1 });
  expect(await nameOf()).toBe('刘振华');
  const r = await hub.graphql(`query($idNumber: String!) { person(idNumber: $idNumber) { name observations { feed name } } }`, { idNumber: VETERAN });
  expect(r.data.person).toEqual({
    name: '刘振华',
    observations: expect.arrayContaining([{ feed: 'civil-affairs', name: '刘振化' }, { feed: 'veterans-affairs', name: '刘振华' }]),
  });
});
