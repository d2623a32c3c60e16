import { openDatabase, type Database } from '../../src/db/database';
import { createTestDatabase } from './testDatabase';

/** A migrated database with the Weihai regions, of this test file's own, opened as the hub opens it. */
export async function openTestDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const t = await createTestDatabase();
  const db = await openDatabase(t.url, { poolSize: 4 });
  return Object.assign(db, {
    async drop() {
      await db.close();
      await t.drop();
    },
  });
}
