import { disability } from '../../connectors/disability';
import type { Database } from '../../src/db/database';
import { runConnector, type SyncOptions } from '../../src/ingest/syncRunner';
import { describeConnectorContract } from '../support/connectorContract';
import { openTestDatabase } from '../support/hubDatabase';
import { disabilityRegistryOf, registryAnswering, type RunningRegistry } from '../support/simulatedRegistries';
import { readJsonl, truthModel, truthQuarantine } from '../support/samples';

const persons = readJsonl('api/disability/persons.jsonl');
const model = truthModel();

type TestDb = Database & { drop(): Promise<void> };

function sync(db: TestDb, source: string, pageSize = 5, opts: SyncOptions = {}) {
  return runConnector(db, disability, { source, pageSize }, opts);
}

const byKey = (a: { record_key: string; item_key?: string }, b: { record_key: string; item_key?: string }) =>
  `${a.record_key}|${a.item_key ?? ''}`.localeCompare(`${b.record_key}|${b.item_key ?? ''}`);

async function certificates(db: Database) {
  const { rows } = await db.pool.query(
    `select c.record_key, p.id_number, c.certificate_no, c.category, c.grade, c.status, c.region_code, c.valid_from, c.valid_to
       from disability_certificate c join person p on p.id = c.person_id where c.retired_at is null order by 1`,
  );
  return rows;
}

const expectedCertificates = () =>
  model.disability
    .map((d: any) => ({
      record_key: d.cert, id_number: d.id, certificate_no: d.cert, category: d.category, grade: d.grade, status: d.status,
      region_code: d.qhdm, valid_from: d.issue, valid_to: d.valid_until,
    }))
    .sort(byKey);

async function subsidies(db: Database) {
  const { rows } = await db.pool.query(
    `select b.record_key, b.item_key, p.id_number, b.programme_code, b.amount, b.valid_from, b.valid_to
       from benefit b join person p on p.id = b.person_id where b.retired_at is null order by 1, 2`,
  );
  return rows;
}

const expectedSubsidies = () =>
  model.disability
    .flatMap((d: any) =>
      d.subsidies.map((s: any) => ({
        record_key: d.cert, item_key: `${s.type}|${s.start}`, id_number: d.id, programme_code: `CJ_${s.type}`,
        amount: s.amount, valid_from: s.start, valid_to: s.end,
      })),
    )
    .sort(byKey);

async function tableSizes(db: TestDb): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`
    select (select count(*) from person)::int as person, (select count(*) from disability_certificate)::int as certificate,
           (select count(*) from benefit)::int as benefit, (select count(*) from source_record)::int as source_record,
           (select count(*) from quarantined_record)::int as quarantined`);
  return rows[0];
}

/** the feed in the registry's order */
const ordered = [...persons].sort((a, b) => Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt) || a.certNo.localeCompare(b.certNo));
const newestModifiedAt = ordered.at(-1).modifiedAt as string;

