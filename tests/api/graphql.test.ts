import type { Database } from '../../src/db/database';
import { statementCount } from '../../src/db/statementCounter';
import { runConnector } from '../../src/ingest/syncRunner';
import { civilAffairs } from '../../connectors/civil-affairs';
import { startCivilAffairsRegistry } from '../../src/simulator/civilAffairsRegistry';
import { openTestDatabase } from '../support/hubDatabase';
import { startTestHub } from '../support/hubServer';
import { readJsonl, truthModel } from '../support/samples';

const model = truthModel();
let db: Database & { drop(): Promise<void> };
let hub: Awaited<ReturnType<typeof startTestHub>>;

beforeAll(async () => {
  db = await openTestDatabase();
  const registry = await startCivilAffairsRegistry({
    households: readJsonl('api/civil-affairs/households.jsonl'),
    grants: readJsonl('api/civil-affairs/grants.jsonl'),
    registrations: readJsonl('api/civil-affairs/registries.jsonl'),
  });
  try {
    const run = await runConnector(db, civilAffairs, { source: registry.url });
    expect(run.status).toBe('SUCCEEDED');
  } finally {
    await registry.close();
  }
  hub = await startTestHub(db);
});

afterAll(async () => {
  await hub.close();
  await db.drop();
});

describe('regions', () => {
  it("lists Weihai's seven county-level areas under 3710", async () => {
    const r = await hub.graphql('{ regions(parentCode: "3710") { code name level } }');
    expect(r.data.regions.map((x: any) => x.code)).toEqual(['371002', '371003', '371071', '371072', '371073', '371082', '371083']);
    expect(r.data.regions.find((x: any) => x.code === '371082')).toEqual({ code: '371082', name: '荣成市', level: 'COUNTY' });
  });

  it('answers an unknown region code with BAD_USER_INPUT', async () => {
    const r = await hub.graphql('{ regions(parentCode: "999999") { code } }');
    expect(r.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('person(idNumber:)', () => {
  const query = 'query ($id: String!) { person(idNumber: $id) { idNumber name sex birthDate } }';
  const expected = { idNumber: '37100319470724292X', name: model.persons['37100319470724292X'].name, sex: 'FEMALE', birthDate: '1947-07-24' };

  it.each([
    ['the normalised form', '37100319470724292X'],
    ['a lower-case x', '37100319470724292x'],
    ['surrounding spaces', '  37100319470724292X  '],
    ['full-width digits', '３７１００３１９４７０７２４２９２Ｘ'],
    ['a leading apostrophe', "'37100319470724292X"],
    ['the legacy 15-digit form', '371003470724292'],
  ])('finds the person from %s', async (_, spelling) => {
    const r = await hub.graphql(query, { id: spelling });
    expect(r.errors).toBeUndefined();
    expect(r.data.person).toEqual(expected);
  });

  it('answers a wrong check digit with BAD_USER_INPUT, never a 500', async () => {
    const res = await fetch(`${hub.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { id: '371003194707242921' } }),
    });
    const r = await res.json();
    expect(r.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.errors[0].message).toMatch(/check digit/);
    expect(JSON.stringify(r)).not.toMatch(/stacktrace/);
  });

  it('answers an impossible birth date and garbage with BAD_USER_INPUT', async () => {
    for (const id of ['371003197511314964', 'not-an-id']) {
      const r = await hub.graphql(query, { id });
      expect(r.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('returns null for a valid number nobody holds', async () => {
    const r = await hub.graphql(query, { id: '11010519491231002X' });
    expect(r.errors).toBeUndefined();
    expect(r.data.person).toBeNull();
  });

  it('gives the person their household and benefits', async () => {
    const orphan = model.grants.find((g: any) => g.prog === 'SW');
    const r = await hub.graphql('query ($id: String!) { person(idNumber: $id) { benefits { programmeCode amount periodStart periodEnd source { feed recordKey } } } }', {
      id: orphan.id,
    });
    const mine = model.grants.filter((g: any) => g.id === orphan.id);
    expect(r.data.person.benefits.map((b: any) => b.source.recordKey).sort()).toEqual(mine.map((g: any) => g.grant_id).sort());
    const sw = r.data.person.benefits.find((b: any) => b.programmeCode === 'SW');
    expect(sw).toMatchObject({ amount: orphan.amount, periodStart: orphan.start, periodEnd: orphan.end, source: { feed: 'civil-affairs' } });
  });
});

describe('households', () => {
  const page = `query ($first: Int, $after: String, $filter: HouseholdFilter) {
    households(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id head { idNumber } region { code } members { relationCode person { idNumber } } } }
    }
  }`;

  it('pages through every household exactly once, with the total count', async () => {
    const heads: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await hub.graphql(page, { first: 20, after });
      expect(r.data.households.totalCount).toBe(model.ca_households.length);
      heads.push(...r.data.households.edges.map((e: any) => e.node.head.idNumber));
      if (!r.data.households.pageInfo.hasNextPage) break;
      after = r.data.households.pageInfo.endCursor;
    }
    expect(heads.sort()).toEqual(model.ca_households.map((h: any) => h.head).sort());
  });

  it('filters by programme and region prefix', async () => {
    const asOf = '2026-10-31';
    const expected = model.ca_households
      .filter((h: any) => !h.deleted && h.qhdm.startsWith('371082'))
      .filter((h: any) => h.enrollments.some((e: any) => e.prog === 'DB' && e.start <= asOf && (!e.end || e.end >= asOf)))
      .map((h: any) => h.head)
      .sort();
    const r = await hub.graphql(page, { first: 100, filter: { regionCode: '371082', programme: ['DB'], activeOn: asOf } });
    expect(r.data.households.edges.map((e: any) => e.node.head.idNumber).sort()).toEqual(expected);
    expect(r.data.households.totalCount).toBe(expected.length);
  });

  it('lists the members of a household with their relation to the head', async () => {
    const h = model.ca_households.find((x: any) => !x.deleted && x.members.length >= 3);
    const r = await hub.graphql(page, { first: 100 });
    const node = r.data.households.edges.map((e: any) => e.node).find((n: any) => n.head.idNumber === h.head);
    expect(node.members.map((m: any) => [m.person.idNumber, m.relationCode]).sort()).toEqual(h.members.map((m: any) => [m.id, m.rel]).sort());
    expect(node.region.code).toBe(h.qhdm);
  });

  it.each([
    ['a bad cursor', { first: 5, after: 'bm9wZQ' }],
    ['a page over 100', { first: 1000 }],
    ['an unknown programme', { first: 5, filter: { programme: ['NOPE'] } }],
    ['a wrong variable type', { first: 'many' }],
    ['an impossible date', { first: 5, filter: { programme: ['DB'], activeOn: '2026-02-30' } }],
  ])('answers %s with BAD_USER_INPUT', async (_, variables) => {
    const r = await hub.graphql(page, variables);
    expect(r.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('a nested query', () => {
  const nested = `query ($first: Int) {
    households(first: $first) {
      edges { node {
        head { name }
        region { name }
        benefits { programmeCode amount programme { name } }
        members { relationCode person { name household { id } benefits { programmeCode amount } } }
      } }
    }
  }`;

  async function statementsFor(first: number): Promise<{ statements: number; households: number }> {
    // what every request reading people costs whatever it asks (the viewer's token, the audit
    // row) is not a level: measured on a one-statement query of people
    const idle = statementCount();
    await hub.graphql('{ persons(first: 1) { edges { node { name } } } }');
    const perRequest = statementCount() - idle - 1;
    const before = statementCount();
    const r = await hub.graphql(nested, { first });
    expect(r.errors).toBeUndefined();
    return { statements: statementCount() - before - perRequest, households: r.data.households.edges.length };
  }

  it('runs at most one SQL statement per level, for 5 households as for 50', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.households).toBe(5);
    expect(large.households).toBe(50);
    // one statement per level at most: household ids, households, heads, regions, household
    // benefits, programmes, members, member persons, their household ids, households not yet
    // loaded, person benefits — ten times the page, not one more statement
    expect(small.statements).toBeLessThanOrEqual(11);
    expect(large.statements).toBeLessThanOrEqual(11);
  });
});

describe('operations', () => {
  it('shows the connector with its last run and the quarantined records with their raw payload', async () => {
    const r = await hub.graphql(`{
      connectors { name department configured lastRun { status read quarantined } }
      quarantine(connector: "civil-affairs", first: 10) { totalCount edges { node { recordKey reason raw } } }
    }`);
    const ca = r.data.connectors.find((c: any) => c.name === 'civil-affairs');
    expect(ca).toMatchObject({ department: '民政局', lastRun: { status: 'SUCCEEDED', quarantined: 4 } });
    expect(r.data.quarantine.totalCount).toBe(4);
    const negative = r.data.quarantine.edges.find((e: any) => e.node.reason === 'NEGATIVE_AMOUNT').node;
    expect(negative.raw.je).toBe('-939.03');
  });

  it('lists the programme catalogue as data', async () => {
    const r = await hub.graphql('{ programmes { code name kind } }');
    expect(r.data.programmes).toHaveLength(17);
    expect(r.data.programmes.find((p: any) => p.code === 'DB')).toEqual({ code: 'DB', name: '最低生活保障', kind: 'BASIC_LIVING' });
  });
});
