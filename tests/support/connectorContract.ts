/**
 * The contract every connector keeps, proved the same way for each (as every Singer tap repeats
 * its bookmark and interruption tests): fetch + map of its fixture gives the expected records;
 * malformed records are quarantined with their reason and raw record; a re-sync of unchanged data
 * changes nothing; and, where the fixture asks for it, a sync killed with SIGKILL mid-way resumes
 * after its last committed batch. A connector's own behaviours are tests beside it, on the same
 * synced database (the returned context).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ConnectorConfig } from '../../src/config/config';
import { openDatabase, type Database } from '../../src/db/database';
import type { Connector } from '../../src/ingest/connector';
import { runConnector, type SyncOptions, type SyncSummary } from '../../src/ingest/syncRunner';
import { copyTemplateDatabase, type TemplateCopy } from '../../src/rules/cases/caseDatabase';

export type ContractDatabase = Database & { url: string; drop(): Promise<void> };

export interface ConnectorSource {
  /** the connector's settings pointing at the source (a registry's address or a drop folder) */
  config: ConnectorConfig;
  close(): Promise<void>;
}

export interface ExpectedRecords {
  /** the graph's rows, read with SQL */
  actual(db: Database): Promise<unknown>;
  /** the same rows as the truth of the sample gives them */
  expected(): unknown;
}

export interface ConnectorFixture {
  /** starts what the connector reads: a simulated registry or a copy of a sample drop folder */
  source(): Promise<ConnectorSource>;
  /** fills the database before the first sync (the rolls the economic check draws from); default nothing */
  prepare?(db: ContractDatabase): Promise<void>;
  /** the day the sync is for, where it matters */
  asOf?: string;
  /** records the first sync reads */
  read: number;
  /** what the graph holds after the first sync, by what it is (`'every valid certificate'`) */
  records: Record<string, ExpectedRecords>;
  /** the quarantined records expected, ordered by record_key; their keys are the columns compared */
  quarantined: Array<Record<string, unknown>>;
  /** more a re-sync of the unchanged source must show (what it asked for, what it read again); `before` runs just before it */
  resync?: { before?(): void; after(run: SyncSummary, context: ContractContext): Promise<void> | void };
  /**
   * A sync killed with SIGKILL after `batches` committed batches, with `config` (small pages,
   * so that there are batches to kill between), then run again in process. It starts a hub
   * process (a few seconds): given for one API and one file-drop connector.
   */
  sigkill?: {
    config(source: ConnectorSource): ConnectorConfig;
    batches: number;
    /** records of the last committed batch the resumed run reads again (an exclusive bound at a shared instant); default 0 */
    readAgain?: number;
  };
}

export interface ContractContext {
  readonly db: ContractDatabase;
  readonly source: ConnectorSource;
  /** the first sync of the fixture */
  readonly first: SyncSummary;
  sync(config?: ConnectorConfig, opts?: SyncOptions): Promise<SyncSummary>;
  /** rows of every graph table, by table */
  tableSizes(): Promise<Record<string, number>>;
}

/** every table a sync writes, and the bookkeeping beside it */
const GRAPH_TABLES = [
  'person', 'person_observation', 'household', 'household_record', 'membership', 'registration', 'benefit', 'disability_certificate',
  'medical_settlement', 'death_record', 'schooling', 'dangerous_house', 'poverty_record', 'economic_fact', 'region_stat',
  'source_record', 'quarantined_record',
];

export async function contractDatabase(): Promise<ContractDatabase> {
  const copy: TemplateCopy = await copyTemplateDatabase();
  const db = await openDatabase(copy.url, { poolSize: 4 });
  return Object.assign(db, {
    url: copy.url,
    async drop() {
      await db.close();
      await copy.drop();
    },
  });
}

async function tableSizes(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`select ${GRAPH_TABLES.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`);
  return rows[0];
}

const CHILD = path.join(__dirname, 'connectorContractChild.ts');

/** Runs the connector in a hub process of its own and SIGKILLs it once `batches` batches have committed. */
async function syncKilledAfter(db: ContractDatabase, connector: Connector, config: ConnectorConfig, batches: number, asOf?: string): Promise<void> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      WEIJIU_CONTRACT_CONNECTOR: connector.name,
      WEIJIU_CONTRACT_CONFIG: JSON.stringify(config),
      WEIJIU_CONTRACT_KILL_AFTER: String(batches),
      WEIJIU_CONTRACT_AS_OF: asOf ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('close', (code, signal) => resolve(signal ?? code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes(`committed ${batches}\n`)) resolve();
      });
      void exited.then((how) => reject(new Error(`the sync process ended (${how}) before committing ${batches} batches:\n${stdout}\n${stderr}`)));
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

