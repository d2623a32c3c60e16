import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/db/database';
import { povertyRelief } from '../../connectors/poverty-relief';
import { runConnector } from '../../src/ingest/syncRunner';
import { civilAffairs } from '../../connectors/civil-affairs';
import { startCivilAffairsRegistry, type RunningRegistry } from '../../src/simulator/civilAffairsRegistry';
import { openTestDatabase } from '../support/hubDatabase';
import { readJsonl, samplesDir } from '../support/samples';

/**
 * `batchSize` gathers pages into larger transactions (the hub's default, for speed): the graph
 * must be the one page-by-page batches give, and a cut-off run must still resume after its last
 * committed transaction.
 */
const households = readJsonl('api/civil-affairs/households.jsonl');
const grants = readJsonl('api/civil-affairs/grants.jsonl');
const registrations = readJsonl('api/civil-affairs/registries.jsonl');
const delivered = households.length + grants.length + registrations.length;

let registry: RunningRegistry;
const databases: Array<Database & { drop(): Promise<void> }> = [];

async function freshDatabase() {
  const db = await openTestDatabase();
  databases.push(db);
  return db;
}

/** The graph as a reviewer sees it: people, memberships and benefits with their periods, current or history. */
async function graphOf(db: Database) {
  const { rows } = await db.pool.query(`
    select 'person' as t, id_number || ' ' || name || ' ' || coalesce(region_code, '') as v from person
    union all select 'membership', m.record_key || ' ' || m.item_key || ' ' || m.relation_code || ' ' || m.valid_from || ' ' || coalesce(m.valid_to::text, '') || ' ' || (m.retired_at is null) from membership m
    union all select 'benefit', b.record_key || ' ' || b.item_key || ' ' || b.programme_code || ' ' || coalesce(b.amount::text, '') || ' ' || coalesce(b.valid_from::text, '') || ' ' || coalesce(b.valid_to::text, '') || ' ' || (b.retired_at is null) from benefit b
    union all select 'quarantine', record_key || ' ' || reason from quarantined_record
    order by 1, 2`);
  return rows.map((r) => `${r.t} ${r.v}`);
}

beforeAll(async () => {
  registry = await startCivilAffairsRegistry({ households, grants, registrations });
});

afterAll(async () => {
  await registry.close();
  await Promise.all(databases.map((d) => d.drop()));
});

describe('pages gathered into transactions of batchSize records', () => {
  it('builds the same graph as page-by-page batches, in fewer transactions of at least that many records', async () => {
    const pageByPage = await freshDatabase();
    const gathered = await freshDatabase();
    const a = await runConnector(pageByPage, civilAffairs, { source: registry.url, pageSize: 7 });
    const b = await runConnector(gathered, civilAffairs, { source: registry.url, pageSize: 7, batchSize: 50 });
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(b.read).toBe(delivered);
    expect(await graphOf(gathered)).toEqual(await graphOf(pageByPage));
    // three streams: at most one short transaction at the end of each
    expect(b.batches).toBeLessThanOrEqual(Math.floor(delivered / 50) + 3);
    expect(a.batches).toBeGreaterThan(3 * b.batches);
  });

  it('resumes a cut-off run after its last committed transaction and ends with the whole feed once', async () => {
    const reference = await freshDatabase();
    await runConnector(reference, civilAffairs, { source: registry.url, pageSize: 7, batchSize: 50 });

    const db = await freshDatabase();
    const stop = new AbortController();
    const cut = await runConnector(db, civilAffairs, { source: registry.url, pageSize: 7, batchSize: 50 }, {
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(cut.status).toBe('PARTIAL');
    expect(cut.batches).toBe(1);
    // one transaction: whole pages up to at least 50 records
    expect(cut.read).toBeGreaterThanOrEqual(50);
    expect(cut.read % 7).toBe(0);

    const rest = await runConnector(db, civilAffairs, { source: registry.url, pageSize: 7, batchSize: 50 });
    expect(rest.status).toBe('SUCCEEDED');
    expect(cut.read + rest.read).toBeLessThan(delivered + 50);
    expect(await graphOf(db)).toEqual(await graphOf(reference));
  });

  it('applies two batches at once to the same graph, and resumes a cut-off run from a bookmark that names only committed batches', async () => {
    const pageByPage = await freshDatabase();
    await runConnector(pageByPage, civilAffairs, { source: registry.url, pageSize: 7 });

    const db = await freshDatabase();
    const stop = new AbortController();
    const config = { source: registry.url, pageSize: 7, batchSize: 14, parallelBatches: 2 };
    const cut = await runConnector(db, civilAffairs, config, { signal: stop.signal, onProgress: (p) => p.batches >= 3 && stop.abort() });
    expect(cut.status).toBe('PARTIAL');
    expect(cut.batches).toBeGreaterThanOrEqual(3);
    const rest = await runConnector(db, civilAffairs, config);
    expect(rest.status).toBe('SUCCEEDED');
    expect(await graphOf(db)).toEqual(await graphOf(pageByPage));

    const whole = await freshDatabase();
    const once = await runConnector(whole, civilAffairs, config);
    expect([once.status, once.read]).toEqual(['SUCCEEDED', delivered]);
    expect(await graphOf(whole)).toEqual(await graphOf(pageByPage));
  });

  it('applies two snapshots of one run in chunks two at a time as one after the other would: the later one ends only what it no longer holds', async () => {
    // 30 September: the sample snapshot; 31 October: the same without its last household's last member
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-snapshots-'));
    const sample = fs.readFileSync(path.join(samplesDir, 'drop', 'poverty', 'fpdx_20261031.csv'));
    const lines = sample.toString('latin1').split('\n');
    while (lines.at(-1) === '') lines.pop();
    const dropped = lines.pop()!;
    fs.writeFileSync(path.join(dir, 'fpdx_20260930.csv'), sample);
    fs.writeFileSync(path.join(dir, 'fpdx_20261031.csv'), Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    const droppedMember = dropped.split(',')[2]!.trim();
    try {
      const oneByOne = await freshDatabase();
      const twoAtOnce = await freshDatabase();
      const a = await runConnector(oneByOne, povertyRelief, { source: dir });
      const b = await runConnector(twoAtOnce, povertyRelief, { source: dir, pageSize: 4, batchSize: 4, parallelBatches: 2 });
      expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(b.batches).toBeGreaterThan(10);
      const current = async (db: Database) =>
        (
          await db.pool.query(
            `select sr.record_key, sr.deleted from source_record sr where sr.feed = 'poverty-relief' and sr.superseded_at is null order by 1`,
          )
        ).rows.map((r) => `${r.record_key} ${r.deleted ? 'ended' : 'current'}`);
      expect(await current(twoAtOnce)).toEqual(await current(oneByOne));
      const ended = (await current(twoAtOnce)).filter((r) => r.endsWith(' ended'));
      expect(ended).toEqual([expect.stringContaining(droppedMember)]);
      expect(await graphOf(twoAtOnce)).toEqual(await graphOf(oneByOne));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
