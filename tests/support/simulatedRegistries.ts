/**
 * The simulator's registries (src/simulator) serving records a test gives, exactly as given,
 * mess and all — the one set of registries the hub is tested against. Every request is logged
 * (`registry.log`) so a test can say what the hub asked and how it was answered.
 */
import { dayFromIsoDate } from '../../src/simulator/calendar';
import { parseInstant } from '../../src/simulator/civilAffairsRegistry';
import { startDisabilityRegistry } from '../../src/simulator/disabilityRegistry';
import { startEconomicCheckRegistry } from '../../src/simulator/economicCheckRegistry';
import { startHealthRegistry, type RunningHealthRegistry } from '../../src/simulator/healthRegistry';
import { json, startRegistryServer, type RunningRegistry } from '../../src/simulator/registryServer';

export type { LoggedRequest, RunningRegistry } from '../../src/simulator/registryServer';

export interface Faults {
  /** share of requests that fail, half answered HTTP 500 and half left hanging; default 0 */
  faultRate?: number;
  seed?: number;
  /** how long a hanging request is held before its connection is dropped; default 5 s */
  hangMs?: number;
}

function serverOptions(f: Faults) {
  const rate = f.faultRate ?? 0;
  return { failureRate: rate / 2, hangRate: rate / 2, seed: f.seed ?? 1, hangMs: f.hangMs ?? 5000, logRequests: true };
}

/** 残联: certificate versions ordered by their `modifiedAt` (an unreadable one first). */
export function disabilityRegistryOf(persons: object[], faults: Faults = {}): Promise<RunningRegistry> {
  const entries = persons.map((record) => {
    const modifiedAt = (record as { modifiedAt?: unknown }).modifiedAt;
    const at = typeof modifiedAt === 'string' ? parseInstant(modifiedAt) : NaN;
    return { record, at: Number.isNaN(at) ? 0 : at, key: String((record as { certNo?: unknown }).certNo ?? '') };
  });
  // equal instants in certificate order, so that a page boundary between them falls where a test expects
  entries.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return startDisabilityRegistry({ persons: entries, ...serverOptions(faults) });
}

/** A sortable `YYYY-MM-DD` of a date in any of the feed's forms (`2025/3/1`, `20250301`, `2025年3月1日`), or null. */
function dayOf(value: unknown): number | null {
  const m = /^\s*(\d{4})\D?(\d{1,2})\D?(\d{1,2})/.exec(typeof value === 'string' ? value : '');
  return m ? dayFromIsoDate(`${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`) : null;
}

/** Records by their date, then their key: the order the registry serves them in. A record without a readable date is not served. */
function dated(records: object[], dateField: string, keyField: string) {
  return records
    .map((record) => ({ record, day: dayOf((record as Record<string, unknown>)[dateField]), key: String((record as Record<string, unknown>)[keyField] ?? '') }))
    .filter((e): e is { record: object; day: number; key: string } => e.day !== null)
    .sort((a, b) => a.day - b.day || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** 卫健委 / 医保局: settlements by year, deaths since a date, page/size pagination. */
export function healthRegistryOf(records: { settlements: object[]; deaths: object[] }, faults: Faults = {}): Promise<RunningHealthRegistry> {
  return startHealthRegistry({
    settlements: dated(records.settlements, 'jsrq', 'jsid'),
    deaths: dated(records.deaths, 'swrq', 'swzmbh'),
    ...serverOptions(faults),
  });
}

/** 家庭经济状况核对: the facts of each person asked about, 5 calls a second. */
export function economicCheckRegistryOf(facts: object[], faults: Faults = {}): Promise<RunningRegistry> {
  const byPerson = new Map<string, object[]>();
  for (const fact of facts) {
    const id = String((fact as { sfzh?: unknown }).sfzh ?? '').trim().toUpperCase();
    const list = byPerson.get(id);
    if (list) list.push(fact);
    else byPerson.set(id, [fact]);
  }
  return startEconomicCheckRegistry({ people: [...byPerson].map(([id, list]) => ({ id, facts: list })), ...serverOptions(faults) });
}

/** A registry that answers every request with the same body, status 200 (something other than the feed it should be). */
export function registryAnswering(body: unknown, headers?: Record<string, string>): Promise<RunningRegistry> {
  return startRegistryServer(() => json(200, typeof body === 'string' ? body : JSON.stringify(body), headers), { logRequests: true });
}
