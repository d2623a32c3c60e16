import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  GraphQLError,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { startHubServer, type HubServer } from '../../src/server/app';

const ID_NUMBER = '371002198001011232';
const MASKED_ID = /371002\*+1232/;

interface TestContext {
  viewer: string;
}

const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, TestContext>({
    name: 'Query',
    fields: {
      hello: {
        type: GraphQLString,
        args: { name: { type: GraphQLString } },
        resolve: (_root, { name }) => `Hello, ${name ?? 'world'}`,
      },
      double: {
        type: GraphQLInt,
        args: { n: { type: new GraphQLNonNull(GraphQLInt) } },
        resolve: (_root, { n }) => n * 2,
      },
      viewer: { type: GraphQLString, resolve: (_root, _args, context) => context.viewer },
      broken: {
        type: GraphQLString,
        resolve: () => {
          throw new Error(`duplicate key for person ${ID_NUMBER} in persons_id_number_key`);
        },
      },
      rejected: {
        type: GraphQLString,
        args: { idNumber: { type: new GraphQLNonNull(GraphQLString) } },
        resolve: (_root, { idNumber }) => {
          throw new GraphQLError(`No person has ID number ${idNumber}`, { extensions: { code: 'BAD_USER_INPUT' } });
        },
      },
      validated: {
        type: GraphQLString,
        resolve: () => {
          // What type-graphql throws when class-validator rejects an input: it holds the whole input.
          throw new ArgumentValidationError([
            {
              property: 'idNumber',
              value: ID_NUMBER,
              target: { idNumber: ID_NUMBER, name: '张三' },
              constraints: { isLength: 'idNumber must be 18 characters' },
              children: [],
            },
          ]);
        },
      },
    },
  }),
});

