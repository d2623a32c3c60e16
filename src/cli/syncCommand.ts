import type { HubConfig } from '../config/config';
import type { Database } from '../db/database';
import { formatSummary, runConnector, type SyncSummary } from '../ingest/syncRunner';
import type { Connector } from '../ingest/connector';
import type { Logger } from '../logging/logger';
import { withConnectorLock } from '../ingest/connectorLock';
import { beginLoad } from '../ingest/firstLoad';

/**
 * `weijiu sync NAME… | --all`: each connector once, with a live progress line on a terminal
 * and one summary line per connector; non-zero exit when any failed.
 */
export async function syncConnectors(
  db: Database,
  config: HubConfig,
  catalogue: Record<string, Connector>,
  names: string[],
  out: NodeJS.WriteStream,
  log: Logger,
  signal?: AbortSignal,
  /** the day the runs are for (the economic-check population, the deaths look-back); default today */
  asOf?: string,
): Promise<SyncSummary[]> {
  const summaries: SyncSummary[] = [];
  // A run that another hub process finishes after this instant did this sync's work for it.
  const began = (await db.pool.query<{ now: Date }>('select now()')).rows[0].now;
  // One load around all the runs: a first load of an empty graph ends after the last connector,
  // when the indexes it deferred are built (src/ingest/firstLoad.ts).
  const load = await beginLoad(db, { signal });
  try {
    await syncEach();
  } catch (e) {
    await load.end().catch(() => undefined);
    throw e;
  }
  // tens of seconds at a city's size: said before, not only after
  if (load.deferred) out.write('first load: building the indexes and foreign keys it deferred…\n');
  const rebuilt = await load.end();
  if (rebuilt) out.write(`first load: ${rebuilt.indexes.length} indexes and ${rebuilt.foreignKeys.length} foreign keys built again in ${rebuilt.seconds.toFixed(1)} s\n`);
  return summaries;

  async function syncEach(): Promise<void> {
    for (const name of names) {
      const connector = catalogue[name];
      const cc = config.connectors[name];
      if (!connector || !cc) throw new Error(`unknown or unconfigured connector "${name}"`);
      const live = out.isTTY;
      // Waiting (not skipping) keeps the order of --all: the economic check after the rolls it reads.
      const outcome = await withConnectorLock(db.url, name, async () => {
        const done = await db.pool.query(
          `select 1 from sync_run where connector = $1 and status = 'SUCCEEDED' and finished_at >= $2 limit 1`,
          [name, began],
        );
        if (done.rowCount) return null;
        return runConnector(db, connector, cc, {
          signal,
          asOf,
          http: { onRetry: (r) => log.warn({ connector: name, ...r }, 'retrying') },
          onProgress: live
            ? (p) => out.write(`\r${name}/${p.stream}: ${p.counts.read} read, ${p.counts.inserted} new, ${p.counts.updated} updated, ${p.counts.quarantined} quarantined…\x1b[K`)
            : undefined,
        });
      }, { wait: true, signal });
      if (live) out.write('\r\x1b[K');
      // stopped while waiting for another hub process
      if (!outcome.ran) break;
      if (outcome.value === null) {
        out.write(`${name}: skipped — another hub process ran it during this sync\n`);
        continue;
      }
      const summary = outcome.value;
      out.write(`${formatSummary(summary)}\n`);
      summaries.push(summary);
      if (signal?.aborted) break;
    }
  }
}
