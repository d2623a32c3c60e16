import { startEconomicCheckRegistry } from '../../src/simulator/economicCheckRegistry';
import { collectPopulation } from '../../src/simulator/population';
import type { RunningRegistry } from '../../src/simulator/registryServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ask(base: string, body: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${base}/hedui/v1/query`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
}

describe('economic-check oracle simulator', () => {
  const population = collectPopulation({ seed: 8, households: 600, messyRate: 0, invalidRate: 0 });
  const known = population.economicFacts;
  let oracle: RunningRegistry;

  beforeAll(async () => {
    oracle = await startEconomicCheckRegistry({ people: known });
  });
  afterAll(async () => {
    await oracle.close();
  });
  // Calls are spaced out so that these tests stay under the rate limit.
  afterEach(() => sleep(1100));

  it('answers every fact of each person asked, in the order asked, and lists the people it does not know', async () => {
    const [a, b] = [known[3], known[10]];
    const unknown = '110101199003070011';
    const { status, body } = await ask(oracle.url, { sfzh: [b.id, unknown, a.id] });
    expect(status).toBe(200);
    expect(body).toEqual({ results: [...b.facts, ...a.facts], missing: [unknown] });
  });

  it('reads ID numbers with spaces or a lower-case x, and misses one with a wrong check character', async () => {
    const withX = known.find((p) => p.id.endsWith('X'));
    const plain = known[0];
    const asked = [` ${plain.id} `, ...(withX ? [withX.id.toLowerCase()] : [])];
    const wrong = plain.id.slice(0, 17) + (plain.id[17] === '1' ? '2' : '1');
    const { body } = await ask(oracle.url, { sfzh: [...asked, wrong] });
    expect(body.results).toEqual([...plain.facts, ...(withX ? withX.facts : [])]);
    expect(body.missing).toEqual([wrong]);
  });

  it('refuses more than 200 ID numbers, a body that is not a list of them, and a GET', async () => {
    const many = known.slice(0, 201).map((p) => p.id);
    expect(many).toHaveLength(201);
    expect((await ask(oracle.url, { sfzh: many })).status).toBe(400);
    expect((await ask(oracle.url, { sfzh: many.slice(0, 200) })).status).toBe(200);
    await sleep(1100);
    expect((await ask(oracle.url, 'not json')).status).toBe(400);
    expect((await ask(oracle.url, { sfzh: '371002198001011232' })).status).toBe(400);
    expect((await fetch(`${oracle.url}/hedui/v1/query`)).status).toBe(405);
  });

  it('answers HTTP 429 with Retry-After to the sixth call within a second, and again after waiting', async () => {
    const calls = await Promise.all(Array.from({ length: 8 }, () => ask(oracle.url, { sfzh: [known[0].id] })));
    const refused = calls.filter((c) => c.status === 429);
    expect(calls.filter((c) => c.status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(3);
    for (const call of refused) expect(call.headers.get('retry-after')).toBe('1');
    await sleep(1100);
    expect((await ask(oracle.url, { sfzh: [known[0].id] })).status).toBe(200);
  });
});

describe('registry faults', () => {
  it('fails, slows and hangs the same requests on every run with the same seed', async () => {
    const statuses = async (): Promise<string[]> => {
      const oracle = await startEconomicCheckRegistry({ people: [], failureRate: 0.3, slowRate: 0.2, slowMs: 600, hangRate: 0.1, hangMs: 300, seed: 4, callsPerSecond: 1000 });
      try {
        const outcomes: string[] = [];
        for (let i = 0; i < 30; i++) {
          const started = Date.now();
          try {
            const response = await fetch(`${oracle.url}/hedui/v1/query`, { method: 'POST', body: '{"sfzh":[]}', signal: AbortSignal.timeout(2000) });
            await response.text();
            outcomes.push(response.status === 200 && Date.now() - started >= 590 ? 'slow' : String(response.status));
          } catch {
            outcomes.push('hung');
          }
        }
        expect(oracle.requests).toBe(30);
        return outcomes;
      } finally {
        await oracle.close();
      }
    };
    const first = await statuses();
    expect(first.filter((o) => o === '500').length).toBeGreaterThan(2);
    expect(first.filter((o) => o === 'slow').length).toBeGreaterThan(0);
    expect(first.filter((o) => o === 'hung').length).toBeGreaterThan(0);
    expect(first.every((o) => ['200', '500', 'slow', 'hung'].includes(o))).toBe(true);
    expect(await statuses()).toEqual(first);
  });
});
