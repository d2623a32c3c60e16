/**
 * A hub process syncing one connector, for the contract harness to kill: it says on stdout when
 * a batch has committed, and once `WEIJIU_CONTRACT_KILL_AFTER` batches have, it stops dead (its
 * thread blocked) so that the SIGKILL falls between two batches, as it would on a real machine
 * at the worst moment: after a commit, before the next.
 *   node -r @swc-node/register tests/support/connectorContractChild.ts
 * with DATABASE_URL, WEIJIU_CONTRACT_CONNECTOR, WEIJIU_CONTRACT_CONFIG (JSON), WEIJIU_CONTRACT_AS_OF.
 */
import { connectors } from '../../connectors';
import { openDatabase } from '../../src/db/database';
import { runConnector } from '../../src/ingest/syncRunner';

async function main(): Promise<void> {
  const env = process.env;
  const connector = connectors[env.WEIJIU_CONTRACT_CONNECTOR ?? ''];
  if (!connector) throw new Error(`no connector ${env.WEIJIU_CONTRACT_CONNECTOR}`);
  const killAfter = Number(env.WEIJIU_CONTRACT_KILL_AFTER);
  const db = await openDatabase(env.DATABASE_URL!, { poolSize: 2 });
  await runConnector(db, connector, JSON.parse(env.WEIJIU_CONTRACT_CONFIG!), {
    asOf: env.WEIJIU_CONTRACT_AS_OF || undefined,
    onProgress: ({ batches }) => {
      process.stdout.write(`committed ${batches}\n`);
      if (batches === killAfter) {
        // blocks the thread for good: nothing more is fetched or committed until the kill
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      }
    },
  });
  await db.close();
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
