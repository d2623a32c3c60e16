import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadJsonl, startCivilAffairsRegistry, type RunningRegistry } from '../../src/simulator/civilAffairsRegistry';
import { collectPopulation, generateHouseholds } from '../../src/simulator/population';

const SAMPLES = join(__dirname, '..', 'fixtures', 'samples', 'api', 'civil-affairs');

interface PageBody {
  data: Record<string, unknown>[];
  next_cursor: string | null;
}

async function getJson(url: string): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

/** Follows next_cursor to the end; returns each record as the raw JSON text it was served as. */
async function walk(base: string, path: string, params: Record<string, string> = {}): Promise<{ records: Record<string, unknown>[]; raw: string[]; pages: number }> {
  const records: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query = new URLSearchParams(params);
    if (cursor) query.set('cursor', cursor);
    const { status, body, text } = await getJson(`${base}${path}?${query}`);
    expect(status).toBe(200);
    pages += 1;
    const page = body as PageBody;
    records.push(...page.data);
    // The raw text of each record, cut out of the page without re-serialising it.
    const inner = text.slice(text.indexOf('[') + 1, text.lastIndexOf('],"next_cursor"'));
    if (inner.length > 0) raw.push(...splitTopLevel(inner));
    cursor = page.next_cursor;
  } while (cursor !== null);
  return { records, raw, pages };
}

