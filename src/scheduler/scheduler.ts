import cron, { type ScheduledTask } from 'node-cron';
import type { HubConfig } from '../config/config';
import type { Database } from '../db/database';
import type { Connector } from '../ingest/connector';
import { withConnectorLock } from '../ingest/connectorLock';
import { formatSummary, runConnector, type SyncSummary } from '../ingest/syncRunner';
import type { Logger } from '../logging/logger';
import { DEFAULT_REPORT_SCHEDULE } from '../config/config';
import { todayInShanghai } from '../identity';
import { makeMonthlyReport, previousMonth, ReportExists } from '../rules/reports/monthlyReport';
import { sourceSettings } from '../rules/reports/sources';

/**
 * Runs every configured connector on its cron schedule, in the hub's timezone (Asia/Shanghai):
 * never two runs of one connector at once, in this process (noOverlap) or across hub processes
 * (an advisory lock). Stopping lets the running batch commit or roll back, then returns.
 */
export interface Scheduler {
  nextRunOf(connector: string): Date | null;
  /** runs a connector now, as its schedule would */
  runNow(connector: string): Promise<SyncSummary | null>;
  stop(): Promise<void>;
}

export function startScheduler(
  db: Database,
  config: HubConfig,
  catalogue: Record<string, Connector>,
  log: Logger,
  onSynced?: (summary: SyncSummary) => Promise<void>,
): Scheduler {
  const tasks = new Map<string, ScheduledTask>();
  const running = new Set<Promise<unknown>>();
  const stopping = new AbortController();

  const runNow = async (name: string): Promise<SyncSummary | null> => {
    const connector = catalogue[name];
    const cc = config.connectors[name];
    if (!connector || !cc || stopping.signal.aborted) return null;
    const outcome = await withConnectorLock(db.url, name, () =>
      runConnector(db, connector, cc, { signal: stopping.signal, http: { onRetry: (r) => log.warn({ connector: name, ...r }, 'retrying') } }),
    );
    if (!outcome.ran) {
      log.info({ connector: name }, 'skipped: another hub process is running this connector');
      return null;
    }
    log.info({ connector: name, status: outcome.value.status }, formatSummary(outcome.value));
    await onSynced?.(outcome.value).catch((e) => log.error({ err: e }, 'after-sync step failed'));
    return outcome.value;
  };

  for (const [name, cc] of Object.entries(config.connectors)) {
    if (!cc.schedule || !catalogue[name]) continue;
    const task = cron.schedule(
      cc.schedule,
      async () => {
        const p = runNow(name).catch((e) => log.error({ connector: name, err: e }, 'scheduled sync failed'));
        running.add(p);
        await p;
        running.delete(p);
      },
      { timezone: config.timezone, noOverlap: true, name: `sync:${name}` },
    );
    tasks.set(name, task);
  }

  // the monthly report (office.md): the month just ended, frozen once — a month already made stays as it is
  const makeReport = async () => {
    const month = previousMonth(todayInShanghai().slice(0, 7));
    try {
      const made = await makeMonthlyReport(db.pool, { month, city: config.city, madeBy: 'schedule', sources: sourceSettings(config.connectors, catalogue) });
      log.info({ month: made.month, regions: made.regions }, 'monthly report made');
    } catch (e) {
      if (e instanceof ReportExists) log.info({ month }, 'monthly report exists already; left as it is');
      else log.error({ month, err: e }, 'monthly report failed');
    }
  };
  const reportTask = cron.schedule(
    config.report ?? DEFAULT_REPORT_SCHEDULE,
    async () => {
      const p = makeReport();
      running.add(p);
      await p;
      running.delete(p);
    },
    { timezone: config.timezone, noOverlap: true, name: 'report' },
  );
  tasks.set('report', reportTask);

  return {
    nextRunOf: (name) => tasks.get(name)?.getNextRun() ?? null,
    runNow,
    async stop() {
      stopping.abort(new Error('the hub is stopping'));
      for (const t of tasks.values()) await t.destroy();
      await Promise.allSettled([...running]);
    },
  };
}
