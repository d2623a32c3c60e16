import { createHash } from 'node:crypto';
import { startDemoRegistries } from '../../src/simulator/demo';
import { askOracle, readCity } from './readBack';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Hashes of every API response and every drop file of a demo city of this seed. */
async function fingerprint(seed: number): Promise<{ api: string; files: Record<string, string>; responses: number }> {
  const demo = await startDemoRegistries({ seed, households: 600, assistedShare: 0.2, messyRate: 0.1, invalidRate: 0.02 });
  try {
    const city = await readCity(demo);
    // Ask the oracle about the heads of the civil-affairs households, in delivery order.
    const heads = [...new Set(city.households.map((h) => String(h.hzsfzh).trim()))].slice(0, 300);
    await askOracle(demo, heads, city.responses);
    const files: Record<string, string> = {};
    for (const [name, bytes] of city.files) files[name] = sha(bytes);
    return { api: sha(city.responses.join('\n')), files, responses: city.responses.length };
  } finally {
    await demo.close();
  }
}

describe('simulator determinism', () => {
  it('gives byte-identical API responses and drop files for the same seed, and others for another seed', async () => {
    const first = await fingerprint(21);
    const again = await fingerprint(21);
    const other = await fingerprint(22);
    expect(first.responses).toBeGreaterThan(8);
    expect(Object.keys(first.files).sort()).toEqual(['fpdx_20261031.csv', 'region_stats_2026.csv', 'xszz_2025-2026_2.csv', 'xszz_2026-2027_1.csv', 'zfbz_20261031.xlsx']);
    expect(again).toEqual(first);
    expect(other.api).not.toBe(first.api);
    for (const name of Object.keys(first.files)) expect(other.files[name]).not.toBe(first.files[name]);
  });
});
