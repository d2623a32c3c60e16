import pg from 'pg';

/**
 * Two hub processes on one database never run the same connector at once: a session-level
 * PostgreSQL advisory lock, held on a dedicated connection (not a pooled one, which would go
 * back to the pool between transactions) for the whole run.
 */
export async function withConnectorLock<T>(url: string, connector: string, run: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const client = new pg.Client({ connectionString: url, application_name: `weijiu-lock:${connector}` });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext('weijiu:connector'), hashtext($1)) as locked`, [
      connector,
    ]);
    if (!rows[0].locked) return { ran: false };
    try {
      return { ran: true, value: await run() };
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('weijiu:connector'), hashtext($1))`, [connector]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