describe('syncing the disability sample feed', () => {
  let registry: RunningRegistry | undefined;
  let logged = 0;
  const synced = describeConnectorContract(disability, {
    source: async () => {
      const started = await disabilityRegistryOf(persons);
      // the first source is the one the file's own tests read the log of (the SIGKILL test starts another)
      registry ??= started;
      return { config: { source: started.url, pageSize: 5 }, close: () => started.close() };
    },
    read: persons.length,
    records: {
      'every valid certificate with its category, grade, status and validity': { actual: certificates, expected: expectedCertificates },
      'each living and nursing subsidy as a CJ benefit with its monthly amount and period': {
        actual: subsidies,
        expected: () => {
          const expected = expectedSubsidies();
          expect(expected.map((s: any) => s.programme_code)).toEqual(expect.arrayContaining(['CJ_LIVING', 'CJ_NURSING']));
          return expected;
        },
      },
    },
    // the invalid records of the truth, naming the subsidy field
    quarantined: truthQuarantine('disability')
      .map((q: any) => ({ record_key: q.key, reason: q.reason, field: q.field, value: q.value }))
      .sort(byKey),
    resync: {
      before: () => (logged = registry!.log.length),
      after: (again) => {
        // it asks only for records modified after the newest one it has
        expect(again.read).toBe(0);
        const asked = registry!.log.slice(logged).map((r) => new URL(r.url, registry!.url).searchParams.get('modifiedAfter'));
        expect(asked).toEqual([newestModifiedAt]);
      },
    },
    // modifiedAfter is exclusive: the records at the bookmark's instant are asked for again, and found unchanged
    sigkill: { config: (source) => ({ ...source.config, pageSize: 3 }), batches: 2, readAgain: 1 },
  });

  it('ends a subsidy missing from a newer version of the record on that version’s date', async () => {
    const original = persons.find((p) => p.subsidies.length === 2 && p.subsidies.every((s: any) => !s.endDate));
    const newer = { ...original, subsidies: [original.subsidies[0]], modifiedAt: '2026-11-05T09:00:00+08:00' };
    const changed = await disabilityRegistryOf([...persons, newer]);
    try {
      const run = await sync(synced.db, changed.url);
      expect(run.status).toBe('SUCCEEDED');
      expect({ read: run.read, updated: run.updated, ended: run.ended }).toEqual({ read: 1, updated: 1, ended: 1 });
    } finally {
      await changed.close();
    }
    const { rows } = await synced.db.pool.query(
      `select item_key, valid_to from benefit where record_key = $1 and retired_at is null order by item_key`,
      [original.certNo],
    );
    const [kept, dropped] = original.subsidies;
    expect(rows).toEqual(
      [
        { item_key: `${kept.type}|${kept.startDate}`, valid_to: kept.endDate },
        { item_key: `${dropped.type}|${dropped.startDate}`, valid_to: '2026-11-05' },
      ].sort((a, b) => a.item_key.localeCompare(b.item_key)),
    );
  });
});

describe('a run cut off between two records modified at the same instant', () => {
  it('resumes without losing the second one, though modifiedAfter is exclusive', async () => {
    const tie = ordered.findIndex((p, i) => i + 1 < ordered.length && p.modifiedAt === ordered[i + 1].modifiedAt);
    expect(tie).toBeGreaterThanOrEqual(0);
    const db = await openTestDatabase();
    const registry = await disabilityRegistryOf(persons);
    try {
      // pages of tie + 1 records: the first page ends on the first of the pair, the second begins with the other
      const stop = new AbortController();
      const cut = await sync(db, registry.url, tie + 1, { signal: stop.signal, onProgress: () => stop.abort() });
      expect(cut.status).toBe('PARTIAL');
      const rest = await sync(db, registry.url, tie + 1);
      expect(rest.status).toBe('SUCCEEDED');
      expect(await certificates(db)).toEqual(expectedCertificates());
      expect(await subsidies(db)).toEqual(expectedSubsidies());
    } finally {
      await registry.close();
      await db.drop();
    }
  });
});

describe('a disability registry that fails one request in ten (HTTP 500 and hangs)', () => {
  it('still loads every certificate and subsidy', async () => {
    const db = await openTestDatabase();
    const registry = await disabilityRegistryOf(persons, { faultRate: 0.1, seed: 5, hangMs: 2000 });
    try {
      const run = await sync(db, registry.url, 1, { http: { timeoutMs: 500, baseDelayMs: 10 } });
      expect(registry.log.filter((r) => r.status === 500).length).toBeGreaterThan(0);
      expect(registry.log.filter((r) => r.status === 'hung').length).toBeGreaterThan(0);
      expect(run.status).toBe('SUCCEEDED');
      expect(await certificates(db)).toEqual(expectedCertificates());
      expect(await subsidies(db)).toEqual(expectedSubsidies());
    } finally {
      await registry.close();
      await db.drop();
    }
  });
});

describe('a registry answering something other than pages of items', () => {
  it('fails the run with a clear error and commits nothing', async () => {
    const db = await openTestDatabase();
    const registry = await registryAnswering({ data: [], next: null });
    try {
      const run = await sync(db, registry.url);
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/no "items" array/);
      expect((await tableSizes(db)).source_record).toBe(0);
    } finally {
      await registry.close();
      await db.drop();
    }
  });
});
