/** Jest globalTeardown: stops the embedded PostgreSQL that globalSetup.js started and removes its folder. */
const fs = require('node:fs');

module.exports = async function globalTeardown() {
  const started = globalThis.__weijiuTestPostgres;
  if (!started) return;
  delete globalThis.__weijiuTestPostgres;
  await started.server.stop();
  fs.rmSync(started.home, { recursive: true, force: true });
};
