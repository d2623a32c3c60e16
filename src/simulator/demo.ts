/**
 * The demo's department registries (used by `npm start`): one synthetic population, served by
 * each registry simulator. Today only civil affairs; the other seven join here.
 */
import { startCivilAffairsRegistry } from './civilAffairsRegistry';
import { collectPopulation } from './population';

export interface DemoRegistriesOptions {
  seed?: number;
  /** households in the population; default 2000 */
  households?: number;
  /** fixed ports per registry; 0 or absent picks a free one */
  ports?: { civilAffairs?: number };
}

export interface DemoRegistries {
  civilAffairs: { url: string };
  close(): Promise<void>;
}

export async function startDemoRegistries(opts: DemoRegistriesOptions = {}): Promise<DemoRegistries> {
  const population = collectPopulation({ seed: opts.seed ?? 1, households: opts.households ?? 2000 });
  const civilAffairs = await startCivilAffairsRegistry({
    port: opts.ports?.civilAffairs ?? 0,
    households: population.households,
    grants: population.grants,
    registrations: population.registrations,
  });
  return {
    civilAffairs: { url: civilAffairs.url },
    close: async () => {
      await civilAffairs.close();
    },
  };
}
