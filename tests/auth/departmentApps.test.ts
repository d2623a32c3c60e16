/**
 * Department apps run only the documents the office registered (by the sha256 of their exact
 * text, from `weijiu operations add FILE` or `registerOperation`), and see no schema; analysts
 * keep free-form GraphiQL.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Database } from '../../src/db/database';
import { retireOperation } from '../../src/auth/operationAllowList';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub, type TestHub } from '../support/hubServer';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', 'bin', 'weijiu');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const PROGRAMMES = `query EducationProgrammes {
  programmes { code name sourceFeed }
}
`;
const REGISTER = 'mutation ($d: String!, $dept: String) { registerOperation(document: $d, department: $dept) { sha256 department registeredBy } }';

let db: Database & { drop(): Promise<void> };
let hub: TestHub;
let education: string;
let health: string;
let analyst: string;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase();
  hub = await startTestHub(db);
  education = await hub.tokenFor({ role: 'DEPARTMENT', department: 'education' });
  health = await hub.tokenFor({ role: 'DEPARTMENT', department: 'health' });
  analyst = await hub.tokenFor({ role: 'ANALYST' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-operations-'));
});

afterAll(async () => {
  await hub?.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(token: string, body: object) {
  const res = await fetch(`${hub.directUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('a DEPARTMENT token', () => {
  it('is refused a document nobody registered, told its hash and how to register it', async () => {
    const r = await post(education, { query: PROGRAMMES });
    expect(r.status).toBe(403);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(r.body.errors[0].message).toContain(sha256(PROGRAMMES));
    expect(r.body.errors[0].message).toContain('weijiu operations add');
  });

  it('runs a document registered for its department with `weijiu operations add`, as sent or by hash', async () => {
    const file = path.join(dir, 'programmes.graphql');
    fs.writeFileSync(file, PROGRAMMES);
    const added = await run(process.execPath, [BIN, 'operations', 'add', file, '--department', 'education', '--name', 'programmes'], {
      cwd: os.tmpdir(),
      env: { ...process.env, DATABASE_URL: db.url, WEIJIU_CONFIG: '', WEIJIU_LOG_LEVEL: 'warn' },
    });
    expect(added.stdout).toBe(`${sha256(PROGRAMMES)}\n`);

    const r = await post(education, { query: PROGRAMMES });
    expect(r.status).toBe(200);
    expect(r.body.data.programmes.length).toBeGreaterThan(0);
    const byHash = await post(education, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(PROGRAMMES) } } });
    expect(byHash.body).toEqual(r.body);

    // another department's app, and the same text changed by one space, are refused
    expect((await post(health, { query: PROGRAMMES })).status).toBe(403);
    expect((await post(education, { query: PROGRAMMES.replace('{ code', '{  code') })).status).toBe(403);
  }, 180_000);

  it('runs a document the office registered for every department, until it is removed', async () => {
    const doc = '{ regions { code name } }';
    const reg = await hub.graphql(REGISTER, { d: doc });
    expect(reg.data.registerOperation).toEqual({ sha256: sha256(doc), department: null, registeredBy: 'local' });
    for (const token of [education, health]) expect((await post(token, { query: doc })).body.data.regions).toEqual([{ code: '3710', name: '威海市' }]);
    expect(await retireOperation(db.pool, sha256(doc))).toBe(true);
    expect((await post(health, { query: doc })).status).toBe(403);
  });

  it('sees no schema, even through a registered document', async () => {
    const doc = '{ __schema { queryType { name } } }';
    await hub.graphql(REGISTER, { d: doc });
    const r = await post(education, { query: doc });
    expect(r.status).toBe(403);
    expect(r.body.errors[0].message).toMatch(/introspection is not available to a DEPARTMENT token \(education\)/);
    const typename = '{ __typename }';
    await hub.graphql(REGISTER, { d: typename });
    expect((await post(education, { query: typename })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('gets PERSISTED_QUERY_NOT_FOUND for a hash nobody registered', async () => {
    const r = await post(education, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ nothing }') } } });
    expect(r.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('registering operations', () => {
  it('refuses a document that cannot run, and a caller other than the office', async () => {
    const broken = await hub.graphql(REGISTER, { d: '{ programmes { nope } }' });
    expect(broken.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'document' });
    const unknownDept = await hub.graphql(REGISTER, { d: '{ programmes { code } }', dept: 'police' });
    expect(unknownDept.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'department' });
    const byAnalyst = await post(analyst, { query: REGISTER, variables: { d: '{ programmes { code } }' } });
    expect(byAnalyst.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const { rows } = await db.pool.query(`select sha256 from registered_operation where sha256 = $1`, [sha256('{ programmes { code } }')]);
    expect(rows).toEqual([]);
  });
});

describe('an ANALYST token', () => {
  it('runs free-form documents and loads the schema', async () => {
    const r = await post(analyst, { query: '{ __schema { queryType { name } } programmes { code } }' });
    expect(r.status).toBe(200);
    expect(r.body.data.__schema.queryType.name).toBe('Query');
  });
});
