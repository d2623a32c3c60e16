/**
 * Two leaks at the operation gate: a registered persisted-query hash sent with other text is the
 * client's mistake (400, never an internal error in the answer or the log), and a DEPARTMENT app —
 * which gets no introspection — is not told the schema's names through "Did you mean …" hints.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logging/logger';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const PROGRAMMES = 'query Programmes { programmes { code name } }';

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let db: Database & { drop(): Promise<void> };
let hub: TestHub;
let education: string;
let analyst: string;

beforeAll(async () => {
  db = await openTestDatabase();
  hub = await startTestHub(db, { log: createLogger({ level: 'info', destination: capture }) });
  education = await hub.tokenFor({ role: 'DEPARTMENT', department: 'education' });
  analyst = await hub.tokenFor({ role: 'ANALYST' });
  const registered = await hub.graphql('mutation ($d: String!) { registerOperation(document: $d, department: "education") { sha256 } }', { d: PROGRAMMES });
  expect(registered.data.registerOperation.sha256).toBe(sha256(PROGRAMMES));
});

afterAll(async () => {
  await hub?.close();
  await db?.drop();
});

async function post(token: string, body: object) {
  const res = await fetch(`${hub.directUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const errorLines = (from: number) => lines.slice(from).filter((line) => JSON.parse(line).level >= 50);

describe('a registered persisted-query hash sent with other text', () => {
  it.each([
    ['a DEPARTMENT token', () => education],
    ['an ANALYST token', () => analyst],
  ])('is the client’s mistake for %s: 400 BAD_USER_INPUT, and no error in the log', async (_, token) => {
    const hash = { persistedQuery: { version: 1, sha256Hash: sha256(PROGRAMMES) } };
    const before = lines.length;
    const r = await post(token(), { query: '{ programmes { code name sourceFeed } }', extensions: hash });
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([
      { message: expect.stringContaining('is not the sha256 of the query text sent with it'), extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    expect(errorLines(before)).toEqual([]);
    // the hash with its own text, or alone, still runs
    for (const body of [{ query: PROGRAMMES, extensions: hash }, { extensions: hash }]) {
      const ran = await post(token(), body);
      expect(ran.status).toBe(200);
      expect(ran.body.data.programmes.length).toBeGreaterThan(0);
    }
  });
});

describe('validation errors', () => {
  it.each([
    ['a field', '{ programes { code } }', /Cannot query field "programes" on type "Query"\./],
    ['a field of a type', '{ programmes { cod } }', /Cannot query field "cod" on type "Programme"\./],
    ['an argument', '{ households(frist: 1) { totalCount } }', /Unknown argument "frist" on field "Query\.households"\./],
  ])('suggest no names of the schema to a DEPARTMENT token, and keep them for the roles with introspection (%s)', async (_, query, message) => {
    const r = await post(education, { query });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.body.errors[0].message).toMatch(message);
    expect(JSON.stringify(r.body)).not.toMatch(/Did you mean/);
    for (const token of [analyst, hub.officeToken]) {
      const told = await post(token, { query });
      expect(told.body.errors[0].message).toMatch(message);
      expect(told.body.errors[0].message).toMatch(/Did you mean "/);
    }
  });
});
