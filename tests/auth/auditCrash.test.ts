/**
 * 审计 The audit trail under load, with `weijiu serve` as a process of its own: ten clients look
 * people up as fast as the hub answers, and the hub is killed (SIGKILL) in the middle. Every
 * lookup that was answered with the person's data has its row in the table — an answer never
 * leaves before its row is committed — and the rows of concurrent requests shared commits
 * (group commit: far fewer commits than requests, not an fsync per request).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectors } from '../../connectors';
import { issueToken } from '../../src/auth/tokenStore';
import { openTestDatabase } from '../support/hubDatabase';
import { seedPeople } from './seededPeople';
import type { Database } from '../../src/db/database';

const BIN = path.join(__dirname, '..', '..', 'bin', 'weijiu');
const CLIENTS = 10;
const PEOPLE_PER_CLIENT = 400;
/** answered lookups before the kill: enough that commits were in flight and rows queued behind them */
const ANSWERED_BEFORE_KILL = 400;
const LOOK_UP = 'query LookUp($id: String!) { person(idNumber: $id) { name } }';

let db: Database & { drop(): Promise<void> };
let hub: ChildProcess | undefined;
let workDir: string;
/** person id of every lookup answered with the person's data */
const answered: string[] = [];
let auditRowsAfter: Array<{ personIds: string[]; xmin: string }> = [];

function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: workDir,
    env: { ...process.env, DATABASE_URL: db.url, PORT: '0', WEIJIU_CONFIG: '', WEIJIU_HOME: path.join(workDir, 'home'), WEIJIU_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /serving GraphQL at (http:\/\/[^/\s]+)\/graphql/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.once('exit', (code, signal) => reject(new Error(`weijiu serve ended (${code ?? signal}) before serving: ${err}`)));
  });
}

beforeAll(async () => {
  db = await openTestDatabase();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-audit-crash-'));
  const people = await seedPeople(db.pool, CLIENTS * PEOPLE_PER_CLIENT);
  const { token } = await issueToken(db.pool, '3710', Object.keys(connectors), { role: 'OFFICE', label: 'crash test' });
  // The tests' PostgreSQL does not wait for the disk (fsync off): a statement-level trigger gives
  // each audit statement the time a commit takes on a slow disk.
  await db.pool.query(`create function audit_test_disk() returns trigger language plpgsql as $$ begin perform pg_sleep(0.02); return null; end $$`);
  await db.pool.query(`create trigger audit_test_disk after insert on audit_event for each statement execute function audit_test_disk()`);
  const serving = await startServe();
  hub = serving.child;
  const exited = new Promise<void>((resolve) => hub!.once('exit', () => resolve()));

  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    hub!.kill('SIGKILL');
  };
  // each client reads people of its own, one after another, so that a row names its request
  const client = async (c: number) => {
    for (const person of people.slice(c * PEOPLE_PER_CLIENT, (c + 1) * PEOPLE_PER_CLIENT)) {
      if (killed) return;
      try {
        const res = await fetch(`${serving.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: LOOK_UP, variables: { id: person.idNumber } }),
        });
        const body = await res.json();
        if (res.status === 200 && body.data?.person?.name) answered.push(person.id);
        else throw new Error(`lookup answered ${res.status}: ${JSON.stringify(body)}`);
      } catch (e) {
        if (!killed) throw e;
        return;
      }
      if (answered.length >= ANSWERED_BEFORE_KILL) kill();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  kill();
  await exited;
  const { rows } = await db.pool.query(`select person_ids::text[] as "personIds", xmin::text from audit_event`);
  auditRowsAfter = rows;
}, 180_000);

afterAll(async () => {
  if (hub && hub.exitCode === null && hub.signalCode === null) hub.kill('SIGKILL');
  await db?.drop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('a hub killed under load', () => {
  it('was killed while clients were still asking', () => {
    expect(hub!.signalCode).toBe('SIGKILL');
    expect(answered.length).toBeGreaterThanOrEqual(ANSWERED_BEFORE_KILL);
    // the clients stopped at the kill, not because they ran out of people
    expect(answered.length).toBeLessThan(CLIENTS * PEOPLE_PER_CLIENT);
  });

  it('has the audit row of every lookup it answered', () => {
    const audited = new Set(auditRowsAfter.flatMap((r) => r.personIds));
    const missing = answered.filter((id) => !audited.has(id));
    expect(missing).toEqual([]);
    // one row per answered request, each naming its one person (and none of a request never answered twice)
    expect(new Set(answered).size).toBe(answered.length);
  });

  it('committed the rows of concurrent lookups together: far fewer commits than requests', () => {
    const commits = new Set(auditRowsAfter.map((r) => r.xmin)).size;
    expect(auditRowsAfter.length).toBeGreaterThanOrEqual(answered.length);
    // ten clients at once: a commit holds the rows of the requests that waited for it
    expect(commits).toBeLessThanOrEqual(auditRowsAfter.length / 3);
  });
});
