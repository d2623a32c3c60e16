/**
 * 审计 The audit writer's group commit, in a hub of the test's own: lookups answered together
 * share a commit, every one of them still has its row, and the audit write is the hub's
 * bookkeeping, not one of the SQL statements a request runs for its data.
 */
import { housekeepingStatementCount, statementCount } from '../../src/db/statementCounter';
import type { Database } from '../../src/db/database';
import { checkDigit } from '../../src/identity';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';
import { seedPeople } from './seededPeople';

const LOOK_UP = 'query LookUp($id: String!) { person(idNumber: $id) { name } }';

let db: Database & { drop(): Promise<void> };
let hub: TestHub;
let people: Array<{ id: string; idNumber: string }>;

beforeAll(async () => {
  db = await openTestDatabase();
  people = await seedPeople(db.pool, 60);
  hub = await startTestHub(db);
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await db?.drop();
});

async function newAuditRows(work: () => Promise<unknown>): Promise<Array<{ personIds: string[]; xmin: string }>> {
  const { rows: last } = await db.pool.query(`select coalesce(max(id), 0) as id from audit_event`);
  await work();
  const { rows } = await db.pool.query(`select person_ids::text[] as "personIds", xmin::text from audit_event where id > $1 order by id`, [last[0].id]);
  return rows;
}

it('commits the rows of lookups answered together in fewer commits than lookups, each lookup with its row', async () => {
  // The tests' PostgreSQL does not wait for the disk (fsync off), so a commit is nearly free there;
  // a statement-level trigger makes each audit statement as slow as a commit on a slow disk,
  // during which the next answers queue up.
  await db.pool.query(`create function audit_test_disk() returns trigger language plpgsql as $$ begin perform pg_sleep(0.1); return null; end $$`);
  await db.pool.query(`create trigger audit_test_disk after insert on audit_event for each statement execute function audit_test_disk()`);
  try {
    const asked = people.slice(0, 40);
    const rows = await newAuditRows(() =>
      Promise.all(
        asked.map(async (p) => {
          const r = await hub.graphql(LOOK_UP, { id: p.idNumber });
          expect(r.data.person.name).toEqual(expect.any(String));
        }),
      ),
    );
    expect(rows.map((r) => r.personIds).sort()).toEqual(asked.map((p) => [p.id]).sort());
    expect(new Set(rows.map((r) => r.xmin)).size).toBeLessThanOrEqual(asked.length / 2);
  } finally {
    await db.pool.query(`drop trigger audit_test_disk on audit_event`);
    await db.pool.query(`drop function audit_test_disk()`);
  }
});

it('counts a lookup’s audit write apart from the statements the request ran for its data', async () => {
  const statementsOf = async (idNumber: string) => {
    const data = statementCount();
    const bookkeeping = housekeepingStatementCount();
    await hub.graphql(LOOK_UP, { id: idNumber });
    return { data: statementCount() - data, bookkeeping: housekeepingStatementCount() - bookkeeping };
  };
  // warm: the first request of a hub may read what it caches
  await hub.graphql(LOOK_UP, { id: people[50]!.idNumber });
  const known = await statementsOf(people[51]!.idNumber);
  // the same statements for a number nobody holds, which leaves no audit row
  const nobody = await statementsOf(`37100219491231999${checkDigit('37100219491231999')}`);
  expect(known.data).toBe(nobody.data);
  expect(known.bookkeeping).toBeGreaterThanOrEqual(nobody.bookkeeping + 1);
});
