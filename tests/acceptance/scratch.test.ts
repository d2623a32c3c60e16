import { createTestDatabase } from '../support/testDatabase';
import { startSampleRegistries } from '../support/acceptance/sampleRegistries';
import { createHubWorkspace } from '../support/acceptance/hubWorkspace';
import { runWeijiu } from '../support/acceptance/weijiuCli';
import { dumpGraph } from '../support/acceptance/graphDump';

it('times a CLI sync --all', async () => {
  const regs = await startSampleRegistries();
  const ws = createHubWorkspace(regs.urls);
  const db = await createTestDatabase();
  let t = Date.now();
  const out = await runWeijiu(['sync', '--all'], ws, db.url);
  console.log(Date.now() - t, out.code, out.stdout, out.stderr.slice(0, 3000));
  t = Date.now();
  const out2 = await runWeijiu(['sync', '--all'], ws, db.url);
  console.log(Date.now() - t, out2.code, out2.stdout);
  t = Date.now();
  const d = await dumpGraph(db.url);
  console.log(Date.now() - t, d.persons.length, d.households.length, Object.fromEntries(Object.entries(d.facts).map(([k, v]) => [k, v.length])), d.quarantined.length);
  await db.drop(); await regs.close(); ws.remove();
});