/** Stands in for the hub's token check: a request saying "deny" has no valid token. */
async function context(req: http.IncomingMessage): Promise<TestContext> {
  if (req.headers['x-test-auth'] === 'deny') {
    throw new GraphQLError('A valid bearer token is required', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  return { viewer: 'tester' };
}

const logged: unknown[] = [];
const log = {
  info: () => {},
  error: (o: object | string, msg?: string) => {
    logged.push({ o, msg });
  },
};

let hub: HubServer;

beforeAll(async () => {
  hub = await startHubServer({
    schema,
    context,
    log,
    port: 0,
    bodyLimit: '2kb',
    graphiql: {
      defaultQuery: '{ hello } # </script><script>alert(1)</script>',
      headers: { Authorization: 'Bearer demo-token' },
    },
  });
});

afterAll(async () => {
  await hub?.close();
});

function postGraphql(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${hub.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Raw bytes, so that we see exactly what was sent over the wire (fetch would decompress). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('GraphQL over HTTP', () => {
  test('answers a query', async () => {
    const res = await postGraphql({ query: 'query($name: String) { hello(name: $name) viewer }', variables: { name: '威海' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { hello: 'Hello, 威海', viewer: 'tester' } });
  });

  test('hides an unexpected failure behind "Internal server error" and logs it masked', async () => {
    logged.length = 0;
    const res = await postGraphql({ query: '{ broken }' });
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toBe('Internal server error');
    expect(body.errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(body.errors[0].path).toEqual(['broken']);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain('persons_id_number_key');

    const logText = JSON.stringify(logged);
    expect(logText).toContain('persons_id_number_key');
    expect(logText).toMatch(MASKED_ID);
    expect(logText).not.toContain(ID_NUMBER);
  });

  test('passes a client error through with its code, ID numbers masked', async () => {
    const res = await postGraphql({ query: `{ rejected(idNumber: "${ID_NUMBER}") }` });
    const text = await res.text();
    const [error] = JSON.parse(text).errors;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/^No person has ID number /);
    expect(error.message).toMatch(MASKED_ID);
    expect(text).not.toContain(ID_NUMBER);
    expect(error.extensions.stacktrace).toBeUndefined();
  });

  test("keeps type-graphql's argument validation as BAD_USER_INPUT without echoing the input", async () => {
    const res = await postGraphql({ query: '{ validated }' });
    const text = await res.text();
    const [error] = JSON.parse(text).errors;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.validationErrors).toEqual([
      { property: 'idNumber', constraints: { isLength: 'idNumber must be 18 characters' } },
    ]);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain('张三');
  });

  test('a variable of the wrong type is BAD_USER_INPUT, status 400', async () => {
    const res = await postGraphql({ query: 'query($n: Int!) { double(n: $n) }', variables: { n: 'seven' } });
    expect(res.status).toBe(400);
    const [error] = (await res.json()).errors;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('$n');
  });

  test('a query that does not fit the schema is a validation error', async () => {
    const res = await postGraphql({ query: '{ nosuchfield }' });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a refused context is a GraphQL UNAUTHENTICATED error with status 401', async () => {
    const res = await postGraphql({ query: '{ hello }' }, { 'x-test-auth': 'deny' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  test('malformed JSON is a 400 JSON error', async () => {
    const res = await postGraphql('{"query": "{ hello }"');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      errors: [{ message: 'Malformed JSON body', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  test('a body over the limit is a 413 JSON error', async () => {
    const res = await postGraphql({ query: `{ hello(name: "${'x'.repeat(4096)}") }` });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
  });

  test('GET needs a preflight-forcing header (CSRF prevention)', async () => {
    const url = `${hub.url}/graphql?query=${encodeURIComponent('{hello}')}`;
    const plain = await fetch(url);
    expect(plain.status).toBe(400);
    const preflighted = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { hello: 'Hello, world' } });
  });
});

describe('other routes', () => {
  test('/healthz is ok', async () => {
    const res = await fetch(`${hub.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('/ leads to GraphiQL', async () => {
    const res = await fetch(`${hub.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphiql');
  });

  test('a browser opening /graphql is sent to GraphiQL', async () => {
    const res = await fetch(`${hub.url}/graphql`, { redirect: 'manual', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphiql');
  });

  test('an unknown route is a 404 JSON error', async () => {
    const res = await fetch(`${hub.url}/no/such/page`);
    expect(res.status).toBe(404);
    expect((await res.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  test.each(['/healthz', '/graphiql', '/no/such/page'])('%s carries the security headers', async (path) => {
    const res = await fetch(`${hub.url}${path}`, { method: 'HEAD' });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('GraphiQL page', () => {
  test('is self-contained HTML under a CSP that lets it run', async () => {
    const res = await rawGet(`${hub.url}/graphiql`, { 'accept-encoding': 'identity' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-encoding']).toBeUndefined();
    const html = res.body.toString('utf8');

    // Nothing fetched from another host: no external script, stylesheet, import or font.
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<link[^>]*\bhref\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import\s+(url\()?["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);

    // The page builds its editor workers from blob: URLs and needs no eval; the policy allows exactly that.
    const csp = String(res.headers['content-security-policy']);
    expect(html).toContain('URL.createObjectURL(blob)');
    expect(csp).toMatch(/worker-src [^;]*blob:/);
    expect(csp).toMatch(/script-src 'self' 'unsafe-inline'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(html).not.toMatch(/new Function\(|\beval\(/);
  });

  test('opens with the configured query and headers, and a query cannot break out of the script', async () => {
    const html = (await rawGet(`${hub.url}/graphiql`, { 'accept-encoding': 'identity' })).body.toString('utf8');
    expect(html).toContain('"endpoint":"/graphql"');
    expect(html).toContain('Bearer demo-token');
    expect(html).toContain('{ hello } # \\u003c/script\\u003e');
    expect(html).not.toContain('<script>alert(1)');
  });

  test('is sent gzip-compressed to a client that accepts gzip', async () => {
    const plain = await rawGet(`${hub.url}/graphiql`, { 'accept-encoding': 'identity' });
    const zipped = await rawGet(`${hub.url}/graphiql`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-security-policy']).toBe(plain.headers['content-security-policy']);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  test('answers 304 to a browser that already has it', async () => {
    const first = await rawGet(`${hub.url}/graphiql`, { 'accept-encoding': 'identity' });
    const again = await rawGet(`${hub.url}/graphiql`, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

describe('server life cycle', () => {
  test('close() frees the port', async () => {
    const server = await startHubServer({ schema, context, log, port: 0 });
    const res = await fetch(`${server.url}/healthz`); // leaves a keep-alive connection open
    expect(res.status).toBe(200);
    await server.close();

    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(server.port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  test('with error details exposed, an internal error shows its message and stack, still masked', async () => {
    const server = await startHubServer({ schema, context, log, port: 0, exposeErrorDetails: true });
    try {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ broken }' }),
      });
      const text = await res.text();
      const [error] = JSON.parse(text).errors;
      expect(error.message).toContain('persons_id_number_key');
      expect(error.message).toMatch(MASKED_ID);
      expect(Array.isArray(error.extensions.stacktrace)).toBe(true);
      expect(text).not.toContain(ID_NUMBER);
    } finally {
      await server.close();
    }
  });
});
