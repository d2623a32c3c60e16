import { startDisabilityRegistry } from '../../src/simulator/disabilityRegistry';
import { collectPopulation } from '../../src/simulator/population';
import type { RunningRegistry } from '../../src/simulator/registryServer';

interface PageBody {
  items: Record<string, unknown>[];
  nextPageToken: string | null;
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: JSON.parse(await response.text()) };
}

async function walk(base: string, params: Record<string, string>): Promise<{ items: Record<string, unknown>[]; pages: number }> {
  const items: Record<string, unknown>[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const query = new URLSearchParams(params);
    if (token) query.set('pageToken', token);
    const { status, body } = await getJson(`${base}/openapi/v1/persons?${query}`);
    expect(status).toBe(200);
    pages += 1;
    items.push(...(body as PageBody).items);
    token = (body as PageBody).nextPageToken;
  } while (token !== null);
  return { items, pages };
}

const instant = (item: Record<string, unknown>) => Date.parse(String(item.modifiedAt));

describe('disability registry simulator', () => {
  const population = collectPopulation({ seed: 6, households: 2500, messyRate: 0, invalidRate: 0 });
  const versions = population.disabledPersons;
  let registry: RunningRegistry;

  beforeAll(async () => {
    registry = await startDisabilityRegistry({ persons: versions });
  });
  afterAll(async () => {
    await registry.close();
  });

  it('walks every certificate version once, in modifiedAt order, by page tokens', async () => {
    expect(versions.length).toBeGreaterThan(200);
    const { items, pages } = await walk(registry.url, { pageSize: '37' });
    expect(pages).toBe(Math.ceil(versions.length / 37));
    expect(items.map((i) => JSON.stringify(i)).sort()).toEqual(versions.map((v) => JSON.stringify(v.record)).sort());
    for (let i = 1; i < items.length; i++) expect(instant(items[i - 1])).toBeLessThanOrEqual(instant(items[i]));
  });

  it('serves only versions modified strictly after modifiedAfter, comparing instants', async () => {
    const sorted = [...versions].sort((a, b) => a.at - b.at);
    const pivot = sorted[Math.floor(sorted.length / 2)];
    const utc = new Date(pivot.at).toISOString();
    const expected = versions.filter((v) => v.at > pivot.at).length;
    const { items } = await walk(registry.url, { modifiedAfter: utc, pageSize: '200' });
    expect(items).toHaveLength(expected);
    expect(items.every((i) => instant(i) > pivot.at)).toBe(true);
    const sameInOffsetForm = await walk(registry.url, { modifiedAfter: pivot.record.modifiedAt, pageSize: '200' });
    expect(sameInOffsetForm.items).toHaveLength(expected);
  });

  it('clamps pageSize to 200 and defaults to 100', async () => {
    expect((await getJson(`${registry.url}/openapi/v1/persons?pageSize=1000`)).body.items).toHaveLength(200);
    expect((await getJson(`${registry.url}/openapi/v1/persons`)).body.items).toHaveLength(100);
  });

  it('answers 400 to a malformed, tampered or unknown page token, and to a bad modifiedAfter', async () => {
    const first = (await getJson(`${registry.url}/openapi/v1/persons?pageSize=3`)).body as PageBody;
    const decoded = JSON.parse(Buffer.from(first.nextPageToken as string, 'base64url').toString('utf8'));
    decoded[3] = 999_999;
    const tampered = Buffer.from(JSON.stringify(decoded)).toString('base64url');
    for (const query of ['pageToken=not%20a%20token', 'pageToken=eyJ4IjoxfQ', `pageToken=${tampered}`, 'modifiedAfter=soon', 'pageSize=0']) {
      const { status, body } = await getJson(`${registry.url}/openapi/v1/persons?${query}`);
      expect(status).toBe(400);
      expect(typeof body.error).toBe('string');
    }
  });

  it('pages exactly through many versions sharing one modifiedAt', async () => {
    const at = '2025-05-01T10:00:00+08:00';
    const same = Array.from({ length: 45 }, (_, i) => ({ record: { certNo: `C${i % 30}`, seq: i, modifiedAt: at }, at: Date.parse(at) }));
    const shared = await startDisabilityRegistry({ persons: same });
    try {
      const { items } = await walk(shared.url, { pageSize: '4' });
      expect(items.map((i) => i.seq)).toEqual(same.map((s) => s.record.seq));
      expect((await walk(shared.url, { modifiedAfter: at })).items).toEqual([]);
    } finally {
      await shared.close();
    }
  });
});
