/** The hub's record of its sync runs (sync_run), read straight from a test database. */
import pg from 'pg';

export interface SyncRunRow {
  id: string;
  connector: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';
  batches: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export async function query<T extends pg.QueryResultRow>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every run, oldest first. */
export function syncRuns(databaseUrl: string): Promise<SyncRunRow[]> {
  return query<SyncRunRow>(databaseUrl, `select id, connector, status, batches, error, started_at, finished_at from sync_run order by id`);
}

/** Polls until `check` gives a value (not undefined), or fails naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Waits until the running sync of `connector` has committed at least `batches` batches; returns
 * its run. Fails at once if the process doing it ends first.
 */
export async function committedBatches(
  databaseUrl: string,
  connector: string,
  batches: number,
  cli: { exited: Promise<{ code: number | null; stdout: string; stderr: string }> },
): Promise<SyncRunRow> {
  let ended: string | null = null;
  void cli.exited.then((o) => (ended = `the process exited (${o.code}) first:\n${o.stdout}\n${o.stderr}`));
  return waitFor(
    `${connector} to commit ${batches} batches`,
    async () => {
      if (ended) throw new Error(`waiting for ${connector} to commit ${batches} batches, ${ended}`);
      const runs = await syncRuns(databaseUrl);
      return runs.find((r) => r.connector === connector && r.status === 'RUNNING' && r.batches >= batches);
    },
    // a busy machine takes long to start a hub process
    150_000,
  );
}
