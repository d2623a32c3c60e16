import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectors as catalogue } from '../../connectors';
import { ConfigError, loadConfig, repositoryRoot, type HubConfig } from '../config/config';
import { connectHubDatabase } from '../db/connect';
import { printHubSchema } from '../api/schema';
import { createLogger, type Logger } from '../logging/logger';
import { startHub } from '../hub';
import { syncConnectors } from './syncCommand';
import { rulesCommand } from './rulesCommand';
import { operationsCommand, tokenCommand } from './accessCommands';
import { untilSignal } from './untilSignal';
import { reportCommand } from './reportCommand';
import { createMigration } from './migrationCommand';
import { todayInShanghai } from '../identity';

const USAGE = `weijiu — the Weijiu Hub (威救) command line

  weijiu serve                   migrate, then serve GraphQL (and run the schedules) until stopped
  weijiu sync --all | NAME…      run connectors once now; summary per connector; exit 1 if any failed
                                 (--as-of D: the day the runs are for, default today)
  weijiu rules run [--as-of D]    evaluate every rule as of D (default today); findings opened / still open / cleared per rule
  weijiu report month YYYY-MM [--replace]
                                 freeze the month's figures as of its last day (refused if made, unless --replace)
  weijiu migrate                 bring the database schema up to date
  weijiu migration create NAME   write the next migration from the entities' diff (src/graph/migrations)
  weijiu schema [--check]        write schema/schema.graphql (or fail when it is stale)
  weijiu demo                    the npm start demo: simulated registries, a first sync, then serve
  weijiu token create --role ROLE [--region CODE] [--department NAME] [--label TEXT] [--days N]
                                 print a bearer token (OFFICE, TOWN, DEPARTMENT, ANALYST, ADMIN; 90 days)
  weijiu token list | revoke ID  the tokens issued; revoke one at once
  weijiu token rotate-key        replace the signing key: every token issued before stops working
  weijiu operations add FILE [--department NAME] [--name TEXT] | list | remove SHA256
                                 the documents DEPARTMENT apps may run (docs/roles-and-tokens.md)

options: --config PATH (default weijiu.config.json, or WEIJIU_CONFIG)
environment: DATABASE_URL (else an embedded PostgreSQL in WEIJIU_HOME), PORT, WEIJIU_HOME`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      all: { type: 'boolean' },
      check: { type: 'boolean' },
      'as-of': { type: 'string' },
      role: { type: 'string' },
      region: { type: 'string' },
      department: { type: 'string' },
      label: { type: 'string' },
      days: { type: 'string' },
      name: { type: 'string' },
      replace: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  const log = createLogger();
  let config: HubConfig;
  try {
    config = loadConfig({ file: values.config });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`weijiu: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  switch (command) {
    case 'migrate': {
      const hubDb = await connectHubDatabase(config, log);
      await hubDb.close();
      process.stdout.write('database schema is up to date\n');
      return 0;
    }
    case 'migration':
      return migrationCommand(config, log, rest);
    case 'schema':
      return schemaCommand(Boolean(values.check));
    case 'sync':
      return syncCommand(config, log, values.all ? Object.keys(config.connectors) : rest, values['as-of']);
    case 'serve':
      return serveCommand(config, log);
    case 'rules':
      if (rest[0] !== 'run') {
        process.stderr.write('weijiu rules: the command is `weijiu rules run [--as-of YYYY-MM-DD]`\n');
        return 2;
      }
      return rulesCommand(config, log, values['as-of']);
    case 'report':
      return reportCommand(config, log, rest, { replace: Boolean(values.replace), departments: catalogue });
    case 'demo': {
      // Loaded only here: the simulator it starts is no part of any other command. The `.ts`
      // extension: @swc-node/register and Jest run the sources, which have no `.js` file
      // (tsconfig's rewriteRelativeImportExtensions makes it `.js` in a build).
      const { runDemo } = await import('./demoCommand.ts');
      return runDemo(config, log);
    }
    case 'token':
      return tokenCommand(config, log, rest, values);
    case 'operations':
      return operationsCommand(config, log, rest, values);
    default:
      process.stderr.write(`weijiu: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

async function migrationCommand(config: HubConfig, log: Logger, args: string[]): Promise<number> {
  const [sub, name] = args;
  if (sub !== 'create' || !name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    process.stderr.write('weijiu migration: the command is `weijiu migration create NAME` (NAME in PascalCase, e.g. VeteransAffairs)\n');
    return 2;
  }
  // migrated first: the diff is what the committed migrations do not build yet
  const hubDb = await connectHubDatabase(config, log);
  try {
    const written = await createMigration(hubDb.db, name, path.join(repositoryRoot, 'src', 'graph', 'migrations'), todayInShanghai());
    if (!written) {
      process.stdout.write('the migrations already build every entity: nothing to write\n');
      return 0;
    }
    process.stdout.write(`wrote ${path.relative(process.cwd(), written.file)} (${written.statements} statements) and listed it in src/graph/migrations/index.ts\n`);
    return 0;
  } finally {
    await hubDb.close();
  }
}

async function schemaCommand(check: boolean): Promise<number> {
  const file = path.join(repositoryRoot, 'schema', 'schema.graphql');
  const sdl = await printHubSchema();
  if (check) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== sdl) {
      process.stderr.write('schema/schema.graphql is stale: run `weijiu schema` and commit it\n');
      return 1;
    }
    return 0;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sdl);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
  return 0;
}

async function syncCommand(config: HubConfig, log: Logger, names: string[], asOf?: string): Promise<number> {
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    process.stderr.write(`weijiu sync: --as-of must be a date YYYY-MM-DD (got "${asOf}")\n`);
    return 2;
  }
  if (!names.length) {
    process.stderr.write('weijiu sync: name connectors or give --all\n');
    return 2;
  }
  const unknown = names.filter((n) => !config.connectors[n] || !catalogue[n]);
  if (unknown.length) {
    process.stderr.write(`weijiu sync: not configured or unknown: ${unknown.join(', ')} (configured: ${Object.keys(config.connectors).join(', ') || 'none'})\n`);
    return 2;
  }
  const hubDb = await connectHubDatabase(config, log);
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error('interrupted'));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const summaries = await syncConnectors(hubDb.db, config, catalogue, names, process.stdout, log, stop.signal, asOf);
    return !stop.signal.aborted && summaries.every((s) => s.status === 'SUCCEEDED') ? 0 : 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await hubDb.close();
  }
}

async function serveCommand(config: HubConfig, log: Logger): Promise<number> {
  const hub = await startHub(config, log);
  process.stdout.write(`Weijiu Hub serving GraphQL at ${hub.server.url}/graphql — GraphiQL: ${hub.server.url}/graphiql\n`);
  await untilSignal();
  process.stdout.write('stopping…\n');
  await hub.close();
  return 0;
}
