/**
 * A database of one's own for a case table (and any test): Jest workers share one PostgreSQL,
 * so each copies the migrated template made by tests/support/globalSetup.js and drops the copy
 * when done. The rules own it so that their case tables need nothing from tests/.
 */
import crypto from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from '../../db/database';

export interface TemplateCopy {
  url: string;
  /** Ends any connections still open to it, then drops it. */
  drop(): Promise<void>;
}

export type CaseDatabase = Database & { drop(): Promise<void> };

let counter = 0;

export async function copyTemplateDatabase(): Promise<TemplateCopy> {
  const adminUrl = process.env.WEIJIU_TEST_ADMIN_URL;
  const template = process.env.WEIJIU_TEST_TEMPLATE ?? 'weijiu_template';
  if (!adminUrl) {
    throw new Error('WEIJIU_TEST_ADMIN_URL is not set: run the tests through Jest, whose globalSetup (tests/support/globalSetup.js) prepares PostgreSQL.');
  }
  const name = `weijiu_t_${process.env.JEST_WORKER_ID ?? '0'}_${++counter}_${crypto.randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, async (admin) => {
    // Two workers copying the template at the same instant can collide; the copy itself is quick.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (err) {
        if (attempt >= 20 || !/is being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}

/** A migrated database with the Weihai regions, of this file's own, opened as the hub opens it. */
export async function openCaseDatabase(): Promise<CaseDatabase> {
  const copy = await copyTemplateDatabase();
  const db = await openDatabase(copy.url, { poolSize: 4 });
  return Object.assign(db, {
    async drop() {
      await db.close();
      await copy.drop();
    },
  });
}

async function withAdmin<T>(adminUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
