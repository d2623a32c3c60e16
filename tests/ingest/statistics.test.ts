import type { Database } from '../../src/db/database';
import { runConnector } from '../../src/ingest/syncRunner';
import { health } from '../../connectors/health';
import { type DemoRegistries, startDemoRegistries } from '../../src/simulator/demo';
import { openTestDatabase } from '../support/hubDatabase';

/**
 * A first sync fills tables from empty. Planned against empty-table statistics, the rules after it
 * (and the sync's own lookups) scan whole tables where an index finds one record's rows, so the
 * sync leaves the planner knowing what it wrote — without waiting for autovacuum's next round.
 */
let registries: DemoRegistries;
let db: Database & { drop(): Promise<void> };

beforeAll(async () => {
  registries = await startDemoRegistries({ seed: 4, households: 1500 });
  db = await openTestDatabase();
});

afterAll(async () => {
  await registries.close();
  await db.drop();
});

it('leaves the tables a first sync filled analysed, the planner row counts within a tenth of what they hold', async () => {
  const before = await db.pool.query<{ relname: string; analysed: boolean }>(
    `select relname, last_analyze is not null as analysed from pg_stat_user_tables where relname in ('source_record', 'person', 'person_observation', 'medical_settlement')`,
  );
  expect(before.rows.filter((r) => r.analysed)).toEqual([]);

  const run = await runConnector(db, health, { source: registries.health.url, years: registries.years, pageSize: 100, batchSize: 400, parallelBatches: 2 });
  expect(run.status).toBe('SUCCEEDED');

  const { rows } = await db.pool.query<{ relname: string; analysed: boolean; estimated: number; held: number }>(
    `select s.relname, s.last_analyze is not null as analysed, c.reltuples::int as estimated,
            (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', s.relname), false, true, '')))[1]::text::int as held
       from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.relname in ('source_record', 'person', 'person_observation', 'medical_settlement')
      order by s.relname`,
  );
  expect(rows.map((r) => r.relname)).toEqual(['medical_settlement', 'person', 'person_observation', 'source_record']);
  for (const r of rows) {
    expect(r.held).toBeGreaterThan(500);
    // a table is analysed again at the stream's end where it grew by a tenth since its last analysis
    expect({ table: r.relname, analysed: r.analysed }).toEqual({ table: r.relname, analysed: true });
    expect(Math.abs(r.estimated - r.held)).toBeLessThanOrEqual(r.held * 0.1);
  }
});
