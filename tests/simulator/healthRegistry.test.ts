import { type RunningHealthRegistry, startHealthRegistry } from '../../src/simulator/healthRegistry';
import { collectPopulation } from '../../src/simulator/population';

interface PageBody {
  total: number;
  page: number;
  rows: Record<string, unknown>[];
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: JSON.parse(await response.text()) };
}

/** Reads pages 1, 2, … until the rows reach the total. */
async function walk(base: string, path: string, params: Record<string, string>): Promise<{ rows: Record<string, unknown>[]; pages: number; totals: Set<number> }> {
  const rows: Record<string, unknown>[] = [];
  const totals = new Set<number>();
  let page = 1;
  for (;;) {
    const { status, body } = await getJson(`${base}${path}?${new URLSearchParams({ ...params, page: String(page) })}`);
    expect(status).toBe(200);
    const p = body as PageBody;
    expect(p.page).toBe(page);
    totals.add(p.total);
    rows.push(...p.rows);
    if (p.rows.length === 0 || rows.length >= p.total) return { rows, pages: page, totals };
    page += 1;
  }
}

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('health registry simulator', () => {
  const population = collectPopulation({ seed: 5, households: 3000, messyRate: 0, invalidRate: 0 });
  let registry: RunningHealthRegistry;

  beforeAll(async () => {
    registry = await startHealthRegistry({ settlements: population.settlements, deaths: population.deaths });
  });
  afterAll(async () => {
    await registry.close();
  });

  it('walks a year of settlements in pages: each once, ordered by settlement date, with a constant total', async () => {
    const expected = population.settlements.filter((s) => s.record.jsrq.startsWith('2026')).map((s) => s.record.jsid);
    expect(expected.length).toBeGreaterThan(100);
    const { rows, pages, totals } = await walk(registry.url, '/v2/medical/settlements', { year: '2026', size: '97' });
    expect(pages).toBe(Math.ceil(expected.length / 97));
    expect([...totals]).toEqual([expected.length]);
    expect(rows.map((r) => r.jsid).sort()).toEqual([...expected].sort());
    for (let i = 1; i < rows.length; i++) expect(String(rows[i - 1].jsrq) <= String(rows[i].jsrq)).toBe(true);
  });

  it('keeps each year apart and answers an empty year with no rows', async () => {
    const { rows } = await walk(registry.url, '/v2/medical/settlements', { year: '2025', size: '1000' });
    expect(rows.length).toBe(population.settlements.filter((s) => s.record.jsrq.startsWith('2025')).length);
    expect(rows.every((r) => String(r.jsrq).startsWith('2025'))).toBe(true);
    const empty = await getJson(`${registry.url}/v2/medical/settlements?year=2019`);
    expect(empty).toEqual({ status: 200, body: { total: 0, page: 1, rows: [] } });
  });

  it('clamps size to 1000, defaults to 100, and answers a page past the end with no rows', async () => {
    const big = await getJson(`${registry.url}/v2/medical/settlements?year=2026&size=5000`);
    expect(big.body.rows).toHaveLength(Math.min(1000, big.body.total));
    const plain = await getJson(`${registry.url}/v2/medical/settlements?year=2026`);
    expect(plain.body.rows).toHaveLength(100);
    const past = await getJson(`${registry.url}/v2/medical/settlements?year=2026&page=9999&size=1000`);
    expect(past.body).toEqual({ total: plain.body.total, page: 9999, rows: [] });
  });

  it('answers 400 to a missing or malformed year, page or size', async () => {
    for (const query of ['', 'year=26', 'year=2026&page=0', 'year=2026&page=x', 'year=2026&size=0', 'year=2026&size=-3']) {
      const { status, body } = await getJson(`${registry.url}/v2/medical/settlements?${query}`);
      expect(status).toBe(400);
      expect(typeof body.error).toBe('string');
    }
  });

  it('filters deaths on the date of death, inclusively', async () => {
    const deaths = [...population.deaths].sort((a, b) => a.day - b.day);
    expect(deaths.length).toBeGreaterThan(20);
    const pivot = deaths[Math.floor(deaths.length / 2)].record.swrq;
    const expected = deaths.filter((d) => d.record.swrq >= pivot).map((d) => d.record.swzmbh).sort();
    const { rows } = await walk(registry.url, '/v2/deaths', { since: pivot, size: '7' });
    expect(rows.map((r) => r.swzmbh).sort()).toEqual(expected);
    expect(rows.some((r) => r.swrq === pivot)).toBe(true);
    const all = await walk(registry.url, '/v2/deaths', { size: '1000' });
    expect(all.rows).toHaveLength(deaths.length);
  });

  it('answers 400 to a since that is not a real YYYY-MM-DD day', async () => {
    for (const since of ['2025-02-30', '20250101', 'yesterday']) {
      expect((await getJson(`${registry.url}/v2/deaths?since=${since}`)).status).toBe(400);
    }
  });

  it('answers 404 to an unknown path and 405 to a POST', async () => {
    expect((await getJson(`${registry.url}/v2/nothing`)).status).toBe(404);
    expect((await fetch(`${registry.url}/v2/deaths`, { method: 'POST', body: '{}' })).status).toBe(405);
  });
});

describe('health registry clock', () => {
  it('serves a late-registered death only once the clock reaches its registration day', async () => {
    const registry = await startHealthRegistry({
      deaths: [
        { record: { swzmbh: 'SZ1', swrq: '2026-03-01' }, day: day('2026-03-01'), registeredOn: day('2026-03-02') },
        { record: { swzmbh: 'SZ2', swrq: '2026-03-05' }, day: day('2026-03-05'), registeredOn: day('2026-08-20') },
      ],
      clock: '2026-06-30',
    });
    try {
      const early = await getJson(`${registry.url}/v2/deaths?since=2026-01-01`);
      expect(early.body).toEqual({ total: 1, page: 1, rows: [{ swzmbh: 'SZ1', swrq: '2026-03-01' }] });
      registry.setClock('2026-08-20');
      const later = await getJson(`${registry.url}/v2/deaths?since=2026-01-01`);
      expect(later.body.rows.map((r: { swzmbh: string }) => r.swzmbh)).toEqual(['SZ1', 'SZ2']);
      registry.setClock(null);
      expect((await getJson(`${registry.url}/v2/deaths`)).body.total).toBe(2);
    } finally {
      await registry.close();
    }
  });
});
