import type { Database } from '../../src/db/database';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules } from '../../src/rules/engine/runRules';
import type { Logger } from '../../src/logging/logger';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';

export interface SampleAuthHub {
  db: Database & { drop(): Promise<void> };
  hub: TestHub;
  close(): Promise<void>;
}

/** The whole sample set, its findings as of the sample date, and the hub serving it with tokens. */
export async function startSampleAuthHub(opts: { log?: Logger } = {}): Promise<SampleAuthHub> {
  const db = await openTestDatabase();
  await loadSampleSet(db);
  await runRules(db.pool, ruleCatalogue, { asOf: SAMPLE_AS_OF, city: '3710' });
  const hub = await startTestHub(db, opts);
  return {
    db,
    hub,
    async close() {
      await hub.close();
      await db.drop();
    },
  };
}

/** A resident ID number as it must never appear where people are masked: 17 digits and a check character. */
export const RAW_ID_NUMBER = /(?<![0-9])[0-9]{17}[0-9X](?![0-9])/;
export const MASKED_ID_NUMBER = /^[0-9]{6}\*{8}[0-9]{3}[0-9X]$/;
