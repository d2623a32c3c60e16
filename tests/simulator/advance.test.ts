/**
 * The registries move on by a day: read everything, advance, and read again as a hub would with
 * the bookmarks of the first read — the APIs answer exactly the changed records, about the
 * share asked for; the drops hold the next day's files; the same seed gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { type AdvanceCounts, type DemoRegistries, startDemoRegistries } from '../../src/simulator/demo';
import { generatePopulation } from '../../src/simulator/population';
import { readIdNumber } from './independentChecks';
import { askOracle, readCity, type ServedCity } from './readBack';

type Row = Record<string, unknown>;
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const NEXT_DAY = '2026-11-01';
const OPTIONS = { seed: 31, households: 1500, assistedShare: 0.3, messyRate: 0.05, invalidRate: 0.01 };
const SHARE = 0.05;

async function json(url: string): Promise<Row> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as Row;
}

/** Every record of a civil-affairs endpoint updated since an instant, walking the cursors. */
async function updatedSince(demo: DemoRegistries, path: string, since: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const body = await json(`${demo.civilAffairs.url}${path}?updated_since=${encodeURIComponent(since)}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    rows.push(...(body.data as Row[]));
    cursor = body.next_cursor as string | null;
  } while (cursor);
  return rows;
}

async function modifiedAfter(demo: DemoRegistries, after: string): Promise<Row[]> {
  const rows: Row[] = [];
  let token: string | null = null;
  do {
    const body = await json(`${demo.disability.url}/openapi/v1/persons?modifiedAfter=${encodeURIComponent(after)}&pageSize=200${token ? `&pageToken=${token}` : ''}`);
    rows.push(...(body.items as Row[]));
    token = body.nextPageToken as string | null;
  } while (token);
  return rows;
}

/** The newest version of each key, as JSON text. */
function newest(rows: Row[], key: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of rows) out.set(String(row[key]), JSON.stringify(row));
  return out;
}

/** The instant just after the newest version read: the bookmark a hub keeps (updated_since is inclusive). */
function bookmarkAfter(rows: Row[], field: string): string {
  return new Date(Math.max(...rows.map((r) => Date.parse(String(r[field])))) + 1000).toISOString();
}

const idOf = (raw: unknown) => readIdNumber(String(raw)).id;

describe('the registries moving on by a day', () => {
  let demo: DemoRegistries;
  let before: ServedCity;
  let after: ServedCity;
  let counts: AdvanceCounts;
  let disabilityBookmark: string;

  beforeAll(async () => {
    demo = await startDemoRegistries(OPTIONS);
    before = await readCity(demo);
    disabilityBookmark = before.disabledPersons.map((p) => String(p.modifiedAt)).sort((a, b) => Date.parse(a) - Date.parse(b)).pop()!;
    counts = await demo.advance({ share: SHARE });
    after = await readCity(demo);
  });
  afterAll(async () => {
    await demo.close();
  });

  it('moves the as-of day on by one', () => {
    expect(counts.asOf).toBe(NEXT_DAY);
    expect(demo.asOf).toBe(NEXT_DAY);
  });

  it('changes about the share asked for of every API feed', () => {
    for (const feed of ['civil-affairs/households', 'health/settlements', 'disability/persons', 'economic-check/people']) {
      const share = counts.records[feed] / demo.counts.records[feed];
      expect({ feed, near: share > SHARE * 0.6 && share < SHARE * 1.5 }).toEqual({ feed, near: true });
    }
    for (const feed of ['civil-affairs/grants', 'civil-affairs/registries', 'health/deaths', 'education/rows', 'poverty-relief/rows', 'housing/保障房']) {
      expect({ feed, changed: counts.records[feed] > 0 }).toEqual({ feed, changed: true });
    }
  });

  it('answers exactly the changed civil-affairs records to the bookmark of the first read, after the older versions', async () => {
    for (const [path, key, list, feed] of [
      ['/api/assistance/households', 'hh_id', 'households', 'civil-affairs/households'],
      ['/api/assistance/grants', 'grant_id', 'grants', 'civil-affairs/grants'],
      ['/api/registries/persons', 'reg_id', 'registrations', 'civil-affairs/registries'],
    ] as const) {
      const changed = await updatedSince(demo, path, bookmarkAfter(before[list], 'updated_at'));
      expect(changed.length).toBe(counts.records[feed]);
      const previous = newest(before[list], key);
      for (const record of changed) {
        expect(String(record.updated_at).startsWith(NEXT_DAY)).toBe(true);
        // A new version says something new, or the key is new.
        expect(previous.get(String(record[key]))).not.toBe(JSON.stringify({ ...record, updated_at: JSON.parse(previous.get(String(record[key])) ?? '{}').updated_at }));
      }
      // The full feed is the old one with the changed records after it.
      expect(after[list].length).toBe(before[list].length + changed.length);
      expect(after[list].slice(0, before[list].length)).toEqual(before[list]);
      expect(after[list].slice(before[list].length)).toEqual(changed);
    }
  });

  it('gives the civil-affairs records of life: members leaving and born, amounts and enrollments changed, new households', async () => {
    const previous = new Map(before.households.map((h) => [String(h.hh_id), h]));
    const changed = after.households.slice(before.households.length);
    const kinds = new Set<string>();
    for (const household of changed) {
      const old = previous.get(String(household.hh_id));
      if (!old) {
        kinds.add('new household');
        continue;
      }
      const members = (h: Row) => (h.members as Row[]).map((m) => idOf(m.sfzh));
      if (members(household).length < members(old).length) kinds.add('member left');
      if (members(household).length > members(old).length) kinds.add('member born');
      if (JSON.stringify((household.enrollments as Row[]).map((e) => e.bzje)) !== JSON.stringify((old.enrollments as Row[]).map((e) => e.bzje))) kinds.add('amount');
      if ((household.enrollments as Row[]).some((e, i) => e.zzrq !== (old.enrollments as Row[])[i].zzrq)) kinds.add('enrollment ended');
    }
    expect([...kinds].sort()).toEqual(['amount', 'enrollment ended', 'member born', 'member left', 'new household']);
  });

  it('answers exactly the changed certificates after the bookmark, each a new version of a known certificate', async () => {
    const changed = await modifiedAfter(demo, disabilityBookmark);
    expect(changed.length).toBe(counts.records['disability/persons']);
    const previous = newest(before.disabledPersons, 'certNo');
    for (const record of changed) {
      expect(String(record.modifiedAt).startsWith(NEXT_DAY)).toBe(true);
      expect(previous.has(String(record.certNo))).toBe(true);
      expect(JSON.stringify({ ...record, modifiedAt: '' })).not.toBe(JSON.stringify({ ...JSON.parse(previous.get(String(record.certNo))!), modifiedAt: '' }));
    }
  });

  it("adds the day's settlements after the year's others and corrects some in place, withdrawing none", () => {
    const year = (rows: Row[]) => rows.filter((r) => String(r.jsid).startsWith('JS2026'));
    const old = newest(year(before.settlements), 'jsid');
    const now = year(after.settlements);
    const added = now.filter((r) => !old.has(String(r.jsid)));
    const corrected = now.filter((r) => old.has(String(r.jsid)) && old.get(String(r.jsid)) !== JSON.stringify(r));
    expect(now.length).toBe(old.size + added.length);
    expect(now.slice(now.length - added.length)).toEqual(added);
    expect(corrected.length).toBeGreaterThan(0);
    expect(added.length + corrected.length).toBe(counts.records['health/settlements']);
    for (const row of corrected) {
      const was = JSON.parse(old.get(String(row.jsid))!) as Row;
      // Insurance paid more, the patient less, the total the same.
      expect({ zfy: row.zfy, jsrq: row.jsrq, more: Number(row.ybbx) > Number(was.ybbx), less: Number(row.grzf) < Number(was.grzf) }).toEqual({ zfy: was.zfy, jsrq: was.jsrq, more: true, less: true });
    }
  });

  it('certifies deaths of the day for people the other registries know, who were alive', async () => {
    const body = await json(`${demo.health.url}/v2/deaths?since=${NEXT_DAY}&size=1000`);
    const deaths = body.rows as Row[];
    expect(deaths.length).toBe(counts.records['health/deaths']);
    expect(deaths.length).toBeGreaterThan(0);
    const dead = new Set(before.deaths.map((d) => idOf(d.sfzh)));
    const known = new Map<string, string>();
    for (const p of before.disabledPersons) known.set(idOf(p.idCard) ?? '', String(p.name));
    for (const h of before.households) for (const m of h.members as Row[]) known.set(idOf(m.sfzh) ?? '', String(m.xm));
    const invalid = new Set(demo.expectedInvalid.map((e) => e.key));
    for (const death of deaths.filter((d) => !invalid.has(String(d.swzmbh)))) {
      const id = idOf(death.sfzh) as string;
      expect(dead.has(id)).toBe(false);
      expect(known.get(id)).toBe(String(death.xm).trim());
    }
    // Nobody who died today gets a new certificate version or grant today.
    const today = new Set(deaths.map((d) => idOf(d.sfzh)));
    for (const p of after.disabledPersons.slice(before.disabledPersons.length)) expect(today.has(idOf(p.idCard))).toBe(false);
    for (const g of after.grants.slice(before.grants.length)) expect(today.has(idOf(g.sfzh))).toBe(false);
  });

  it("answers the economic check's new values as facts of the new day, beside the older ones", async () => {
    const people = new Set<string>();
    for (const family of generatePopulation(OPTIONS)) for (const person of family.economicFacts) people.add(person.id);
    const facts = await askOracle(demo, [...people]);
    const today = facts.filter((f) => f.as_of === NEXT_DAY);
    expect(today.length).toBe(counts.records['economic-check/facts']);
    expect(new Set(today.map((f) => f.sfzh)).size).toBe(counts.records['economic-check/people']);
    for (const fact of today.slice(0, 50)) {
      const older = facts.filter((f) => f.sfzh === fact.sfzh && f.source === fact.source && f.item === fact.item && f.as_of !== NEXT_DAY);
      expect(older.length).toBeGreaterThan(0);
    }
  });

  it("drops the next day's poverty snapshot and housing workbook under new names, and re-delivers the term corrected", () => {
    const names = (city: ServedCity) => [...city.files.keys()].sort();
    expect(names(after).filter((name) => !before.files.has(name)).sort()).toEqual(['fpdx_20261101.csv', 'zfbz_20261101.xlsx']);
    for (const name of names(before)) {
      const changed = name === 'xszz_2026-2027_1.csv';
      expect({ name, same: sha(after.files.get(name)!) === sha(before.files.get(name)!) }).toEqual({ name, same: !changed });
    }

    const keyed = (city: ServedCity, file: string) => {
      const { header, rows } = city.csv.get(file)!;
      const at = (name: string) => header.indexOf(name);
      return new Map(rows.map(({ cells }) => [`${cells[at('户编号')]}|${cells[at('成员身份证号')]}`, cells.join(',')]));
    };
    const old = keyed(before, 'fpdx_20261031.csv');
    const fresh = keyed(after, 'fpdx_20261101.csv');
    const differing = [...old].filter(([key, line]) => fresh.get(key) !== line).length;
    expect(differing).toBe(counts.records['poverty-relief/rows']);

    const rowsOf = (city: ServedCity, file: string, sheet: string) => city.workbooks.get(file)!.get(sheet)!.rows.map((r) => r.cells.join('|'));
    for (const sheet of ['保障房', '危房'] as const) {
      const was = rowsOf(after, 'zfbz_20261031.xlsx', sheet);
      const now = rowsOf(after, 'zfbz_20261101.xlsx', sheet);
      expect(now.length).toBe(was.length);
      expect(now.filter((row, i) => row !== was[i]).length).toBe(counts.records[`housing/${sheet}`]);
    }

    const term = (city: ServedCity) => city.csv.get('xszz_2026-2027_1.csv')!.rows.map((r) => r.cells.join(','));
    const [was, now] = [term(before), term(after)];
    expect(now.length).toBe(was.length);
    expect(now.filter((row, i) => row !== was[i]).length).toBe(counts.records['education/rows']);
  });
});

describe('simulator determinism across days', () => {
  /** Hashes of everything served after the given number of days. */
  async function fingerprint(seed: number, days: number): Promise<{ counts: AdvanceCounts[]; api: string; files: Record<string, string>; invalid: string }> {
    const demo = await startDemoRegistries({ seed, households: 600, assistedShare: 0.2, messyRate: 0.1, invalidRate: 0.02 });
    try {
      const counts: AdvanceCounts[] = [];
      for (let day = 0; day < days; day++) counts.push(await demo.advance({ share: 0.05 }));
      const city = await readCity(demo);
      const members = [...new Set(city.households.flatMap((h) => (h.members as Row[]).map((m) => idOf(m.sfzh) as string)))].filter(Boolean);
      await askOracle(demo, members, city.responses);
      const files: Record<string, string> = {};
      for (const [name, bytes] of city.files) files[name] = sha(bytes);
      return { counts, api: sha(city.responses.join('\n')), files, invalid: sha(JSON.stringify(demo.expectedInvalid)) };
    } finally {
      await demo.close();
    }
  }

  it('gives byte-identical responses and files for the same seed and days, and others a day later', async () => {
    const first = await fingerprint(21, 1);
    const again = await fingerprint(21, 1);
    const unmoved = await fingerprint(21, 0);
    expect(again).toEqual(first);
    expect(Object.keys(first.files).sort()).toEqual([
      'fpdx_20261031.csv', 'fpdx_20261101.csv', 'region_stats_2026.csv', 'xszz_2025-2026_2.csv', 'xszz_2026-2027_1.csv', 'zfbz_20261031.xlsx', 'zfbz_20261101.xlsx',
    ]);
    expect(first.api).not.toBe(unmoved.api);
    expect(first.files['xszz_2026-2027_1.csv']).not.toBe(unmoved.files['xszz_2026-2027_1.csv']);
    expect(first.files['fpdx_20261031.csv']).toBe(unmoved.files['fpdx_20261031.csv']);
  });
});
