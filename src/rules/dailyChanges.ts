import type { Pool } from 'pg';
import { compareCategories, writeStaleSourceEvents } from '../db/changeLog';
import { maxAgeDaysOf, sourceSettings } from './reports/sources';

/**
 * The change log's daily step (exchange.md): categories change with no sync at all (a child
 * turning 18, a recent window running out, a certificate expiring), and a source goes stale by
 * the clock alone. Run once a day by the hub (src/hub.ts) and safe to run again the same day.
 */
export async function runDailyChanges(
  pool: Pool,
  city: string,
  connectors: Parameters<typeof sourceSettings>[0],
  departments: Parameters<typeof sourceSettings>[1],
  today: string,
  now: Date = new Date(),
): Promise<{ entered: number; left: number; stale: string[] }> {
  const categories = await compareCategories(pool, city, today);
  const sources = sourceSettings(connectors, departments).filter((s) => s.connector in connectors);
  const stale = await writeStaleSourceEvents(pool, sources.map((s) => ({ connector: s.connector, maxAgeDays: maxAgeDaysOf(s) })), today, now);
  return { ...categories, stale };
}
