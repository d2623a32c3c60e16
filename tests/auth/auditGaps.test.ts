/**
 * Reads the audit trail must see although no person leaves as an object: a count of the people
 * of a name (with a programme, it confirms a named person's benefit) is a read of those people.
 */
import { startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

let s: SampleAuthHub;

beforeAll(async () => {
  s = await startSampleAuthHub();
}, 180_000);

afterAll(async () => {
  await s?.close();
});

async function newAuditRowsDuring(work: () => Promise<unknown>): Promise<Array<{ role: string; personIds: string[] }>> {
  const before = (await s.db.pool.query<{ n: string }>(`select coalesce(max(id), 0)::text as n from audit_event`)).rows[0]!.n;
  await work();
  const { rows } = await s.db.pool.query(`select role, person_ids::text[] as "personIds" from audit_event where id > $1 order by id`, [before]);
  return rows;
}

describe('a count filtered by a name', () => {
  it("is audited as a read of everyone it matched (with a programme it confirms a named person's benefit)", async () => {
    const { rows } = await s.db.pool.query<{ id: string; name: string; programme: string; county: string }>(
      `select p.id::text, p.name, b.programme_code as programme, left(p.region_code, 6) as county
         from person p join benefit b on b.person_id = p.id and b.retired_at is null and b.valid_to is null
        where p.region_code is not null order by p.id limit 1`,
    );
    const subject = rows[0]!;
    const { rows: namesakes } = await s.db.pool.query<{ id: string }>(`select id::text from person where name = $1 and region_code like $2 order by id`, [
      subject.name,
      `${subject.county}%`,
    ]);
    const town = await s.hub.tokenFor({ role: 'TOWN', region: subject.county, label: 'town staff' });
    const COUNT = 'query ($n: String, $p: [String!]) { persons(filter: { name: $n, programme: $p }) { totalCount } }';

    const confirmed = await newAuditRowsDuring(async () => {
      const r = await s.hub.graphqlAs(town, COUNT, { n: subject.name, p: [subject.programme] });
      expect(r.data.persons.totalCount).toBeGreaterThan(0);
    });
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.role).toBe('TOWN');
    expect(confirmed[0]!.personIds).toContain(subject.id);

    const byName = await newAuditRowsDuring(() => s.hub.graphql(COUNT, { n: subject.name }));
    expect(byName).toHaveLength(1);
    expect([...byName[0]!.personIds].sort()).toEqual(expect.arrayContaining(namesakes.map((r) => r.id)));
  });

  it('writes nothing when the name matches nobody, nor for a count without a name', async () => {
    const rows = await newAuditRowsDuring(async () => {
      await s.hub.graphql('{ persons(filter: { name: "无此人名" }) { totalCount } }');
      await s.hub.graphql('{ persons(filter: { programme: ["DB"] }) { totalCount } }');
    });
    expect(rows).toEqual([]);
  });
});

describe('ID numbers that leave inside values', () => {
  it("names every household member whose ID number a finding's evidence carries, not only the head", async () => {
    // a household finding whose evidence quotes a member other than the head
    const { rows } = await s.db.pool.query<{ id: string; member: string; idNumber: string }>(
      `select f.id::text, p.id::text as member, p.id_number as "idNumber"
         from finding f join household h on h.id = f.household_id
         join membership m on m.household_id = h.id and m.person_id <> h.head_person_id
         join person p on p.id = m.person_id
        where f.evidence::text like '%' || p.id_number || '%'
        order by f.id limit 1`,
    );
    expect(rows).toHaveLength(1);
    const [finding] = rows;
    const audited = await newAuditRowsDuring(async () => {
      const r = await s.hub.graphql('query ($id: ID!) { finding(id: $id) { evidence { recordKey values } } }', { id: finding!.id });
      expect(JSON.stringify(r.data)).toContain(finding!.idNumber);
    });
    expect(audited).toHaveLength(1);
    expect(audited[0]!.personIds).toContain(finding!.member);
  });

  it("is written when the office reads quarantined records' keys, which hold ID numbers", async () => {
    const { rows } = await s.db.pool.query<{ id: string; recordKey: string }>(
      `select q.id::text, q.record_key as "recordKey" from quarantined_record q
        where q.record_key ~ '[0-9]{17}[0-9Xx]' order by q.id desc limit 1`,
    );
    expect(rows).toHaveLength(1);
    const audited = await newAuditRowsDuring(async () => {
      const r = await s.hub.graphql('{ quarantine(first: 100) { edges { node { id recordKey reason } } } }');
      expect(JSON.stringify(r.data)).toContain(rows[0]!.recordKey);
    });
    expect(audited).toHaveLength(1);
    const { rows: recorded } = await s.db.pool.query<{ ids: string[] }>(
      `select quarantined_record_ids::text[] as ids from audit_event order by id desc limit 1`,
    );
    expect(recorded[0]!.ids).toContain(rows[0]!.id);
  });
});
