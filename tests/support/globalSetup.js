/**
 * Jest globalSetup: one PostgreSQL for the whole run and a migrated template database
 * (`weijiu_template`) from which each test makes its own database (tests/support/testDatabase.ts).
 *
 * With DATABASE_URL set, that server is used (as the admin URL) and nothing is started; otherwise an
 * ephemeral embedded PostgreSQL runs in a fresh folder under /var/tmp (reachable by the `postgres`
 * user when Jest runs as root) and is stopped by globalTeardown.js.
 *
 * Workers inherit WEIJIU_TEST_ADMIN_URL and WEIJIU_TEST_TEMPLATE from here.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const TEMPLATE = 'weijiu_template';

module.exports = async function globalSetup() {
  if (!require.extensions['.ts']) require('@swc-node/register');
  const { Client } = require('pg');

  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const { startEmbeddedPostgres } = require('../../src/db/embeddedPostgres');
    const base = fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir();
    const home = fs.mkdtempSync(path.join(base, 'weijiu-jest-'));
    fs.chmodSync(home, 0o755);
    const said = [];
    try {
      const server = await startEmbeddedPostgres({ home, port: 0, ephemeral: true, log: (m) => said.push(m) });
      globalThis.__weijiuTestPostgres = { server, home };
      adminUrl = server.url;
    } catch (err) {
      fs.rmSync(home, { recursive: true, force: true });
      err.message += `\n${said.join('\n')}`;
      throw err;
    }
  }

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await dropTemplate(admin);
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await admin.end();
  }

  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  // Migrations and the city's regions (3710 Weihai), as every hub database has them — through the
  // hub's own command in a child process: MikroORM initialised here would leak its metadata into
  // the test sandboxes (mikro-orm#3783).
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'weijiu'), 'migrate'], {
    env: { ...process.env, DATABASE_URL: templateUrl.toString(), WEIJIU_CONFIG: '' },
    cwd: os.tmpdir(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  const seal = new Client({ connectionString: adminUrl });
  await seal.connect();
  try {
    // A connection left on the template would make every CREATE DATABASE … TEMPLATE fail.
    await seal.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [TEMPLATE]);
    await seal.query(`ALTER DATABASE ${TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await seal.end();
  }

  process.env.WEIJIU_TEST_ADMIN_URL = adminUrl;
  process.env.WEIJIU_TEST_TEMPLATE = TEMPLATE;
};

/** A template left by an earlier run on a shared DATABASE_URL server must be unmarked to be dropped. */
async function dropTemplate(admin) {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
  if (!rowCount) return;
  await admin.query(`ALTER DATABASE ${TEMPLATE} WITH IS_TEMPLATE false`);
  await admin.query(`DROP DATABASE ${TEMPLATE} WITH (FORCE)`);
}

