/**
 * The four department APIs of the sample set (civil affairs, health, disability, economic check),
 * served on 127.0.0.1 from tests/fixtures/samples/api by the simulator's registries —
 * optionally failing a share of requests, answering an HTML error page, or slowed behind a front.
 */
import { startCivilAffairsRegistry } from '../../../src/simulator/civilAffairsRegistry';
import { disabilityRegistryOf, economicCheckRegistryOf, healthRegistryOf, registryAnswering, type LoggedRequest } from '../simulatedRegistries';
import { readJsonl } from '../samples';
import { startRegistryFront, type RegistryFront } from './registryFront';

export type ApiConnector = 'civil-affairs' | 'health' | 'disability' | 'economic-check';

export interface SampleRegistriesOptions {
  /** share of requests that fail, half answered HTTP 500 and half left hanging; default 0 */
  faultRate?: number;
  /** how long a hanging request is held before its connection is dropped */
  hangMs?: number;
  seed?: number;
  /** these registries answer each request only after this many milliseconds (a slow department) */
  slow?: Partial<Record<ApiConnector, number>>;
  /** the disability API answers every request with an HTML error page, status 200 */
  disabilityHtml?: boolean;
}

export interface SampleRegistries {
  /** where the hub should call: past the fronts, when slowed */
  urls: Record<ApiConnector, string>;
  /** the registries themselves, answering at once */
  direct: Record<ApiConnector, string>;
  /** requests that were answered 500, left hanging or failed by the civil-affairs registry, per registry */
  faults(): Record<ApiConnector, { http500: number; hung: number }>;
  close(): Promise<void>;
}

/** The sample records, read once per test file. */
export const sampleApi = {
  households: readJsonl('api/civil-affairs/households.jsonl'),
  grants: readJsonl('api/civil-affairs/grants.jsonl'),
  registrations: readJsonl('api/civil-affairs/registries.jsonl'),
  settlements: readJsonl('api/health/settlements.jsonl'),
  deaths: readJsonl('api/health/deaths.jsonl'),
  disabledPersons: readJsonl('api/disability/persons.jsonl'),
  economicFacts: readJsonl('api/economic-check/facts.jsonl'),
};

const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>系统维护中</title></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>';

export async function startSampleRegistries(opts: SampleRegistriesOptions = {}): Promise<SampleRegistries> {
  const faultRate = opts.faultRate ?? 0;
  const seed = opts.seed ?? 1;
  const faults = { faultRate, seed, hangMs: opts.hangMs };
  const closers: Array<() => Promise<void>> = [];
  const logs: Partial<Record<ApiConnector, () => readonly LoggedRequest[]>> = {};
  try {
    // The civil-affairs simulator fails with 500s only: half the share there, and a front
    // in front of it leaves the other half hanging, as the other registries do.
    const civil = await startCivilAffairsRegistry({
      households: sampleApi.households,
      grants: sampleApi.grants,
      registrations: sampleApi.registrations,
      failureRate: faultRate / 2,
      seed,
    });
    closers.push(() => civil.close());
    const health = await healthRegistryOf({ settlements: sampleApi.settlements, deaths: sampleApi.deaths }, faults);
    closers.push(() => health.close());
    logs.health = () => health.log;
    const disability = opts.disabilityHtml
      ? await registryAnswering(HTML_ERROR_PAGE, { 'content-type': 'text/html; charset=utf-8' })
      : await disabilityRegistryOf(sampleApi.disabledPersons, faults);
    closers.push(() => disability.close());
    logs.disability = () => disability.log;
    const economic = await economicCheckRegistryOf(sampleApi.economicFacts, faults);
    closers.push(() => economic.close());
    logs['economic-check'] = () => economic.log;

    const fronts: Partial<Record<ApiConnector, RegistryFront>> = {};
    const front = async (name: ApiConnector, target: string, hangRate = 0): Promise<string> => {
      const delayMs = opts.slow?.[name] ?? 0;
      if (!delayMs && !hangRate) return target;
      const f = await startRegistryFront(target, { delayMs, hangRate, hangMs: opts.hangMs, seed: seed + 7 });
      closers.push(() => f.close());
      fronts[name] = f;
      return f.url;
    };
    const urls: Record<ApiConnector, string> = {
      'civil-affairs': await front('civil-affairs', civil.url, faultRate / 2),
      health: await front('health', health.url),
      disability: await front('disability', disability.url),
      'economic-check': await front('economic-check', economic.url),
    };
    return {
      urls,
      direct: { 'civil-affairs': civil.url, health: health.url, disability: disability.url, 'economic-check': economic.url },
      faults() {
        const count = (log: readonly LoggedRequest[]) => ({
          http500: log.filter((r) => r.status === 500).length,
          hung: log.filter((r) => r.status === 'hung').length,
        });
        return {
          'civil-affairs': { http500: fronts['civil-affairs']?.passedOn500s() ?? 0, hung: fronts['civil-affairs']?.hung() ?? 0 },
          health: count(logs.health!()),
          disability: count(logs.disability!()),
          'economic-check': count(logs['economic-check']!()),
        };
      },
      close: async () => {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (e) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw e;
  }
}
