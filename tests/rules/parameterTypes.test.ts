/**
 * Every parameter has a declared type, unit and sane range (parameters.md): setParameter refuses a
 * value outside them and stores nothing, the database refuses it too, and a bad row that got in
 * anyway (before the definitions existed, or with triggers off) is skipped by the lookup and named
 * by the rule run — it fails neither the run nor coverage (issue 11, item 7).
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Database } from '../../src/db/database';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules } from '../../src/rules/engine/runRules';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';

let db: Database & { drop(): Promise<void> };
let hub: TestHub;

beforeAll(async () => {
  db = await openTestDatabase();
  await loadSampleSet(db);
  await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
  hub = await startTestHub(db);
}, 180_000);

afterAll(async () => {
  await hub?.close();
  await db?.drop();
});

const allRows = async () => (await db.pool.query(`select * from parameter order by id`)).rows;

const set = (selection: string) => `mutation ($name: String!, $region: String!, $from: Date!, $value: String!) {
  setParameter(name: $name, regionCode: $region, validFrom: $from, value: $value) { ${selection} }
}`;

describe('setParameter', () => {
  it.each([
    ['2.5 for a day count', 'dangerous_house_days', '2.5', '2027-01-01', 'value', /"2\.5" is not a whole number; dangerous_house_days is a whole number from 1 to 3650 \(days\)/],
    ['a day count of 0', 'recent_window_days', '0', '2027-01-01', 'value', /is out of range; recent_window_days is a whole number from 1 to 3650 \(days\)/],
    ['a negative amount', 'medical_oop_threshold', '-100', '2027-01-01', 'value', /is out of range; .* from 0 to 999999999\.99 \(yuan\/calendar year\) with at most 2 decimals/],
    ['a 199-digit number', 'medical_oop_threshold', '9'.repeat(199), '2027-01-01', 'value', /is out of range; .* from 0 to 999999999\.99 \(yuan\/calendar year\)/],
    ['fractions of a fen', 'town_backup_fund', '50000.125', '2027-01-01', 'value', /has more than 2 decimals; .*\(yuan\)/],
    ['a share over 1', 'centralised_care_rate', '1.5', '2027-01-01', 'value', /is out of range; .* from 0 to 1 \(share\)/],
    ['text for a number', 'medical_oop_threshold', 'lots', '2027-01-01', 'value', /"lots" is not a number/],
    ['an empty item in a list', 'exempt_vehicle_kinds', '残疾人机动轮椅车,,', '2027-01-01', 'value', /has an empty item/],
    ['validFrom 0001-01-01', 'dangerous_house_days', '150', '0001-01-01', 'validFrom', /0001-01-01 is outside 2000-01-01 … 2100-12-31/],
    ['validFrom 9999-12-31', 'dangerous_house_days', '150', '9999-12-31', 'validFrom', /9999-12-31 is outside 2000-01-01 … 2100-12-31/],
  ])('refuses %s with BAD_USER_INPUT naming the argument and the allowed range, and stores nothing', async (_what, name, value, from, argument, message) => {
    const before = await allRows();
    const r = await hub.graphql(set('value'), { name, region: '3710', from, value });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: argument });
    expect(r.errors[0].message).toMatch(new RegExp(`^${argument}: `));
    expect(r.errors[0].message).toMatch(message);
    expect(r.data).toBeNull();
    expect(await allRows()).toEqual(before);
  });

  it('accepts a value that conforms, and shows its definition', async () => {
    const r = await hub.graphql(set('name regionCode validFrom value unit definition { type unit minimum maximum }'), { name: 'town_backup_fund', region: '371082', from: '2027-01-01', value: ' 60000.50 ' });
    expect(r.errors).toBeUndefined();
    expect(r.data.setParameter).toEqual({
      name: 'town_backup_fund', regionCode: '371082', validFrom: '2027-01-01', value: '60000.50', unit: 'yuan',
      definition: { type: 'DECIMAL', unit: 'yuan', minimum: '0', maximum: '999999999.99' },
    });
  });

  it('lists a definition, with a Chinese description, for every parameter in the table', async () => {
    const r = await hub.graphql('{ parameterDefinitions { name type unit minimum maximum decimals description expected } }');
    expect(r.errors).toBeUndefined();
    const { rows } = await db.pool.query<{ name: string }>(`select distinct name from parameter order by name`);
    expect(r.data.parameterDefinitions.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(rows.map((x) => x.name)));
    for (const d of r.data.parameterDefinitions) expect(d.description).toMatch(/\p{Script=Han}/u);
    expect(r.data.parameterDefinitions.find((d: { name: string }) => d.name === 'recent_window_days')).toEqual({
      name: 'recent_window_days', type: 'INTEGER', unit: 'days', minimum: '1', maximum: '3650', decimals: 0,
      description: expect.any(String), expected: 'a whole number from 1 to 3650 (days)',
    });
  });
});

describe('the parameter table itself', () => {
  it.each([
    ['a value that does not conform', `insert into parameter (name, region_code, valid_from, value) values ('recent_window_days', '3710', '2027-01-01', '2.5')`, '23514'],
    ['a validFrom outside the window', `insert into parameter (name, region_code, valid_from, value) values ('recent_window_days', '3710', '0001-01-01', '365')`, '23514'],
    ['a parameter with no definition', `insert into parameter (name, region_code, valid_from, value) values ('made_up', '3710', '2027-01-01', '1')`, '23503'],
  ])('refuses %s even from SQL', async (_what, sql, code) => {
    await expect(db.pool.query(sql)).rejects.toMatchObject({ code });
  });

  it('holds min_cell_size: 5 persons city-wide from the first seed date, 2 to 1000', async () => {
    const { rows } = await db.pool.query(
      `select p.region_code, p.valid_from, p.value, d.type, d.unit, d.minimum::text, d.maximum::text,
              (select value from weijiu_param('min_cell_size', '371002', $1::date)) as in_a_county
         from parameter p join parameter_definition d on d.name = p.name where p.name = 'min_cell_size'`,
      [SAMPLE_AS_OF],
    );
    const { rows: first } = await db.pool.query(`select min(valid_from) as valid_from from parameter where region_code = '3710' and name <> 'min_cell_size'`);
    expect(rows).toEqual([
      { region_code: '3710', valid_from: first[0].valid_from, value: '5', type: 'INTEGER', unit: 'persons', minimum: '2', maximum: '1000', in_a_county: '5' },
    ]);
  });
});

describe('a bad row that got into the table anyway', () => {
  const COVERAGE = '{ coverage(regionCode: "3710", asOf: "2026-10-31") { persons byCategory { category persons } } }';
  let coverageBefore: unknown;

  beforeAll(async () => {
    coverageBefore = (await hub.graphql(COVERAGE)).data;
    // the window decides the TEMPORARY category: the figures would show a wrong window
    expect(coverageBefore).toMatchObject({ coverage: { persons: expect.any(Number), byCategory: expect.arrayContaining([{ category: 'TEMPORARY', persons: expect.any(Number) }]) } });
    expect((coverageBefore as any).coverage.byCategory.find((c: any) => c.category === 'TEMPORARY').persons).toBeGreaterThan(0);
    // as before the definitions existed: triggers and foreign keys off for this one connection
    const client = await db.pool.connect();
    try {
      await client.query(`set session_replication_role = replica`);
      await client.query(
        `insert into parameter (name, region_code, valid_from, value) values
           ('recent_window_days', '3710', '2026-01-01', '2.5'),
           ('sudden_oop_threshold', '371082', '2026-01-01', 'lots')`,
      );
    } finally {
      await client.query(`reset session_replication_role`);
      client.release();
    }
  });

  it('fails no rule run: the run succeeds, changes no finding, and names the row and the rule', async () => {
    const run = await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
    const { rows } = await db.pool.query(`select status, error, summary from rule_run where id = $1`, [run.runId]);
    expect(rows[0]).toMatchObject({ status: 'SUCCEEDED', error: null });
    for (const o of run.outcomes) expect({ rule: o.rule, opened: o.opened, cleared: o.cleared }).toEqual({ rule: o.rule, opened: 0, cleared: 0 });
    const g9 = run.outcomes.find((o) => o.rule === 'G9')!;
    expect(g9.warnings).toEqual([
      {
        rule: 'G9', parameter: 'recent_window_days', regionCode: '3710', validFrom: '2026-01-01', value: '2.5',
        fault: 'is not a whole number; it must be a whole number from 1 to 3650 (days)',
      },
      expect.objectContaining({ rule: 'G9', parameter: 'sudden_oop_threshold', regionCode: '371082', validFrom: '2026-01-01', value: 'lots' }),
    ]);
    expect(run.outcomes.filter((o) => o.warnings.length).map((o) => o.rule)).toEqual(['G9']);
    // the run's record keeps the warnings
    expect(rows[0].summary.find((o: { rule: string }) => o.rule === 'G9').warnings).toEqual(g9.warnings);
  }, 120_000);

  it('fails no coverage query: the figures are those without the row', async () => {
    const r = await hub.graphql(COVERAGE);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual(coverageBefore);
  });

  it('is printed by weijiu rules run as a warning under the rule', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'weijiu'), 'rules', 'run', '--as-of', SAMPLE_AS_OF], {
      env: { ...process.env, DATABASE_URL: db.url, WEIJIU_CONFIG: '' },
      cwd: os.tmpdir(),
    });
    const lines = stdout.split('\n');
    const g9 = lines.findIndex((l) => l.startsWith('G9 '));
    expect(lines.slice(g9 + 1, g9 + 3)).toEqual([
      '    warning: G9 skipped parameter recent_window_days 3710 from 2026-01-01: value "2.5" is not a whole number; it must be a whole number from 1 to 3650 (days)',
      '    warning: G9 skipped parameter sudden_oop_threshold 371082 from 2026-01-01: value "lots" is not a number; it must be a number from 0 to 999999999.99 (yuan/recent window) with at most 2 decimals',
    ]);
    expect(stdout).toMatch(/^2 parameter row\(s\) skipped/m);
  }, 120_000);
});
