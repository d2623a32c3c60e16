/**
 * exchange.md "Change notices" through the HTTP API over the sample set: who sees which events
 * (OFFICE all, TOWN its region, DEPARTMENT the holders of its programmes and the findings assigned
 * to it, ADMIN the connectors' events, ANALYST none); the office's review and a later rule run write
 * their events; subscriptions only to allowed hosts.
 */
import { EVENT_TXID } from '../../src/db/changeLog';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules } from '../../src/rules/engine/runRules';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';

jest.setTimeout(180_000);

let s: SampleAuthHub;
let county: string;
const tokens = {} as Record<'TOWN' | 'EDUCATION' | 'HOUSING' | 'ANALYST' | 'ADMIN', string>;
const CHANGES = `query ($after: String, $kinds: [ChangeKind!]) { changes(after: $after, kinds: $kinds, first: 100) {
  edges { cursor node { kind effectiveOn programme findingId regionCode connector person { idNumber } } } pageInfo { endCursor hasNextPage } } }`;
const CREATE = `mutation ($u: String!) { createSubscription(input: { url: $u, kinds: [DECEASED] }) { id url kinds secret deliveredCursor } }`;
const SUBS = `query { subscriptions { id url secret } }`;
const CREATE_LIST = `mutation ($u: String!, $ids: [String!]) { createSubscription(input: { url: $u, idNumbers: $ids }) { id } }`;

let inside: { id: string; id_number: string };
let outside: { id: string; id_number: string };
let pupil: { id: string; id_number: string };
let assignedFinding: string;
let otherFinding: string;

