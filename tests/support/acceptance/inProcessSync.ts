/**
 * `weijiu sync --all` done in the test's own process with `runConnector`, for what the command
 * line cannot say: the day a run is for (the economic check's population is drawn as of it) and
 * the HTTP time-outs. The workspace's config file is read as the command line reads it.
 */
import { connectors as catalogue } from '../../../connectors';
import { loadConfig } from '../../../src/config/config';
import { openDatabase } from '../../../src/db/database';
import type { HttpOptions } from '../../../src/ingest/httpClient';
import { runConnector, type SyncSummary } from '../../../src/ingest/syncRunner';
import type { HubWorkspace } from './hubWorkspace';

export async function syncAllInProcess(
  workspace: HubWorkspace,
  databaseUrl: string,
  opts: {
    asOf?: string;
    http?: HttpOptions;
    only?: readonly string[];
    /** stops the connector's run right after it committed this many batches, as a signal would */
    stopAfter?: { connector: string; batches: number };
  } = {},
): Promise<SyncSummary[]> {
  const config = loadConfig({ file: workspace.configFile, env: {} });
  const db = await openDatabase(databaseUrl, { poolSize: 4 });
  try {
    const summaries: SyncSummary[] = [];
    for (const [name, cc] of Object.entries(config.connectors)) {
      if (opts.only && !opts.only.includes(name)) continue;
      const stop = new AbortController();
      const stopAfter = opts.stopAfter?.connector === name ? opts.stopAfter.batches : null;
      summaries.push(
        await runConnector(db, catalogue[name], cc, {
          asOf: opts.asOf,
          http: opts.http,
          signal: stop.signal,
          onProgress: (p) => p.batches === stopAfter && stop.abort(new Error('interrupted')),
        }),
      );
      if (stop.signal.aborted) break;
    }
    return summaries;
  } finally {
    await db.close();
  }
}
