/**
 * The demo city's invalid records, through the hub: every department registry of a small demo
 * city synced as `npm start` syncs it (same sources, settlement years and day), and the
 * quarantine must hold exactly the records the simulator spoiled, each for the reason and at the
 * field it spoiled — nothing valid refused, nothing spoiled merged.
 */
import { connectors } from '../../connectors';
import type { Database } from '../../src/db/database';
import { runConnector, type SyncSummary } from '../../src/ingest/syncRunner';
import { type DemoRegistries, startDemoRegistries } from '../../src/simulator/demo';
import type { ExpectedInvalid } from '../../src/simulator/records';
import { openTestDatabase } from '../support/hubDatabase';

// a whole (small) city generated and synced through eight connectors: slow on a busy machine
jest.setTimeout(300_000);

/** The hub's stream for where the simulator says a record was served (an endpoint, a file, a workbook's sheet). */
function streamOf(entry: ExpectedInvalid): string {
  switch (entry.feed) {
    case 'education':
      return 'student-aid';
    case 'poverty-relief':
      return 'registered-poor';
    case 'region-stats':
      return 'region-figures';
    case 'housing':
      return entry.where.endsWith('/保障房') ? 'public-housing' : 'dangerous-houses';
    default:
      // the API feeds: the endpoint's last path segment is the stream's name
      return entry.where;
  }
}

interface Quarantined {
  connector: string;
  stream: string;
  record_key: string | null;
  reason: string;
  field: string | null;
}

const line = (q: Quarantined) => [q.connector, q.stream, q.record_key, q.reason, q.field].join(' ');

let registries: DemoRegistries;
let db: Database & { drop(): Promise<void> };
let syncs: SyncSummary[];

beforeAll(async () => {
  registries = await startDemoRegistries({ seed: 2, households: 600, invalidRate: 0.03, assistedShare: 0.3 });
  db = await openTestDatabase();
  // As the demo configures them (src/cli/demoCommand.ts), the economic check last: it asks about the others' rolls.
  const sources: Array<[string, Record<string, unknown>]> = [
    ['civil-affairs', { source: registries.civilAffairs.url }],
    ['education', { source: registries.drops.education }],
    ['health', { source: registries.health.url, years: registries.years }],
    ['housing', { source: registries.drops.housing }],
    ['poverty-relief', { source: registries.drops.poverty }],
    ['disability', { source: registries.disability.url }],
    ['region-stats', { source: registries.drops.regionStats }],
    ['economic-check', { source: registries.economicCheck.url }],
  ];
  syncs = [];
  for (const [name, config] of sources) {
    syncs.push(await runConnector(db, connectors[name], config as any, { asOf: registries.asOf }));
  }
});

afterAll(async () => {
  await db?.drop();
  await registries?.close();
});

describe('a small demo city with 3 % invalid records, synced by all eight connectors', () => {
  it('syncs every department without failing', () => {
    expect(syncs.map((s) => [s.connector, s.status, s.error])).toEqual(
      ['civil-affairs', 'education', 'health', 'housing', 'poverty-relief', 'disability', 'region-stats', 'economic-check'].map((c) => [c, 'SUCCEEDED', null]),
    );
  });

  it('quarantines exactly the records the simulator made invalid, with its reason and field', async () => {
    const { rows } = await db.pool.query<Quarantined>(`select connector, stream, record_key, reason, field from quarantined_record`);
    const expected = registries.expectedInvalid.map((e) => ({ connector: e.feed, stream: streamOf(e), record_key: e.key, reason: e.reason, field: e.field }));
    // every department has some, or the comparison would prove little about it
    expect([...new Set(expected.map((e) => e.connector))].sort()).toEqual(Object.keys(connectors).sort());
    expect(rows.map(line).sort()).toEqual(expected.map(line).sort());
  });

  it('places each invalid row of a file drop at the file and line, or the workbook, sheet and row, the simulator wrote it to', async () => {
    const { rows } = await db.pool.query<{ connector: string; record_key: string; location: string }>(
      `select connector, record_key, location from quarantined_record where connector in ('education', 'housing', 'poverty-relief', 'region-stats')`,
    );
    const expected = registries.expectedInvalid
      .filter((e) => e.file !== undefined)
      .map((e) => ({ connector: e.feed, record_key: e.key, location: e.sheet === undefined ? `${e.file}:line ${e.line}` : `${e.file}/${e.sheet}:row ${e.row}` }));
    const order = (list: Array<{ connector: string; record_key: string; location: string }>) => list.map((q) => `${q.connector} ${q.record_key} ${q.location}`).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(order(rows)).toEqual(order(expected));
  });

  it('merges none of the invalid records into the graph', async () => {
    const { rows } = await db.pool.query<{ feed: string; stream: string; record_key: string }>(
      `select sr.feed, sr.stream, sr.record_key from source_record sr
         join quarantined_record q on q.connector = sr.feed and q.stream = sr.stream and q.record_key = sr.record_key`,
    );
    expect(rows).toEqual([]);
  });

  it("holds every department's records and facts", async () => {
    const { rows } = await db.pool.query<{ feed: string; stream: string; records: number }>(
      `select feed, stream, count(*)::int as records from source_record where superseded_at is null group by feed, stream`,
    );
    const streams = Object.values(connectors).flatMap((c) => c.streams.map((s) => ({ connector: c.name, stream: s.name, tables: s.factTables })));
    for (const { connector, stream, tables } of streams) {
      const records = rows.find((r) => r.feed === connector && r.stream === stream)?.records ?? 0;
      const facts = await db.pool.query<{ n: number }>(
        `select (${tables.map((t) => `(select count(*) from ${t} f join source_record sr on sr.id = f.source_record_id
                                        where sr.feed = $1 and sr.stream = $2 and f.retired_at is null)`).join(' + ')})::int as n`,
        [connector, stream],
      );
      expect({ connector, stream, records: records > 0, facts: facts.rows[0].n > 0 }).toEqual({ connector, stream, records: true, facts: true });
    }
  });
});
