import { startDemoRegistries } from '../../src/simulator/demo';

describe('demo registries', () => {
  it('serves a generated population on the civil-affairs endpoints until closed', async () => {
    const demo = await startDemoRegistries({ seed: 3, households: 60 });
    let closed = false;
    try {
      expect(demo.civilAffairs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${demo.civilAffairs.url}/api/assistance/households?limit=500`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { hh_id: string }[]; next_cursor: string | null };
      expect(new Set(body.data.map((h) => h.hh_id)).size).toBe(60);
      await demo.close();
      closed = true;
      await expect(fetch(`${demo.civilAffairs.url}/api/assistance/households`)).rejects.toThrow();
    } finally {
      if (!closed) await demo.close();
    }
  });
});
