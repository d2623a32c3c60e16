/**
 * The demo's department registries (used by `npm start`): one synthetic city, generated once and
 * served by all eight departments — the four APIs on 127.0.0.1 and the four file drops in a
 * folder (a temporary one unless given, removed at close).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CivilAffairsData, startCivilAffairsRegistry } from './civilAffairsRegistry';
import { startDisabilityRegistry } from './disabilityRegistry';
import type { DropFolders } from './drops';
import { startEconomicCheckRegistry } from './economicCheckRegistry';
import { type RunningHealthRegistry, startHealthRegistry } from './healthRegistry';
import { type AdvanceCounts, type AdvanceOptions, CityDays } from './nextDay';
import type { ExpectedInvalid } from './records';
import type { FaultOptions, RunningRegistry } from './registryServer';
import { simulateCity, type SimulationCounts } from './simulation';

export interface DemoRegistriesOptions {
  seed?: number;
  /** households in the city; default 2000 (Weihai has about 1.19 million) */
  households?: number;
  /** where the file drops go; default a temporary folder removed at close */
  dir?: string;
  /** share of delivered records with a messy but valid form; default 0.02 */
  messyRate?: number;
  /** share of delivered records made invalid on purpose; default 0.005 */
  invalidRate?: number;
  /** the as-of day, `YYYY-MM-DD`; default '2026-10-31' */
  asOf?: string;
  /** share of households in a civil-affairs programme; default about Weihai's 2.7% */
  assistedShare?: number;
  /** calendar years of health settlements; default the as-of year and the one before */
  healthYears?: number[];
  /** fixed ports per registry; 0 or absent picks a free one */
  ports?: { civilAffairs?: number; health?: number; disability?: number; economicCheck?: number };
  /** failures, slowness and hangs for resilience tests, applied to every API registry */
  faults?: FaultOptions;
  /** keep the API records in files under `dir` rather than in memory (for large cities) */
  spool?: boolean;
  /** called every 10,000 households generated */
  onProgress?: (households: number) => void;
}

export type { AdvanceCounts, AdvanceOptions } from './nextDay';

export interface DemoRegistries {
  civilAffairs: { url: string };
  health: { url: string; setClock(day: string | null): void };
  disability: { url: string };
  economicCheck: { url: string };
  /** the folders to configure as the file-drop connectors' sources */
  drops: DropFolders;
  /** the settlement years to configure for the health connector */
  readonly years: number[];
  /** the registries' day: the day the population was generated as of, moved on by each `advance` */
  readonly asOf: string;
  /** every record made invalid on purpose, with the reason the hub must quarantine it for (`advance` adds to it) */
  expectedInvalid: ExpectedInvalid[];
  /** the records generated per feed (before any `advance`) */
  counts: SimulationCounts;
  /**
   * The registries move on to the next day: about `share` (default 0.01) of each feed's records
   * change as that registry's records change in life, served at once; the drops get the next
   * day's files. Returns the records changed per feed and the new as-of day.
   */
  advance(opts?: AdvanceOptions): Promise<AdvanceCounts>;
  /** requests each registry received */
  requests(): { civilAffairs: number; health: number; disability: number; economicCheck: number };
  close(): Promise<void>;
}

export async function startDemoRegistries(opts: DemoRegistriesOptions = {}): Promise<DemoRegistries> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'weijiu-demo-'));
  const started: RunningRegistry[] = [];
  let city: Awaited<ReturnType<typeof simulateCity>> | null = null;
  const cleanUp = async () => {
    await Promise.all(started.map((registry) => registry.close()));
    city?.dispose();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    city = await simulateCity({
      seed: opts.seed ?? 1,
      households: opts.households ?? 2000,
      dir,
      messyRate: opts.messyRate,
      invalidRate: opts.invalidRate,
      asOf: opts.asOf,
      assistedShare: opts.assistedShare,
      healthYears: opts.healthYears,
      spool: opts.spool,
      onProgress: opts.onProgress,
    });
    const seed = opts.seed ?? 1;
    const faults = (offset: number): FaultOptions => ({ ...opts.faults, seed: (opts.faults?.seed ?? seed) + offset });
    const simulated = city;
    const civilAffairsData = new CivilAffairsData(city.civilAffairs);
    // The sorted feeds keep the records' JSON; the generation's list is no longer needed.
    city.civilAffairs = { households: [], grants: [], registrations: [] };
    const days = new CityDays(city, civilAffairsData);
    const civilAffairs = await startCivilAffairsRegistry({ port: opts.ports?.civilAffairs ?? 0, data: civilAffairsData, ...faults(0) });
    started.push(civilAffairs);
    const health: RunningHealthRegistry = await startHealthRegistry({ port: opts.ports?.health ?? 0, data: city.health, ...faults(1) });
    started.push(health);
    const disability = await startDisabilityRegistry({ port: opts.ports?.disability ?? 0, data: city.disability, ...faults(2) });
    started.push(disability);
    const economicCheck = await startEconomicCheckRegistry({ port: opts.ports?.economicCheck ?? 0, data: city.economic, ...faults(3) });
    started.push(economicCheck);
    return {
      civilAffairs: { url: civilAffairs.url },
      health: { url: health.url, setClock: (day) => health.setClock(day) },
      disability: { url: disability.url },
      economicCheck: { url: economicCheck.url },
      drops: city.drops.folders,
      get years() {
        // A settlement year the registry reached by moving on is served too.
        const configured = simulated.healthYears;
        return [...configured, ...simulated.health.settlementYears().filter((year) => year > configured[configured.length - 1])];
      },
      get asOf() {
        return days.asOf;
      },
      expectedInvalid: city.expectedInvalid,
      counts: city.counts,
      advance: (advanceOpts) => days.advance(advanceOpts),
      requests: () => ({ civilAffairs: civilAffairs.requests, health: health.requests, disability: disability.requests, economicCheck: economicCheck.requests }),
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
