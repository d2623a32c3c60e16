// PostGraphile v5 over the hub's tables, for `npm run bench:api` only: it serves the tables the
// benchmark's shapes read (the others hidden: their names need not suit PostGraphile's naming —
// screening_reason's row_id against its rowId), on 127.0.0.1, and the benchmark stops it.
// Run: node --import ./polyfill.mjs server.mjs  (DATABASE_URL, PORT; GRAPHILE_ENV=production)
// `--print-schema` prints the SDL and exits (to look up PostGraphile's names for the hub's tables).
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { printSchema } from 'postgraphile/graphql';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';
import { makeJSONPgSmartTagsPlugin } from 'postgraphile/utils';
import pg from 'pg';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
const port = Number(process.env.PORT ?? 0);

/** What the shapes of bench/apiCompare.ts read. */
const SERVED = new Set(['household', 'person', 'membership', 'benefit', 'disability_certificate', 'finding', 'source_record', 'programme', 'region']);
const client = new pg.Client({ connectionString });
await client.connect();
const { rows: tables } = await client.query(`select table_name as name from information_schema.tables where table_schema = 'public'`);
await client.end();
const hidden = Object.fromEntries(tables.filter((t) => !SERVED.has(t.name)).map((t) => [t.name, { tags: { behavior: ['-*'] } }]));
const OnlyTheShapesTables = makeJSONPgSmartTagsPlugin({ version: 1, config: { class: hidden } });

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  plugins: [OnlyTheShapesTables],
  // the hub's foreign keys and filtered columns have partial indexes only (where retired_at is
  // null); with this plugin on, PostGraphile hides relations and conditions over them
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: 10 } })],
  grafserv: { port, host: '127.0.0.1', graphqlPath: '/graphql', graphiql: false, websockets: false },
  grafast: { explain: false },
  schema: { connectionFilterAllowNullInput: false },
};

const pgl = postgraphile(preset);

if (process.argv.includes('--print-schema')) {
  const schema = await pgl.getSchema();
  process.stdout.write(printSchema(schema));
  await pgl.release();
  process.exit(0);
}

const serv = pgl.createServ(grafserv);
const server = createServer();
server.once('listening', () => {
  const { port: actual } = server.address();
  process.stdout.write(`postgraphile listening at http://127.0.0.1:${actual}/graphql\n`);
});
await serv.addTo(server);
await pgl.getSchema();
server.listen(port, '127.0.0.1');

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
