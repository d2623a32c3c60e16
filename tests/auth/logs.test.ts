/**
 * The hub's log never holds a raw ID number (居民身份证号), whatever a request carries: in its
 * query text, its variables, its operation name, a malformed body, an error, or the data returned.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';
import { maskIdNumber } from '../../src/identity';
import { RAW_ID_NUMBER, startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let s: SampleAuthHub;
let idNumbers: string[];

beforeAll(async () => {
  s = await startSampleAuthHub({ log: createLogger({ level: 'debug', destination: capture }) });
  idNumbers = (await s.db.pool.query<{ id_number: string }>(`select id_number from person order by id`)).rows.map((r) => r.id_number);
}, 180_000);

afterAll(async () => {
  await s?.close();
});

async function post(body: unknown, token: string | null = s.hub.officeToken) {
  const res = await fetch(`${s.hub.directUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return res.text();
}

describe('the application log during requests with ID numbers', () => {
  it('holds masked ID numbers only', async () => {
    const [a, b, c] = idNumbers;
    const before = lines.length;
    // an ID number in the query text, in the variables, and in the operation name
    await post({ query: `query Look${a} { person(idNumber: "${a}") { name idNumber household { members { person { idNumber } } } } }` });
    await post({ query: 'query ($id: String!) { person(idNumber: $id) { name findings { identity } } }', variables: { id: b } });
    // a wrong check digit, a malformed body, an unauthenticated request and a refused role
    const wrong = `${c!.slice(0, 17)}${c![17] === '0' ? '1' : '0'}`;
    await post({ query: 'query ($id: String!) { person(idNumber: $id) { name } }', variables: { id: wrong } });
    await post(`{"query": "{ person(idNumber: \\"${a}\\") { name } }", `);
    await post({ query: `{ person(idNumber: "${b}") { name } }` }, null);
    const admin = await s.hub.tokenFor({ role: 'ADMIN' });
    await post({ query: `{ person(idNumber: "${c}") { name } quarantine(first: 50) { edges { node { raw value } } } }` }, admin);
    // lists full of people, and the office's view of the quarantine
    await post({ query: '{ persons(first: 100) { edges { node { idNumber name } } } quarantine(first: 50) { edges { node { raw value } } } }' });
    // an internal failure whose message holds an ID number: the audit row cannot be written
    await s.db.pool.query(
      `create function audit_test_fail() returns trigger language plpgsql as $$ begin raise exception 'cannot audit %', '${a}'; end $$`,
    );
    await s.db.pool.query(`create trigger audit_test_fail before insert on audit_event for each row execute function audit_test_fail()`);
    try {
      await post({ query: `{ person(idNumber: "${a}") { name } }` });
    } finally {
      await s.db.pool.query(`drop trigger audit_test_fail on audit_event`);
      await s.db.pool.query(`drop function audit_test_fail()`);
    }

    const written = lines.slice(before);
    const text = written.join('\n');
    // the requests were logged (one line each), and the failure with its masked number
    expect(written.filter((l) => JSON.parse(l).msg === 'graphql request').length).toBeGreaterThanOrEqual(5);
    expect(text).toContain(`Look${maskIdNumber(a!)}`);
    expect(text).toContain(`cannot audit ${maskIdNumber(a!)}`);
    expect(text).not.toMatch(RAW_ID_NUMBER);
    for (const id of [...idNumbers, wrong]) expect(text).not.toContain(id);
  }, 120_000);
});