/** Splits `{…},{…}` at top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function instant(record: Record<string, unknown>): number {
  return Date.parse(String(record.updated_at));
}

function expectOrdered(records: Record<string, unknown>[], keyField: string): void {
  for (let i = 1; i < records.length; i++) {
    const [a, b] = [records[i - 1], records[i]];
    expect(instant(a)).toBeLessThanOrEqual(instant(b));
    if (instant(a) === instant(b)) expect(String(a[keyField]) <= String(b[keyField])).toBe(true);
  }
}

describe('civil-affairs registry simulator', () => {
  const population = collectPopulation({ seed: 4, households: 700, assistedShare: 1 });
  let registry: RunningRegistry;

  beforeAll(async () => {
    registry = await startCivilAffairsRegistry({
      households: population.households,
      grants: population.grants,
      registrations: population.registrations,
    });
  });
  afterAll(async () => {
    await registry.close();
  });

  it('listens on the loopback interface', () => {
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
    expect(registry.port).toBeGreaterThan(0);
  });

  it.each([
    ['/api/assistance/households', 'hh_id', () => population.households],
    ['/api/assistance/grants', 'grant_id', () => population.grants],
    ['/api/registries/persons', 'reg_id', () => population.registrations],
  ])('walks %s in pages of 37: every record once, in updated_at order', async (path, keyField, records) => {
    const { raw, records: served, pages } = await walk(registry.url, path, { limit: '37' });
    const given = records().map((record) => JSON.stringify(record));
    expect(pages).toBe(Math.ceil(given.length / 37));
    expect([...raw].sort()).toEqual([...given].sort());
    expectOrdered(served, keyField);
  });

  it('filters on updated_since inclusively, comparing instants rather than strings', async () => {
    const sorted = [...population.households].sort((a, b) => instant(a as never) - instant(b as never));
    const pivot = sorted[Math.floor(sorted.length / 2)];
    // The same instant written in UTC: a string comparison would get this wrong.
    const utc = new Date(Date.parse(pivot.updated_at)).toISOString().replace('.000Z', 'Z');
    const expected = population.households.filter((h) => Date.parse(h.updated_at) >= Date.parse(pivot.updated_at));
    const { records } = await walk(registry.url, '/api/assistance/households', { updated_since: utc, limit: '500' });
    expect(records.length).toBe(expected.length);
    expect(records.some((record) => record.updated_at === pivot.updated_at && record.hh_id === pivot.hh_id)).toBe(true);
    expect(records.every((record) => instant(record) >= Date.parse(pivot.updated_at))).toBe(true);

    const offset = await walk(registry.url, '/api/assistance/households', { updated_since: pivot.updated_at, limit: '500' });
    expect(offset.records.length).toBe(expected.length);
  });

  it('reads an unencoded + in updated_since as the offset sign', async () => {
    const since = '2026-01-01T00:00:00+08:00';
    const { status, body } = await getJson(`${registry.url}/api/assistance/households?limit=500&updated_since=${since}`);
    expect(status).toBe(200);
    expect((body as PageBody).data.every((record) => instant(record) >= Date.parse(since))).toBe(true);
    expect((body as PageBody).data.length).toBeGreaterThan(0);
  });

  it('answers 400 to a malformed updated_since or limit', async () => {
    for (const query of ['updated_since=yesterday', 'updated_since=2025-02-30T00:00:00Z', 'limit=abc', 'limit=0', 'limit=-5']) {
      const { status, body } = await getJson(`${registry.url}/api/assistance/households?${query}`);
      expect(status).toBe(400);
      expect(typeof body.error).toBe('string');
    }
  });

  it('answers 400 to a malformed, tampered or foreign cursor', async () => {
    const first = await getJson(`${registry.url}/api/assistance/grants?limit=5`);
    const grantsCursor = (first.body as PageBody).next_cursor as string;
    const decoded = JSON.parse(Buffer.from(grantsCursor, 'base64url').toString('utf8'));
    decoded[3] = 'NO-SUCH-KEY';
    const tampered = Buffer.from(JSON.stringify(decoded)).toString('base64url');
    for (const cursor of ['not a cursor!', 'eyJ4IjoxfQ', tampered, grantsCursor]) {
      const { status, body } = await getJson(`${registry.url}/api/assistance/households?cursor=${encodeURIComponent(cursor)}`);
      expect(status).toBe(400);
      expect(typeof body.error).toBe('string');
    }
  });

  it('clamps a larger limit to 500 and defaults to 100', async () => {
    expect(population.households.length).toBeGreaterThan(500);
    const big = await getJson(`${registry.url}/api/assistance/households?limit=10000`);
    expect((big.body as PageBody).data).toHaveLength(500);
    expect((big.body as PageBody).next_cursor).not.toBeNull();
    const plain = await getJson(`${registry.url}/api/assistance/households`);
    expect((plain.body as PageBody).data).toHaveLength(100);
  });

  it('answers 404 to an unknown path', async () => {
    const { status } = await getJson(`${registry.url}/api/assistance/nothing`);
    expect(status).toBe(404);
  });

  it('counts the requests it received', async () => {
    const before = registry.requests;
    await getJson(`${registry.url}/api/registries/persons?limit=1`);
    await getJson(`${registry.url}/nowhere`);
    expect(registry.requests).toBe(before + 2);
  });
});

describe('civil-affairs registry pagination edge cases', () => {
  it('pages exactly through many records sharing one updated_at, duplicates included', async () => {
    const records = Array.from({ length: 120 }, (_, i) => ({ hh_id: `MZ-371002-${`${i % 90}`.padStart(6, '0')}`, seq: i, updated_at: '2025-11-02T08:30:00+08:00' }));
    const registry = await startCivilAffairsRegistry({ households: records, grants: [], registrations: [] });
    try {
      const { records: served } = await walk(registry.url, '/api/assistance/households', { limit: '7' });
      expect(served.map((r) => r.seq).sort((a, b) => Number(a) - Number(b))).toEqual(records.map((r) => r.seq));
      expectOrdered(served, 'hh_id');
    } finally {
      await registry.close();
    }
  });

  it('serves records without updated_at first, and an empty feed as one empty page', async () => {
    const registry = await startCivilAffairsRegistry({
      households: [
        { hh_id: 'B', updated_at: '2025-01-01T00:00:00+08:00' },
        { hh_id: 'A' },
      ],
      grants: [],
      registrations: [],
    });
    try {
      const households = await getJson(`${registry.url}/api/assistance/households`);
      expect((households.body as PageBody).data.map((r) => r.hh_id)).toEqual(['A', 'B']);
      const grants = await getJson(`${registry.url}/api/assistance/grants`);
      expect(grants.body).toEqual({ data: [], next_cursor: null });
    } finally {
      await registry.close();
    }
  });

  it('consumes a household iterable once, at start', async () => {
    let consumed = 0;
    function* counted() {
      for (const household of generateHouseholds({ seed: 2, households: 150, assistedShare: 1 })) {
        consumed += 1;
        yield household;
      }
    }
    const registry = await startCivilAffairsRegistry({ households: counted(), grants: [], registrations: [] });
    try {
      const atStart = consumed;
      const { records } = await walk(registry.url, '/api/assistance/households', { limit: '500' });
      expect(records.length).toBe(atStart);
      expect(consumed).toBe(atStart);
    } finally {
      await registry.close();
    }
  });

  it('fails a deterministic share of requests with 500 when asked to', async () => {
    const statuses = async (): Promise<number[]> => {
      const registry = await startCivilAffairsRegistry({ households: [], grants: [], registrations: [], failureRate: 0.3, seed: 9 });
      try {
        const result: number[] = [];
        for (let i = 0; i < 60; i++) result.push((await fetch(`${registry.url}/api/assistance/households`)).status);
        expect(registry.requests).toBe(60);
        return result;
      } finally {
        await registry.close();
      }
    };
    const first = await statuses();
    const failures = first.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
    expect(first.filter((status) => status !== 500).every((status) => status === 200)).toBe(true);
    expect(await statuses()).toEqual(first);
  });
});

describe('civil-affairs registry serving the sample files', () => {
  it.each([
    ['households.jsonl', '/api/assistance/households', 'hh_id'],
    ['grants.jsonl', '/api/assistance/grants', 'grant_id'],
    ['registries.jsonl', '/api/registries/persons', 'reg_id'],
  ])('serves %s byte for byte, in updated_at order', async (file, path, keyField) => {
    const households = path.includes('households') ? await loadJsonl(join(SAMPLES, file)) : [];
    const grants = path.includes('grants') ? await loadJsonl(join(SAMPLES, file)) : [];
    const registrations = path.includes('persons') ? await loadJsonl(join(SAMPLES, file)) : [];
    const registry = await startCivilAffairsRegistry({ households, grants, registrations });
    try {
      const lines = readFileSync(join(SAMPLES, file), 'utf8').split('\n').filter((line) => line.trim() !== '');
      const { raw, records } = await walk(registry.url, path, { limit: '10' });
      expect([...raw].sort()).toEqual([...lines].sort());
      expectOrdered(records, keyField);
    } finally {
      await registry.close();
    }
  });
});
