/**
 * Weihai at full size for benchmarks: about 1.19 million households and 2.9 million people,
 * generated in one streaming pass — the API records spooled to files under `dir`, the file
 * drops written there — and served on 127.0.0.1 like the demo. Memory stays bounded by what the
 * servers index (offsets and sort keys), not by the records.
 */
import { type DemoRegistries, type DemoRegistriesOptions, startDemoRegistries } from './demo';

/** Weihai's households (户数) in the region figures the generator places households by. */
export const WEIHAI_HOUSEHOLDS = 1_190_000;

export interface WeihaiScaleOptions extends Omit<DemoRegistriesOptions, 'dir' | 'spool'> {
  /** where the drops and the spooled API records go (needs a few gigabytes at full size) */
  dir: string;
}

export interface WeihaiScale extends DemoRegistries {
  /** how long generating, writing and indexing took, and the highest resident memory seen */
  timings: { generateMs: number; cpuMs: number; peakRssBytes: number };
}

export async function startWeihaiScale(opts: WeihaiScaleOptions): Promise<WeihaiScale> {
  const started = Date.now();
  const cpu = process.cpuUsage();
  let peakRssBytes = process.memoryUsage().rss;
  const registries = await startDemoRegistries({
    ...opts,
    households: opts.households ?? WEIHAI_HOUSEHOLDS,
    spool: true,
    onProgress: (done) => {
      peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
      opts.onProgress?.(done);
    },
  });
  const used = process.cpuUsage(cpu);
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
  // Assigned, not spread: the registries' day (asOf, years) is read through getters.
  return Object.assign(registries, { timings: { generateMs: Date.now() - started, cpuMs: Math.round((used.user + used.system) / 1000), peakRssBytes } });
}
