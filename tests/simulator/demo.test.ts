import { existsSync, readdirSync } from 'node:fs';
import { startDemoRegistries } from '../../src/simulator/demo';

describe('demo registries', () => {
  it('serves one generated city on the four APIs and in the four drop folders until closed', async () => {
    const demo = await startDemoRegistries({ seed: 3, households: 400, assistedShare: 0.2 });
    let closed = false;
    try {
      for (const url of [demo.civilAffairs.url, demo.health.url, demo.disability.url, demo.economicCheck.url]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new Set([demo.civilAffairs.url, demo.health.url, demo.disability.url, demo.economicCheck.url]).size).toBe(4);

      const households = (await (await fetch(`${demo.civilAffairs.url}/api/assistance/households?limit=500`)).json()) as { data: { hh_id: string }[] };
      expect(new Set(households.data.map((h) => h.hh_id)).size).toBe(demo.counts.civilAffairsHouseholds);
      expect(demo.counts.civilAffairsHouseholds).toBeGreaterThan(40);
      const settlements = (await (await fetch(`${demo.health.url}/v2/medical/settlements?year=${demo.years[1]}`)).json()) as { total: number };
      expect(settlements.total).toBeGreaterThan(0);
      const persons = (await (await fetch(`${demo.disability.url}/openapi/v1/persons`)).json()) as { items: unknown[] };
      expect(persons.items.length).toBeGreaterThan(0);
      const oracle = await fetch(`${demo.economicCheck.url}/hedui/v1/query`, { method: 'POST', body: '{"sfzh":[]}' });
      expect(await oracle.json()).toEqual({ results: [], missing: [] });

      expect(readdirSync(demo.drops.education).sort()).toEqual(['xszz_2025-2026_2.csv', 'xszz_2026-2027_1.csv']);
      expect(readdirSync(demo.drops.housing)).toEqual(['zfbz_20261031.xlsx']);
      expect(readdirSync(demo.drops.poverty)).toEqual(['fpdx_20261031.csv']);
      expect(readdirSync(demo.drops.regionStats)).toEqual(['region_stats_2026.csv']);
      expect(demo.years).toEqual([2025, 2026]);
      expect(demo.asOf).toBe('2026-10-31');

      await demo.close();
      closed = true;
      await expect(fetch(`${demo.health.url}/v2/deaths`)).rejects.toThrow();
      // The temporary drop folder goes with the registries.
      expect(existsSync(demo.drops.education)).toBe(false);
    } finally {
      if (!closed) await demo.close();
    }
  });
});