export function describeConnectorContract(connector: Connector, fixture: ConnectorFixture): ContractContext {
  let db: ContractDatabase;
  let source: ConnectorSource;
  let first: SyncSummary;
  const sync = (config: ConnectorConfig = source.config, opts: SyncOptions = {}) => runConnector(db, connector, config, { asOf: fixture.asOf, ...opts });
  const context: ContractContext = {
    get db() {
      return db;
    },
    get source() {
      return source;
    },
    get first() {
      return first;
    },
    sync,
    tableSizes: () => tableSizes(db),
  };

  beforeAll(async () => {
    db = await contractDatabase();
    source = await fixture.source();
    await fixture.prepare?.(db);
    first = await sync();
  });

  afterAll(async () => {
    await source?.close();
    await db?.drop();
  });

  describe(`the ${connector.name} connector contract`, () => {
    it(`syncs the fixture: succeeds, reads ${fixture.read} records and quarantines ${fixture.quarantined.length}`, () => {
      expect({ status: first.status, error: first.error }).toEqual({ status: 'SUCCEEDED', error: null });
      expect(first.read).toBe(fixture.read);
      expect(first.quarantined).toBe(fixture.quarantined.length);
    });

    it.each(Object.keys(fixture.records))('fetches and maps the fixture into %s', async (what) => {
      const { actual, expected } = fixture.records[what];
      expect(await actual(db)).toEqual(expected());
    });

    it('quarantines each malformed record with its reason and the raw record as delivered', async () => {
      const columns = [...new Set(fixture.quarantined.flatMap((q) => Object.keys(q)))];
      const { rows } = await db.pool.query(
        `select ${['record_key', ...columns.filter((c) => c !== 'record_key')].join(', ')}, raw, raw::text as raw_text
           from quarantined_record where connector = $1 order by record_key, id`,
        [connector.name],
      );
      expect(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])))).toEqual(fixture.quarantined.map((q) => Object.fromEntries(columns.map((c) => [c, q[c]]))));
      for (const r of rows) {
        // the raw record as delivered, not a summary of it
        expect(Object.keys(r.raw).length).toBeGreaterThan(1);
        // and the one filed under the key (a composite key names one of its fields at least): a reviewer sees what was sent
        const parts = r.record_key ? String(r.record_key).split('|') : [];
        if (parts.length) expect({ key: r.record_key, inRaw: parts.some((p) => r.raw_text.includes(p)) }).toEqual({ key: r.record_key, inRaw: true });
      }
    });

    it('changes nothing when the unchanged source is synced again', async () => {
      const before = await tableSizes(db);
      fixture.resync?.before?.();
      const again = await sync();
      expect({ status: again.status, inserted: again.inserted, updated: again.updated, ended: again.ended }).toEqual({
        status: 'SUCCEEDED', inserted: 0, updated: 0, ended: 0,
      });
      expect(await tableSizes(db)).toEqual(before);
      for (const { actual, expected } of Object.values(fixture.records)) expect(await actual(db)).toEqual(expected());
      await fixture.resync?.after(again, context);
    });

    if (fixture.sigkill) {
      const kill = fixture.sigkill;
      it(`resumes after its last committed batch when a sync is killed (SIGKILL) after ${kill.batches} batches`, async () => {
        const own = await contractDatabase();
        const killedSource = await fixture.source();
        try {
          await fixture.prepare?.(own);
          const config = kill.config(killedSource);
          await syncKilledAfter(own, connector, config, kill.batches, fixture.asOf);
          const { rows: killed } = await own.pool.query(`select status, batches, read, inserted from sync_run where connector = $1`, [connector.name]);
          // a killed process cannot say anything: its run stays as it was when it died, its batches kept
          expect(killed).toEqual([{ status: 'RUNNING', batches: kill.batches, read: expect.any(Number), inserted: expect.any(Number) }]);
          expect(killed[0].read).toBeGreaterThan(0);
          expect(killed[0].read).toBeLessThan(fixture.read);
          const resumed = await runConnector(own, connector, config, { asOf: fixture.asOf });
          expect({ status: resumed.status, error: resumed.error }).toEqual({ status: 'SUCCEEDED', error: null });
          // not from the start: only what was not committed (and what the connector says it reads again), nothing lost
          expect(resumed.read).toBe(fixture.read - killed[0].read + (kill.readAgain ?? 0));
          expect({ inserted: resumed.inserted + killed[0].inserted }).toEqual({ inserted: first.inserted });
          for (const { actual, expected } of Object.values(fixture.records)) expect(await actual(own)).toEqual(expected());
          expect(await tableSizes(own)).toEqual(await tableSizes(db));
        } finally {
          await killedSource.close();
          await own.drop();
        }
      });
    }
  });

  return context;
}
