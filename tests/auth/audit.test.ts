/**
 * 审计 Every request that returns person-level data leaves one append-only audit row: who, the
 * operation and a hash of its text, the people whose data left, when, and the declared purpose.
 */
import { createHash } from 'node:crypto';
import { startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

let s: SampleAuthHub;
let subject: { id: string; idNumber: string; regionCode: string };

beforeAll(async () => {
  s = await startSampleAuthHub();
  const { rows } = await s.db.pool.query(`select id, id_number as "idNumber", region_code as "regionCode" from person where region_code is not null order by id limit 1`);
  subject = rows[0];
}, 180_000);

afterAll(async () => {
  await s?.close();
});

async function auditRows(): Promise<any[]> {
  const { rows } = await s.db.pool.query(
    `select id, token_id::text as "tokenId", token_label as "tokenLabel", role, operation_type as "operationType", operation,
            query_sha256 as "querySha256", purpose, person_ids::text[] as "personIds", at
       from audit_event order by id`,
  );
  return rows;
}

async function newRowsDuring(work: () => Promise<unknown>): Promise<any[]> {
  const before = (await auditRows()).length;
  await work();
  return (await auditRows()).slice(before);
}

const LOOK_UP = 'query LookUp($id: String!) { person(idNumber: $id) { name birthDate } }';

describe('the audit trail', () => {
  it('gets exactly one row naming the person read, with who, what, when and why', async () => {
    const started = new Date();
    const rows = await newRowsDuring(async () => {
      const r = await s.hub.graphqlAs(s.hub.officeToken, LOOK_UP, { id: subject.idNumber }, { 'X-Purpose': 'eligibility review' });
      expect(r.data.person.name).toEqual(expect.any(String));
    });
    expect(rows).toHaveLength(1);
    const { rows: tokenRows } = await s.db.pool.query(`select id::text from access_token where label = 'local'`);
    expect(rows[0]).toMatchObject({
      personIds: [subject.id],
      tokenId: tokenRows[0].id,
      tokenLabel: 'local',
      role: 'OFFICE',
      operationType: 'query',
      operation: 'LookUp',
      querySha256: createHash('sha256').update(LOOK_UP).digest('hex'),
      purpose: 'eligibility review',
    });
    expect(rows[0].at.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
  });

  it('names every person of a page in the one row of the request', async () => {
    let ids: string[] = [];
    const rows = await newRowsDuring(async () => {
      const r = await s.hub.graphql('{ persons(first: 7) { edges { node { id name } } } }');
      ids = r.data.persons.edges.map((e: any) => e.node.id);
    });
    expect(rows).toHaveLength(1);
    expect([...rows[0].personIds].sort()).toEqual([...ids].sort());
  });

  it('names a household by its head and its members by themselves', async () => {
    const page = await s.hub.graphql('{ households(first: 3) { edges { node { id } } } }');
    const householdId = page.data.households.edges[0].node.id;
    const rows = await newRowsDuring(() => s.hub.graphql('query ($id: ID!) { household(id: $id) { address members { relationCode } } }', { id: householdId }));
    const { rows: expected } = await s.db.pool.query<{ id: string }>(
      `select head_person_id::text as id from household where id = $1
        union select person_id::text from membership where household_id = $1 and retired_at is null and valid_to is null`,
      [householdId],
    );
    expect(rows).toHaveLength(1);
    expect([...rows[0].personIds].sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it('keeps the role and token of other callers, and decodes a percent-encoded purpose', async () => {
    const token = await s.hub.tokenFor({ role: 'TOWN', region: subject.regionCode.slice(0, 6), label: '镇街 staff' });
    const rows = await newRowsDuring(() =>
      s.hub.graphqlAs(token, LOOK_UP, { id: subject.idNumber }, { 'X-Purpose': encodeURIComponent('低保复核 2026') }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: 'TOWN', tokenLabel: '镇街 staff', purpose: '低保复核 2026', personIds: [subject.id] });
  });

  it('gets no row for a request that returns nobody', async () => {
    const rows = await newRowsDuring(async () => {
      await s.hub.graphql('{ regions(parentCode: "3710") { code } programmes { code } coverage(regionCode: "3710") { persons } }');
      await s.hub.graphql(LOOK_UP, { id: '11010519491231002X' });
      const analyst = await s.hub.tokenFor({ role: 'ANALYST' });
      const refused = await s.hub.graphqlAs(analyst, LOOK_UP, { id: subject.idNumber });
      expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
    });
    expect(rows).toEqual([]);
  });

  it('refuses to be changed or emptied, even by the hub’s own database user', async () => {
    const [row] = (await auditRows()).slice(-1);
    await expect(s.db.pool.query(`update audit_event set purpose = 'nothing to see' where id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(s.db.pool.query(`delete from audit_event where id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(s.db.pool.query(`truncate audit_event`)).rejects.toThrow(/append-only/);
    expect((await auditRows()).slice(-1)).toEqual([row]);
  });

  it('withholds the data when its row cannot be written', async () => {
    await s.db.pool.query(`create function audit_test_fail() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await s.db.pool.query(`create trigger audit_test_fail before insert on audit_event for each row execute function audit_test_fail()`);
    try {
      const res = await fetch(`${s.hub.directUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.hub.officeToken}` },
        body: JSON.stringify({ query: LOOK_UP, variables: { id: subject.idNumber } }),
      });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      const { rows } = await s.db.pool.query(`select name from person where id = $1`, [subject.id]);
      expect(text).not.toContain(rows[0].name);
    } finally {
      await s.db.pool.query(`drop trigger audit_test_fail on audit_event`);
      await s.db.pool.query(`drop function audit_test_fail()`);
    }
  });
});

describe('auditTrail in GraphQL', () => {
  const trail = `query ($id: String, $first: Int, $after: String) {
    auditTrail(personIdNumber: $id, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id role tokenLabel operation purpose personIds persons { idNumber } } }
    }
  }`;

  it("lists the reads of one person's data, newest first, page by page", async () => {
    const { rows } = await s.db.pool.query<{ id: string }>(`select id::text from audit_event where person_ids @> array[$1::bigint] order by id desc`, [subject.id]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const first = await s.hub.graphql(trail, { id: subject.idNumber.toLowerCase(), first: 1 });
    expect(first.data.auditTrail.totalCount).toBe(rows.length);
    expect(first.data.auditTrail.edges[0].node).toMatchObject({ id: rows[0]!.id, personIds: expect.arrayContaining([subject.id]) });
    expect(first.data.auditTrail.edges[0].node.persons.map((p: any) => p.idNumber)).toContain(subject.idNumber);
    const second = await s.hub.graphql(trail, { id: subject.idNumber, first: 1, after: first.data.auditTrail.pageInfo.endCursor });
    expect(second.data.auditTrail.edges[0].node.id).toBe(rows[1]!.id);
  });

  it('has nothing for a number nobody holds, and refuses a malformed one', async () => {
    const none = await s.hub.graphql(trail, { id: '11010519491231002X' });
    expect(none.data.auditTrail).toMatchObject({ totalCount: 0, edges: [] });
    const bad = await s.hub.graphql(trail, { id: '371002198001011233' });
    expect(bad.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'personIdNumber' });
  });
});
