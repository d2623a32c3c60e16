/**
 * `weijiu token …` and `weijiu operations …`: the office's tools for bearer tokens and for the
 * operations DEPARTMENT apps may run. A new token is the only thing written to stdout, so
 * `TOKEN=$(weijiu token create …)` works; everything else goes to stderr.
 */
import fs from 'node:fs';
import { connectors as catalogue } from '../../connectors';
import { hubSchema } from '../api/schema';
import type { HubConfig } from '../config/config';
import { connectHubDatabase } from '../db/connect';
import type { Logger } from '../logging/logger';
import { listOperations, OperationRegistrationError, registerOperation, retireOperation } from '../auth/operationAllowList';
import { issueToken, listTokens, revokeToken, rotateSigningKey, TokenRequestError, type TokenRow } from '../auth/tokenStore';

export interface AccessCommandOptions {
  role?: string;
  region?: string;
  department?: string;
  label?: string;
  days?: string;
  name?: string;
}

const TOKEN_USAGE = `weijiu token create --role ROLE [--region CODE] [--department NAME] [--label TEXT] [--days N]
weijiu token list
weijiu token revoke ID
weijiu token rotate-key`;

const OPERATIONS_USAGE = `weijiu operations add FILE [--department NAME] [--name TEXT]
weijiu operations list
weijiu operations remove SHA256`;

const departments = () => Object.keys(catalogue).sort();

async function withDatabase<T>(config: HubConfig, log: Logger, work: (pool: import('pg').Pool) => Promise<T>): Promise<T> {
  const hubDb = await connectHubDatabase(config, log);
  try {
    return await work(hubDb.db.pool);
  } finally {
    await hubDb.close();
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export async function tokenCommand(config: HubConfig, log: Logger, args: string[], options: AccessCommandOptions): Promise<number> {
  const [action, id] = args;
  const err = process.stderr;
  switch (action) {
    case 'create': {
      const days = options.days === undefined ? undefined : Number(options.days);
      if (days !== undefined && !Number.isInteger(days)) {
        err.write(`weijiu token create: --days must be a whole number (got "${options.days}")\n`);
        return 2;
      }
      if (!options.role) {
        err.write(`weijiu token create: --role is required (OFFICE, TOWN, DEPARTMENT, ANALYST or ADMIN)\n\n${TOKEN_USAGE}\n`);
        return 2;
      }
      try {
        const issued = await withDatabase(config, log, (pool) =>
          issueToken(pool, config.city, departments(), { role: options.role!, region: options.region, department: options.department, label: options.label, days }),
        );
        process.stdout.write(`${issued.token}\n`);
        const scope = issued.department ? `department ${issued.department}, region ${issued.regionCode}` : `region ${issued.regionCode}`;
        err.write(`token ${issued.id}: ${issued.role}, ${scope}, "${issued.label}", expires ${day(issued.expiresAt)}; revoke with: weijiu token revoke ${issued.id}\n`);
        return 0;
      } catch (e) {
        if (e instanceof TokenRequestError) {
          err.write(`weijiu token create: ${e.message}\n`);
          return 2;
        }
        throw e;
      }
    }
    case 'revoke': {
      if (!id) {
        err.write(`weijiu token revoke: give the token's id (weijiu token list)\n`);
        return 2;
      }
      const outcome = await withDatabase(config, log, (pool) => revokeToken(pool, id));
      err.write(outcome === 'unknown' ? `weijiu token revoke: no token ${id}\n` : `token ${id} ${outcome}\n`);
      return outcome === 'unknown' ? 1 : 0;
    }
    case 'list': {
      const rows = await withDatabase(config, log, listTokens);
      const now = new Date();
      for (const t of rows) {
        const state = t.revokedAt
          ? `revoked ${day(t.revokedAt)}`
          : t.expiresAt <= now
            ? `expired ${day(t.expiresAt)}`
            : t.keyRetired
              ? 'key retired'
              : `valid until ${day(t.expiresAt)}`;
        process.stdout.write(tokenLine(t, state));
      }
      if (!rows.length) err.write('no tokens issued yet\n');
      return 0;
    }
    case 'rotate-key': {
      const rotation = await withDatabase(config, log, rotateSigningKey);
      err.write(
        `signing key ${rotation.generation} made${rotation.retiredGeneration === null ? '' : `, key ${rotation.retiredGeneration} retired`}: ` +
          `every token issued before is refused from now on, by every hub process within seconds.\n`,
      );
      if (rotation.stopped.length) {
        err.write(`${rotation.stopped.length} token(s) that worked until now must be issued again (weijiu token create with the same options):\n`);
        for (const t of rotation.stopped) err.write(tokenLine(t, `was valid until ${day(t.expiresAt)}`));
      } else {
        err.write('no token that worked until now is affected.\n');
      }
      err.write('check with: weijiu token list (tokens of the retired key show "key retired")\n');
      return 0;
    }
    default:
      err.write(`${TOKEN_USAGE}\n`);
      return 2;
  }
}

function tokenLine(t: TokenRow, state: string): string {
  return `${t.id.padStart(5)}  ${t.role.padEnd(10)} ${t.regionCode.padEnd(12)} ${(t.department ?? '').padEnd(15)} ${state.padEnd(24)} ${t.label}\n`;
}

export async function operationsCommand(config: HubConfig, log: Logger, args: string[], options: AccessCommandOptions): Promise<number> {
  const [action, arg] = args;
  const err = process.stderr;
  switch (action) {
    case 'add': {
      if (!arg) {
        err.write(`weijiu operations add: give the file holding the document\n`);
        return 2;
      }
      let document: string;
      try {
        document = fs.readFileSync(arg, 'utf8');
      } catch (e) {
        err.write(`weijiu operations add: cannot read ${arg}: ${(e as Error).message}\n`);
        return 2;
      }
      try {
        const schema = await hubSchema();
        const row = await withDatabase(config, log, (pool) =>
          registerOperation(pool, schema, { document, name: options.name, department: options.department, registeredBy: 'weijiu operations add' }, departments()),
        );
        process.stdout.write(`${row.sha256}\n`);
        err.write(`registered for ${row.department ? `the ${row.department} department` : 'every department'}: apps send this file's text exactly as it is (or just its sha256)\n`);
        return 0;
      } catch (e) {
        if (e instanceof OperationRegistrationError) {
          err.write(`weijiu operations add: ${e.message}\n`);
          return 2;
        }
        throw e;
      }
    }
    case 'list': {
      const rows = await withDatabase(config, log, listOperations);
      for (const r of rows) {
        const state = r.retiredAt ? `removed ${day(r.retiredAt)}` : `since ${day(r.registeredAt)}`;
        process.stdout.write(`${r.sha256}  ${(r.department ?? '(all)').padEnd(15)} ${state.padEnd(18)} ${r.name ?? ''}\n`);
      }
      if (!rows.length) err.write('no operations registered yet\n');
      return 0;
    }
    case 'remove': {
      if (!arg || !/^[0-9a-f]{64}$/.test(arg)) {
        err.write(`weijiu operations remove: give the sha256 (64 hex characters) of a registered operation\n`);
        return 2;
      }
      const removed = await withDatabase(config, log, (pool) => retireOperation(pool, arg));
      err.write(removed ? `operation ${arg} removed\n` : `weijiu operations remove: no registered operation ${arg}\n`);
      return removed ? 0 : 1;
    }
    default:
      err.write(`${OPERATIONS_USAGE}\n`);
      return 2;
  }
}
