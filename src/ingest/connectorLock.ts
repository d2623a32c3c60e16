import pg from 'pg';

/**
 * Two hub processes on one database never run the same connector at once: a session-level
 * PostgreSQL advisory lock, held on a dedicated connection (not a pooled one, which would go
 * back to the pool between transactions) for the whole run. With `wait`, a caller that finds
 * the lock taken waits for it (polling, so that a stop signal still stops the wait).
 *
 * Whoever holds the lock knows no run of the connector is under way: a run still RUNNING was
 * left by a hub process that died (SIGKILL, a crash) and is closed here.
 */
export async function withConnectorLock<T>(
  url: string,
  connector: string,
  run: () => Promise<T>,
  opts: { wait?: boolean; signal?: AbortSignal; pollMs?: number } = {},
): Promise<{ ran: true; value: T } | { ran: false }> {
  const client = new pg.Client({ connectionString: url, application_name: `weijiu-lock:${connector}` });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext('weijiu:connector'), hashtext($1)) as locked`, [
        connector,
      ]);
      if (rows[0].locked) break;
      if (!opts.wait || opts.signal?.aborted) return { ran: false };
      await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 200));
    }
    try {
      await client.query(
        `update sync_run set status = case when batches > 0 then 'PARTIAL' else 'FAILED' end, finished_at = now(),
                error = coalesce(error, 'abandoned: the hub process running it stopped without finishing (killed or crashed)')
          where connector = $1 and status = 'RUNNING'`,
        [connector],
      );
      return { ran: true, value: await run() };
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('weijiu:connector'), hashtext($1))`, [connector]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