/** Every page: readable once every older transaction has ended (other tests' too), so it waits for a first event. */
async function changesAs(token: string, vars: { kinds?: string[] } = {}) {
  // every event of this database readable first (other tests' transactions can hold them back)
  for (let i = 0; i < 600; i++) {
    const { rows } = await s.db.pool.query(`select count(*)::int as n from change_event where txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint`);
    if (rows[0].n === 0) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  for (let i = 0; ; i++) {
    const r = await s.hub.graphqlAs(token, CHANGES, vars);
    if (r.errors || i > 600 || r.data.changes.edges.length) {
      for (let page = r; page.data?.changes.pageInfo.hasNextPage; ) {
        page = await s.hub.graphqlAs(token, CHANGES, { ...vars, after: page.data.changes.pageInfo.endCursor });
        r.data.changes.edges.push(...page.data.changes.edges);
      }
      return r;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

beforeAll(async () => {
  s = await startSampleAuthHub();
  const q = async (sql: string, p: unknown[] = []) => (await s.db.pool.query(sql, p)).rows[0];
  county = (await q(`select left(region_code, 6) as c from person where region_code is not null group by 1 order by count(*) desc limit 1`)).c;
  inside = await q(`select id::text, id_number from person where region_code like $1 order by id limit 1`, [`${county}%`]);
  outside = await q(`select id::text, id_number from person where region_code not like $1 order by id limit 1`, [`${county}%`]);
  pupil = await q(`select p.id::text, p.id_number from person p join benefit b on b.person_id = p.id join programme g on g.code = b.programme_code
                    where g.source_feed = 'education' and b.retired_at is null and b.valid_to is null and p.id <> $1 and p.id <> $2 limit 1`, [inside.id, outside.id]);
  expect(pupil).toBeDefined();
  [assignedFinding, otherFinding] = (await s.db.pool.query(`select id::text from finding order by id limit 2`)).rows.map((r) => r.id);
  tokens.TOWN = await s.hub.tokenFor({ role: 'TOWN', region: county, label: 'county staff' });
  tokens.EDUCATION = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'education', label: 'education app' });
  tokens.HOUSING = await s.hub.tokenFor({ role: 'DEPARTMENT', department: 'housing', label: 'housing app' });
  tokens.ANALYST = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  tokens.ADMIN = await s.hub.tokenFor({ role: 'ADMIN', label: 'operator' });
  for (const d of [CHANGES, CREATE, SUBS, CREATE_LIST]) {
    expect((await s.hub.graphql('mutation ($d: String!) { registerOperation(document: $d) { sha256 } }', { d })).errors).toBeUndefined();
  }
  const assigned = await s.hub.graphql(`mutation ($id: ID!) { assignFindings(input: { ids: [$id], to: { department: "education" }, dueOn: "2099-01-01" }) { id } }`, { id: assignedFinding });
  expect(assigned.errors).toBeUndefined();
  await s.db.pool.query(
    `insert into change_event (txid, kind, effective_on, person_id, region_code, finding_id, programme, connector)
     select ${EVENT_TXID}, kind, '2026-10-31', person_id, (select region_code from person where id = person_id), finding_id, programme, connector
       from (values ('DECEASED', $1::bigint, null::bigint, null, null), ('DECEASED', $2::bigint, null, null, null), ('BENEFIT_ENDED', $3::bigint, null, 'JY_LIVING', null),
                    ('FINDING_OPENED', null, $4::bigint, null, null), ('FINDING_OPENED', null, $5::bigint, null, null), ('SYNC_FAILED', null, null, null, 'housing'))
            as v(kind, person_id, finding_id, programme, connector)`,
    [inside.id, outside.id, pupil.id, assignedFinding, otherFinding],
  );
}, 120_000);

afterAll(async () => {
  await s?.close();
});

const kindsOf = (r: any) => r.data.changes.edges.map((e: any) => `${e.node.kind}:${e.node.findingId ?? e.node.person?.idNumber ?? e.node.connector}`);

test('the office reads every event, in cursor order, and pages on from its end cursor', async () => {
  const r = await changesAs(s.hub.officeToken);
  expect(r.errors).toBeUndefined();
  expect(kindsOf(r)).toEqual([
    `DECEASED:${inside.id_number}`, `DECEASED:${outside.id_number}`, `BENEFIT_ENDED:${pupil.id_number}`,
    `FINDING_OPENED:${assignedFinding}`, `FINDING_OPENED:${otherFinding}`, 'SYNC_FAILED:housing',
  ]);
  const cursors = r.data.changes.edges.map((e: any) => e.cursor);
  const rest = await s.hub.graphql(CHANGES, { after: cursors[2] });
  expect(rest.data.changes.edges.map((e: any) => e.cursor)).toEqual(cursors.slice(3));
  const bad = await s.hub.graphql(CHANGES, { after: 'nonsense' });
  expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

test('a TOWN reads the events of its region only; ADMIN the connectors’ events; ANALYST none', async () => {
  const town = await changesAs(tokens.TOWN);
  const seen = kindsOf(town);
  expect(seen).toContain(`DECEASED:${inside.id_number}`);
  expect(seen).not.toContain(`DECEASED:${outside.id_number}`);
  expect(seen).not.toContain('SYNC_FAILED:housing');
  expect(kindsOf(await changesAs(tokens.ADMIN))).toEqual(['SYNC_FAILED:housing']);
  expect((await s.hub.graphqlAs(tokens.ANALYST, CHANGES)).errors[0].extensions.code).toBe('FORBIDDEN');
});

test('a DEPARTMENT reads events about holders of its programmes and the findings assigned to it', async () => {
  expect(kindsOf(await changesAs(tokens.EDUCATION))).toEqual([`BENEFIT_ENDED:${pupil.id_number}`, `FINDING_OPENED:${assignedFinding}`]);
  const housing = await s.hub.graphqlAs(tokens.HOUSING, CHANGES);
  expect(kindsOf(housing)).not.toContain(`FINDING_OPENED:${assignedFinding}`);
  expect(kindsOf(housing)).not.toContain(`BENEFIT_ENDED:${pupil.id_number}`);
});

test('the office’s review writes FINDING_DECIDED in its transaction; a later rule run writes what opened and cleared', async () => {
  const before = new Map((await s.db.pool.query<{ id: string; status: string }>(`select id::text, status from finding`)).rows.map((r) => [r.id, r.status]));
  const review = await s.hub.graphql(`mutation ($id: ID!) { reviewFindings(input: { ids: [$id], decision: CONFIRM }) { id } }`, { id: otherFinding });
  expect(review.errors).toBeUndefined();
  const decided = await changesAs(s.hub.officeToken, { kinds: ['FINDING_DECIDED'] });
  expect(kindsOf(decided)).toEqual([`FINDING_DECIDED:${otherFinding}`]);

  // a year on, windows have run out and children grown up: some findings clear, others open
  await runRules(s.db.pool, ruleCatalogue, { asOf: '2027-10-31', city: '3710' });
  const after = (await s.db.pool.query<{ id: string; status: string }>(`select id::text, status from finding`)).rows;
  const opened = after.filter((f) => f.status === 'OPEN' && (!before.has(f.id) || before.get(f.id) === 'CLEARED')).map((f) => `FINDING_OPENED:${f.id}`);
  const cleared = after.filter((f) => f.status === 'CLEARED' && before.get(f.id) === 'OPEN').map((f) => `FINDING_CLEARED:${f.id}`);
  expect(opened.length + cleared.length).toBeGreaterThan(0);
  const r = await changesAs(s.hub.officeToken, { kinds: ['FINDING_OPENED', 'FINDING_CLEARED'] });
  const written = kindsOf(r).filter((k: string) => k !== `FINDING_OPENED:${assignedFinding}` && k !== `FINDING_OPENED:${otherFinding}`);
  expect(written.sort()).toEqual([...opened, ...cleared].sort());
});

test('a subscription posts only to the configured hosts; its secret is shown once', async () => {
  const refused = await s.hub.graphqlAs(tokens.EDUCATION, CREATE, { u: 'http://example.com/hook' });
  expect(refused.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  // a host named without a port opens its default port only, not its other services
  s.hub.services.config.webhookHosts = ['hooks.example'];
  const otherPort = await s.hub.graphqlAs(s.hub.officeToken, CREATE, { u: 'http://hooks.example:6379/hook' });
  expect(otherPort.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const defaultPort = await s.hub.graphqlAs(s.hub.officeToken, CREATE, { u: 'http://hooks.example/hook' });
  expect(defaultPort.errors).toBeUndefined();
  s.hub.services.config.webhookHosts = ['127.0.0.1:*'];
  const made = await s.hub.graphqlAs(tokens.EDUCATION, CREATE, { u: 'http://127.0.0.1:9/hook' });
  expect(made.errors).toBeUndefined();
  expect(made.data.createSubscription).toMatchObject({ url: 'http://127.0.0.1:9/hook', kinds: ['DECEASED'] });
  expect(made.data.createSubscription.secret).toMatch(/^[0-9a-f]{64}$/);
  const listed = await s.hub.graphqlAs(tokens.EDUCATION, SUBS);
  expect(listed.data.subscriptions).toEqual([{ id: made.data.createSubscription.id, url: 'http://127.0.0.1:9/hook', secret: null }]);
  expect((await s.hub.graphqlAs(tokens.HOUSING, SUBS)).data.subscriptions).toEqual([]);
  expect((await s.hub.graphqlAs(tokens.ANALYST, SUBS)).errors[0].extensions.code).toBe('FORBIDDEN');
  // a department's own list of people: it is then told of them too
  expect(kindsOf(await changesAs(tokens.EDUCATION))).not.toContain(`DECEASED:${inside.id_number}`);
  const bad = await s.hub.graphqlAs(tokens.EDUCATION, CREATE_LIST, { u: 'http://127.0.0.1:9/list', ids: ['12345'] });
  expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const list = await s.hub.graphqlAs(tokens.EDUCATION, CREATE_LIST, { u: 'http://127.0.0.1:9/list', ids: [inside.id_number] });
  expect(list.errors).toBeUndefined();
  expect(kindsOf(await changesAs(tokens.EDUCATION))).toContain(`DECEASED:${inside.id_number}`);
  expect(kindsOf(await s.hub.graphqlAs(tokens.HOUSING, CHANGES))).not.toContain(`DECEASED:${inside.id_number}`);
});

test('the hub posts a subscriber’s events to its receiver, signed, and stops when its token is revoked', async () => {
  const http = await import('node:http');
  const crypto = await import('node:crypto');
  const bodies: Array<{ body: string; signature: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push({ body, signature: req.headers['x-weijiu-signature'] as string | undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  s.hub.services.config.webhookHosts = ['127.0.0.1:*'];
  const townToken = await s.hub.tokenFor({ role: 'TOWN', region: county, label: 'subscribing town' });
  const made = await s.hub.graphqlAs(townToken, CREATE, { u: `http://127.0.0.1:${port}/events` });
  expect(made.errors).toBeUndefined();
  const { id, secret } = made.data.createSubscription;
  const deceased = async () =>
    s.db.pool.query(`insert into change_event (txid, kind, effective_on, person_id, region_code) select ${EVENT_TXID}, 'DECEASED', '2026-11-01', p.id, p.region_code from person p where p.id = any($1::bigint[])`, [
      [inside.id, outside.id],
    ]);
  await deceased();
  for (let i = 0; i < 600 && !bodies.length; i++) await new Promise((r) => setTimeout(r, 100));
  expect(bodies.length).toBe(1);
  const { body, signature } = bodies[0];
  expect(signature).toBe(`sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`);
  const sent = JSON.parse(body);
  expect(sent.subscription).toBe(id);
  // the town's own region only; the events written before it subscribed are not sent
  expect(sent.events.map((e: any) => [e.kind, e.idNumber, e.effectiveOn])).toEqual([['DECEASED', inside.id_number, '2026-11-01']]);
  // told to the receiver, so read: the delivery is in the audit trail, naming the person and the town
  const audited = await s.db.pool.query(
    `select role, region_code, purpose, person_ids::text[] as people from audit_event where operation_type = 'webhook' and operation = $1`,
    [`subscription ${id}`],
  );
  expect(audited.rows).toEqual([{ role: 'TOWN', region_code: county, purpose: 'change notices', people: [String(inside.id)] }]);

  const tokenId = (await s.db.pool.query(`select id::text from access_token where label = 'subscribing town'`)).rows[0].id;
  await s.db.pool.query(`update access_token set revoked_at = now() where id = $1`, [tokenId]);
  await deceased();
  await new Promise((r) => setTimeout(r, 2500));
  expect(bodies.length).toBe(1);
  await new Promise<void>((r) => server.close(() => r()));
});
