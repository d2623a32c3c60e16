/**
 * Hostile input, with a valid token: very deep queries, thousands of aliases, huge pages,
 * fragment bombs, malformed JSON, wrong variable types, SQL metacharacters in every string
 * argument of every root field, oversized bodies. Every answer is a client error that says what
 * was wrong (never a 500), the hub keeps answering, and the data is what it was.
 */
import {
  type GraphQLArgument, type GraphQLInputType, type GraphQLSchema, getNamedType, isInputObjectType, isListType, isNonNullType,
} from 'graphql';
import { hubSchema } from '../../src/api/schema';
import { QUERY_LIMITS } from '../../src/auth/queryLimits';
import { startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

let s: SampleAuthHub;
let schema: GraphQLSchema;
let fingerprintBefore: Record<string, string>;
let someIdNumber: string;

/** The tables that hold the city's data and the office's decisions. */
const DATA_TABLES = [
  'person', 'person_observation', 'household', 'household_record', 'membership', 'benefit', 'registration', 'disability_certificate', 'schooling',
  'medical_settlement', 'death_record', 'dangerous_house', 'poverty_record', 'economic_fact', 'source_record', 'quarantined_record',
  'finding', 'finding_decision', 'parameter', 'access_token', 'region', 'programme',
];

async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of DATA_TABLES) {
    const { rows } = await s.db.pool.query(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as f from ${t} t`);
    out[t] = rows[0].f;
  }
  return out;
}

beforeAll(async () => {
  s = await startSampleAuthHub();
  schema = await hubSchema();
  someIdNumber = (await s.db.pool.query(`select id_number from person order by id limit 1`)).rows[0].id_number;
  fingerprintBefore = await fingerprint();
}, 180_000);

afterAll(async () => {
  await s?.close();
});

const answers: Array<{ what: string; status: number; body: any }> = [];

/** Sends a raw body with the office token; remembers the answer for the final checks. */
async function send(what: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${s.hub.directUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.hub.officeToken}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { unparsable: text.slice(0, 200) };
  }
  answers.push({ what, status: res.status, body: parsed });
  return { status: res.status, body: parsed, ms: Date.now() - started };
}

const CLIENT_CODES = ['BAD_USER_INPUT', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE'];

function expectClientError(answer: { status: number; body: any }, code: string, message?: RegExp) {
  expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
  if (message) expect(answer.body.errors[0].message).toMatch(message);
  expect(answer.status).toBeGreaterThanOrEqual(200);
  expect(answer.status).toBeLessThan(500);
}

describe('limits on the shape of a query', () => {
  it('refuses a query nested deeper than the limit, naming it', async () => {
    const deep = `{ regions { ${'children { '.repeat(25)}code${' }'.repeat(25)} } }`;
    const a = await send('deep', { query: deep });
    expectClientError(a, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`nests fields 27 levels deep; the query depth limit is ${QUERY_LIMITS.maxDepth}`));
    expect(a.status).toBe(400);
  });

  it('allows a query at the depth limit', async () => {
    const hops = (QUERY_LIMITS.maxDepth - 4) / 2;
    const atLimit = `{ households(first: 2) { edges { node { ${'head { household { '.repeat(hops)}id${' } }'.repeat(hops)} } } } }`;
    const a = await send('at depth limit', { query: atLimit });
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.households.edges).toHaveLength(2);
  });

  it('refuses thousands of aliases at the parser, before any work', async () => {
    const query = `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: regions { code }`).join(' ')} }`;
    const a = await send('aliases', { query });
    expectClientError(a, 'GRAPHQL_PARSE_FAILED', new RegExp(`${QUERY_LIMITS.maxTokens} tokens`));
    expect(a.ms).toBeLessThan(5000);
  });

  it('refuses more aliases than the alias limit', async () => {
    const query = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: programmes { code }`).join(' ')} }`;
    expectClientError(await send('alias limit', { query }), 'GRAPHQL_VALIDATION_FAILED', new RegExp(`the alias limit is ${QUERY_LIMITS.maxAliases}`));
  });

  it('refuses a huge page', async () => {
    for (const first of [1_000_000, 101, -1]) {
      expectClientError(await send(`first ${first}`, { query: 'query ($n: Int) { persons(first: $n) { edges { node { id } } } }', variables: { n: first } }), 'BAD_USER_INPUT', /first|cost/);
    }
    const overflow = await send('Int overflow', { query: 'query ($n: Int) { persons(first: $n) { totalCount } }', variables: { n: 2 ** 40 } });
    expectClientError(overflow, 'BAD_USER_INPUT', /\$n/);
  });

  it('refuses pages of pages that would cost too much, naming the cost limit', async () => {
    const benefits = 'benefits { programmeCode amount periodStart periodEnd paidOn }';
    // twenty pages of a hundred families, each member's family's members with their benefits:
    // nested lists count as long as the data makes them, and this is still far too much
    const page = (i: number) => `p${i}: households(first: 100) { edges { node {
      head { ${benefits} }
      members { person { ${benefits} household { members { person { ${benefits} } } } } }
    } } }`;
    const query = `{ ${Array.from({ length: 20 }, (_, i) => page(i)).join('\n')} }`;
    const a = await send('cost', { query });
    expectClientError(a, 'BAD_USER_INPUT', new RegExp(`the cost limit is ${QUERY_LIMITS.maxCost}`));
    expect(a.status).toBe(400);
  });

  it('measures a fragment bomb without expanding it, and refuses it', async () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Region { ...F${i + 1} children { ...F${i + 1} } }`).join('\n');
    const query = `{ regions { ...F0 } }\n${fragments}\nfragment F30 on Region { code }`;
    const a = await send('fragment bomb', { query });
    expect(CLIENT_CODES).toContain(a.body.errors?.[0]?.extensions?.code);
    expect(a.status).toBe(400);
    expect(a.ms).toBeLessThan(5000);
  });

  it('bounds schema introspection too', async () => {
    const nested = `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`;
    expectClientError(await send('introspection fan-out', { query: nested }), 'GRAPHQL_VALIDATION_FAILED', /introspection depth/);
  });

  it('still lets GraphiQL load the schema', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const a = await send('introspection', { query: getIntrospectionQuery({ inputValueDeprecation: true, descriptions: true }) });
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('malformed requests', () => {
  it.each([
    ['malformed JSON', '{"query": "{ regions { code } }"', 400, 'BAD_REQUEST'],
    ['a JSON string', '"{ regions { code } }"', 400, 'BAD_REQUEST'],
    ['a batch (an array)', '[{"query": "{ regions { code } }"}]', 400, 'BAD_REQUEST'],
    ['a query that is not a string', '{"query": 42}', 400, 'BAD_REQUEST'],
    ['no query at all', '{"variables": {}}', 400, 'BAD_REQUEST'],
    ['variables that are not an object', '{"query": "{ regions { code } }", "variables": "x"}', 400, 'BAD_REQUEST'],
    ['a syntax error', '{"query": "{ regions { code "}', 400, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{"query": "{ passwords }"}', 400, 'GRAPHQL_VALIDATION_FAILED'],
  ])('answers %s with a client error', async (what, body, status, code) => {
    const a = await send(what, body);
    expect(a.status).toBe(status);
    if (a.body.errors?.[0]?.extensions?.code) expect(a.body.errors[0].extensions.code).toBe(code);
    else expect(a.body.unparsable).toBeDefined();
  });

  it('answers a body over the limit with 413', async () => {
    const a = await send('oversized', { query: '{ regions { code } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    expect(a.status).toBe(413);
    expect(a.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['a string for an Int', 'query ($n: Int) { persons(first: $n) { totalCount } }', { n: 'many' }],
    ['an object for a String', 'query ($id: String!) { person(idNumber: $id) { name } }', { id: { $ne: null } }],
    ['a number for a String', 'query ($id: String!) { person(idNumber: $id) { name } }', { id: 371002198001011232 }],
    ['a missing required variable', 'query ($id: String!) { person(idNumber: $id) { name } }', {}],
    ['an unknown enum value', 'query ($s: [FindingStatus!]) { findings(filter: { status: $s }) { totalCount } }', { s: ['OPEN; DROP TABLE finding'] }],
    ['a malformed date', 'query ($d: Date) { coverage(regionCode: "3710", asOf: $d) { persons } }', { d: "2026-10-31' or '1'='1" }],
  ])('answers %s with BAD_USER_INPUT', async (what, query, variables) => {
    expectClientError(await send(what, { query, variables }), 'BAD_USER_INPUT');
  });
});

/** Strings that would change a statement's meaning if any reached SQL as text. */
const HOSTILE = [
  "' OR '1'='1",
  "1; DROP TABLE person; --",
  "%' OR region_code LIKE '%",
  "'); select pg_sleep(10); --",
  '\\"; $1 $$ E\'\\x00\'',
  'nul\u0000byte',
  '３７１０',
];

/** A valid value for each required argument, so that only the hostile one can be wrong. */
function validValue(field: string, arg: string): unknown {
  const table: Record<string, unknown> = {
    'person.idNumber': someIdNumber,
    'household.id': '1',
    'finding.id': '1',
    'coverage.regionCode': '3710',
    'region.code': '3710',
    'setParameter.name': 'dangerous_house_days',
    'setParameter.regionCode': '3710',
    // a date that already has a row: nothing can be inserted
    'setParameter.validFrom': '2024-01-01',
    'setParameter.value': '180',
    'registerOperation.document': '{ programmes { code } }',
    'reviewFindings.input': { ids: ['0'], decision: 'DISMISS', reason: 'hostile test' },
    'screening.id': '1',
    'rescreen.id': '0',
    'withdrawScreening.id': '0',
    'createScreening.input': { programme: 'LS', year: 2026, regionCode: '3710', title: 'hostile test', rows: [{ idNumber: someIdNumber }] },
    'evaluateScreeningRows.input': { ids: ['0'], decision: 'REJECT', note: 'hostile test' },
    'match.idNumbers': [someIdNumber],
    'match.purpose': 'hostile test',
    'report.month': '2026-10',
    'assignFindings.input': { ids: ['0'], to: { department: 'education' }, dueOn: '2026-12-31', note: 'hostile test' },
    'reportVerification.input': { findingId: '0', result: 'CONFIRMED', visitedOn: '2026-11-01', note: 'hostile test' },
    'createSubscription.input': { url: 'http://127.0.0.1:1/hostile', kinds: [] },
    'deleteSubscription.id': '0',
    'personsAggregate.groupBy': ['SEX'],
    'benefitsAggregate.groupBy': ['PROGRAMME'],
  };
  if (`${field}.${arg}` in table) return table[`${field}.${arg}`];
  throw new Error(`no valid value for required argument ${field}(${arg})`);
}

/**
 * Every place a string can go in one argument: itself, or a field of its input object — each input
 * type entered once on a path (a `where` holds `_and: [PersonWhere!]` of itself).
 */
function stringPaths(type: GraphQLInputType, prefix: string[] = [], entered: ReadonlySet<string> = new Set()): string[][] {
  const named = getNamedType(type);
  if (named.name === 'String' || named.name === 'ID') return [prefix];
  if (isInputObjectType(named) && !entered.has(named.name)) {
    const inside = new Set([...entered, named.name]);
    return Object.values(named.getFields()).flatMap((f) => stringPaths(f.type, [...prefix, f.name], inside));
  }
  return [];
}

function withValue(type: GraphQLInputType, path: string[], value: string, base: unknown): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [withValue(inner.ofType, path, value, undefined)];
  if (path.length === 0) return value;
  const named = getNamedType(inner);
  if (!isInputObjectType(named)) return value;
  const [head, ...rest] = path;
  const obj = { ...((base as object) ?? {}) } as Record<string, unknown>;
  obj[head!] = withValue(named.getFields()[head!]!.type, rest, value, obj[head!]);
  return obj;
}

function typeText(arg: GraphQLArgument): string {
  return String(arg.type);
}

describe('SQL metacharacters in every string argument', () => {
  it('are refused as input or taken as plain text, for every root field', async () => {
    const roots = [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const;
    let requests = 0;
    for (const [kind, root] of roots) {
      for (const field of Object.values(root.getFields())) {
        for (const arg of field.args) {
          for (const path of stringPaths(arg.type)) {
            for (const hostile of HOSTILE) {
              const variables: Record<string, unknown> = {};
              for (const other of field.args) {
                if (other === arg) variables[other.name] = withValue(other.type, path, hostile, isNonNullType(other.type) && path.length ? validValue(field.name, other.name) : undefined);
                else if (isNonNullType(other.type)) variables[other.name] = validValue(field.name, other.name);
              }
              const defs = field.args.map((a) => `$${a.name}: ${typeText(a)}`).join(', ');
              const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
              const selection = isLeaf(field.type) ? '' : ' { __typename }';
              const query = `${kind} (${defs}) { ${field.name}(${call})${selection} }`;
              const a = await send(`${field.name}(${[arg.name, ...path].join('.')}) = ${JSON.stringify(hostile)}`, { query, variables });
              requests++;
              expect({ field: field.name, arg: [arg.name, ...path].join('.'), hostile, status: a.status }).toEqual(expect.objectContaining({ status: expect.any(Number) }));
              expect(a.status).toBeLessThan(500);
              if (a.body.errors) {
                expect({ where: `${field.name}(${[arg.name, ...path].join('.')})`, hostile, code: a.body.errors[0].extensions?.code }).toEqual(
                  expect.objectContaining({ code: expect.stringMatching(new RegExp(`^(${CLIENT_CODES.join('|')})$`)) }),
                );
              }
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(100);
  }, 300_000);

  it('find nothing when they are used as a filter', async () => {
    const r = await s.hub.graphql('query ($n: String) { persons(filter: { name: $n }) { totalCount } }', { n: "' OR '1'='1" });
    expect(r.data.persons.totalCount).toBe(0);
  });
});

describe('afterwards', () => {
  it('every answer was a client error or plain data, never an internal error', () => {
    expect(answers.length).toBeGreaterThan(100);
    const internal = answers.filter((a) => a.status >= 500 || a.body.errors?.some((e: any) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'));
    expect(internal.map((a) => a.what)).toEqual([]);
    const stackTraces = answers.filter((a) => JSON.stringify(a.body).includes('stacktrace'));
    expect(stackTraces.map((a) => a.what)).toEqual([]);
  });

  it('the hub still answers', async () => {
    expect((await fetch(`${s.hub.directUrl}/healthz`)).status).toBe(200);
    const r = await s.hub.graphql('{ persons(first: 1) { totalCount } }');
    expect(r.data.persons.totalCount).toBeGreaterThan(0);
  });

  it('the data is unchanged', async () => {
    expect(await fingerprint()).toEqual(fingerprintBefore);
  });
});

function isLeaf(type: unknown): boolean {
  const named = getNamedType(type as never) as unknown as { getFields?: unknown };
  return typeof named.getFields !== 'function';
}
