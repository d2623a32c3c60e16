/**
 * Reads back everything a demo city serves — the four APIs and the four drops — with the
 * independent readers, and checks that the same people appear the same way everywhere, and
 * that exactly the records listed as invalid are invalid, in the way and at the place listed —
 * as generated, and again after the registries moved on by two days.
 */
import { type DemoRegistries, startDemoRegistries } from '../../src/simulator/demo';
import type { ExpectedInvalid } from '../../src/simulator/population';
import {
  deathFindings,
  disabledPersonFindings,
  economicFactFindings,
  type Finding,
  grantFindings,
  householdFindings,
  readIdNumber,
  readRegionCode,
  registrationFindings,
  rowFindings,
  settlementFindings,
  weihaiRegionCodes,
} from './independentChecks';
import { askOracle, readCity, type ServedCity } from './readBack';

type Row = Record<string, unknown>;
const regions = weihaiRegionCodes();

/** One record as served, with where it is and what the independent reading finds wrong with it. */
interface Seen {
  feed: string;
  where: string;
  key: string;
  findings: Finding[];
  line?: number;
  row?: number;
}

const EDUCATION_KINDS = { 身份证号: 'id', 资助金额: 'amount', 区划代码: 'region' } as const;
const POVERTY_KINDS = { 户主身份证号: 'id', 成员身份证号: 'id', 家庭年人均纯收入: 'amount', 区划代码: 'region' } as const;
const PUBLIC_HOUSING_KINDS = { 申请人身份证号: 'id', '补贴金额(元/月)': 'amount', 开始日期: 'date', 结束日期: 'date', 区划代码: 'region' } as const;
const DANGEROUS_HOUSE_KINDS = { 户主身份证号: 'id', 鉴定日期: 'date', 补助金额: 'amount', 区划代码: 'region' } as const;
const REGION_STATS_KINDS = { 区划代码: 'region', '临时救助储备金(元)': 'amount', '临时救助备用金(元)': 'amount' } as const;

/** A date key part as the hub keys it: ISO when it reads as a date, else as delivered. */
function dateKey(text: string): string {
  const t = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : null;
  if (iso) return iso;
  const m = /^(\d{4})(?:(\d{2})(\d{2})|\/(\d{1,2})\/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/.exec(t);
  if (m) {
    const [mm, dd] = [m[2] ?? m[4] ?? m[6], m[3] ?? m[5] ?? m[7]];
    const date = new Date(Date.UTC(Number(m[1]), Number(mm) - 1, Number(dd)));
    if (date.getUTCMonth() === Number(mm) - 1) return date.toISOString().slice(0, 10);
  }
  if (/^\d{5}$/.test(t)) return new Date((Number(t) - 25569) * 86_400_000).toISOString().slice(0, 10);
  return t;
}

function column(header: string[], cells: string[], name: string): string {
  return cells[header.indexOf(name)] ?? '';
}

function recordsOf(city: ServedCity, facts: Row[]): Seen[] {
  const seen: Seen[] = [];
  const api = (feed: string, where: string, rows: Row[], keyOf: (r: Row) => string, findings: (r: Row) => Finding[]) => {
    for (const r of rows) seen.push({ feed, where, key: keyOf(r), findings: findings(r) });
  };
  api('civil-affairs', 'households', city.households, (r) => String(r.hh_id), (r) => householdFindings(r, regions.all));
  api('civil-affairs', 'grants', city.grants, (r) => String(r.grant_id), (r) => grantFindings(r, regions.all));
  api('civil-affairs', 'registries', city.registrations, (r) => String(r.reg_id), (r) => registrationFindings(r, regions.all));
  api('health', 'settlements', city.settlements, (r) => String(r.jsid), settlementFindings);
  api('health', 'deaths', city.deaths, (r) => String(r.swzmbh), (r) => deathFindings(r, regions.all));
  api('disability', 'persons', city.disabledPersons, (r) => String(r.certNo), (r) => disabledPersonFindings(r, regions.all));
  api('economic-check', 'facts', facts, (r) => [r.sfzh, r.source, r.item, dateKey(String(r.as_of))].join('|'), economicFactFindings);

  for (const [file, content] of city.csv) {
    const { header } = content;
    for (const { line, cells } of content.rows) {
      const c = (name: string) => column(header, cells, name).trim();
      if (file.startsWith('xszz_')) {
        seen.push({ feed: 'education', where: file, key: `${c('学籍号')}|${c('资助项目')}|${c('学年')}_${c('学期')}`, findings: rowFindings(header, cells, EDUCATION_KINDS, regions.all), line });
      } else if (file.startsWith('fpdx_')) {
        seen.push({ feed: 'poverty-relief', where: file, key: `${c('户编号')}|${c('成员身份证号')}`, findings: rowFindings(header, cells, POVERTY_KINDS, regions.all), line });
      } else {
        seen.push({ feed: 'region-stats', where: file, key: `${c('区划代码')}|${c('年度')}`, findings: rowFindings(header, cells, REGION_STATS_KINDS, regions.all), line });
      }
    }
  }
  for (const [file, sheets] of city.workbooks) for (const [sheet, content] of sheets) {
    const { header } = content;
    for (const { row, cells } of content.rows) {
      const c = (name: string) => column(header, cells, name).trim();
      const where = `${file}/${sheet}`;
      if (sheet === '保障房') {
        seen.push({ feed: 'housing', where, key: `${c('申请人身份证号')}|${c('保障方式')}|${dateKey(c('开始日期'))}`, findings: rowFindings(header, cells, PUBLIC_HOUSING_KINDS, regions.all), row });
      } else {
        seen.push({ feed: 'housing', where, key: `${c('户主身份证号')}|${dateKey(c('鉴定日期'))}`, findings: rowFindings(header, cells, DANGEROUS_HOUSE_KINDS, regions.all), row });
      }
    }
  }
  return seen;
}

describe.each([
  ['as generated', 0],
  ['after the registries moved on two days', 2],
])('a demo city read back from every feed, %s', (_, days) => {
  let demo: DemoRegistries;
  let city: ServedCity;
  let facts: Row[];
  let seen: Seen[];

  beforeAll(async () => {
    demo = await startDemoRegistries({ seed: 17, households: 1200, assistedShare: 0.25, messyRate: 0.3, invalidRate: 0.03 });
    for (let day = 0; day < days; day++) await demo.advance({ share: 0.05 });
    city = await readCity(demo);
    // The nightly check asks about every member of the assisted households.
    const members = new Set<string>();
    for (const household of city.households) {
      for (const m of household.members as Row[]) {
        const id = readIdNumber(String(m.sfzh)).id;
        if (id) members.add(id);
      }
    }
    facts = await askOracle(demo, [...members]);
    seen = recordsOf(city, facts);
  });
  afterAll(async () => {
    await demo.close();
  });

  it('lists exactly the records that are invalid, with the reason, field and place of the fault', () => {
    const listed = new Map<string, ExpectedInvalid>();
    for (const entry of demo.expectedInvalid) listed.set(`${entry.feed}|${entry.where}|${entry.key}`, entry);
    expect(listed.size).toBe(demo.expectedInvalid.length);
    const feeds = new Set(demo.expectedInvalid.map((e) => e.feed));
    expect([...feeds].sort()).toEqual(['civil-affairs', 'disability', 'economic-check', 'education', 'health', 'housing', 'poverty-relief', 'region-stats']);

    const found = new Set<string>();
    const unlistedFaults: unknown[] = [];
    const mismatches: unknown[] = [];
    for (const record of seen) {
      const id = `${record.feed}|${record.where}|${record.key}`;
      const entry = listed.get(id);
      if (!entry) {
        if (record.findings.length > 0) unlistedFaults.push({ id, findings: record.findings });
        continue;
      }
      found.add(id);
      const expected = { findings: [{ reason: entry.reason, field: entry.field }], line: entry.line, row: entry.row };
      const actual = { findings: record.findings, line: entry.line === undefined ? undefined : record.line, row: entry.row === undefined ? undefined : record.row };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push({ id, expected, actual });
    }
    expect(unlistedFaults).toEqual([]);
    expect(mismatches).toEqual([]);
    expect([...listed.keys()].filter((id) => !found.has(id))).toEqual([]);
    expect(found.size).toBeGreaterThan(50);
  });

  it('names every person by one name and places them in one village in every feed', () => {
    const invalid = new Set(demo.expectedInvalid.map((e) => `${e.feed}|${e.key}`));
    const names = new Map<string, Set<string>>();
    const places = new Map<string, Set<string>>();
    const feedsOf = new Map<string, Set<string>>();
    const unreadable: unknown[] = [];
    const note = (feed: string, key: string, rawId: unknown, name: unknown, region?: unknown) => {
      if (invalid.has(`${feed}|${key}`)) return;
      const id = readIdNumber(String(rawId)).id;
      if (id === undefined) unreadable.push({ feed, key, rawId });
      const person = id as string;
      if (name !== undefined) names.set(person, (names.get(person) ?? new Set()).add(String(name).trim()));
      if (region !== undefined) places.set(person, (places.get(person) ?? new Set()).add(readRegionCode(String(region)) as string));
      feedsOf.set(person, (feedsOf.get(person) ?? new Set()).add(feed));
    };
    for (const h of city.households) for (const m of h.members as Row[]) note('civil-affairs', String(h.hh_id), m.sfzh, m.xm, h.qhdm);
    for (const g of city.grants) note('civil-affairs', String(g.grant_id), g.sfzh, g.xm, g.qhdm);
    for (const r of city.registrations) note('civil-affairs', String(r.reg_id), r.sfzh, r.xm, r.qhdm);
    for (const s of city.settlements) note('health', String(s.jsid), s.sfzh, s.xm);
    for (const d of city.deaths) note('health', String(d.swzmbh), d.sfzh, d.xm, d.qhdm);
    for (const p of city.disabledPersons) note('disability', String(p.certNo), p.idCard, p.name, p.regionCode);
    for (const [file, content] of city.csv) {
      const c = (cells: string[], name: string) => column(content.header, cells, name);
      for (const { cells } of content.rows) {
        if (file.startsWith('xszz_')) {
          const key = `${c(cells, '学籍号').trim()}|${c(cells, '资助项目').trim()}|${c(cells, '学年').trim()}_${c(cells, '学期').trim()}`;
          note('education', key, c(cells, '身份证号'), c(cells, '姓名'), c(cells, '区划代码'));
        } else if (file.startsWith('fpdx_')) {
          note('poverty-relief', `${c(cells, '户编号').trim()}|${c(cells, '成员身份证号').trim()}`, c(cells, '成员身份证号'), c(cells, '成员姓名'), c(cells, '区划代码'));
        }
      }
    }
    for (const [sheet, content] of city.sheets) {
      for (const { cells } of content.rows) {
        const c = (name: string) => column(content.header, cells, name);
        const idColumn = sheet === '保障房' ? '申请人身份证号' : '户主身份证号';
        const key = sheet === '保障房' ? `${c(idColumn).trim()}|${c('保障方式').trim()}|${dateKey(c('开始日期'))}` : `${c(idColumn).trim()}|${dateKey(c('鉴定日期'))}`;
        note('housing', key, c(idColumn), c(sheet === '保障房' ? '申请人姓名' : '户主姓名'), c('区划代码'));
      }
    }
    for (const f of facts) note('economic-check', [f.sfzh, f.source, f.item, dateKey(String(f.as_of))].join('|'), f.sfzh, undefined);

    expect(unreadable).toEqual([]);
    expect([...names].filter(([, set]) => set.size !== 1).map(([id, set]) => ({ id, names: [...set] }))).toEqual([]);
    // Codes at the town or county level are the same place written coarser: each is a prefix of the village's.
    const elsewhere = [...places].filter(([, set]) => {
      const codes = [...set];
      const longest = codes.reduce((a, b) => (b.length > a.length ? b : a));
      return codes.some((code) => !longest.startsWith(code) || !regions.all.has(code));
    });
    expect(elsewhere.map(([id, set]) => ({ id, codes: [...set] }))).toEqual([]);
    expect(places.size).toBeGreaterThan(1000);
    // The same people, across departments.
    const inMany = [...feedsOf.values()].filter((feeds) => feeds.size >= 4).length;
    expect(inMany).toBeGreaterThan(20);
  });

  it('lists a poverty-relief household with the members and relations of the civil-affairs household of the same head', () => {
    const newest = new Map<string, Row>();
    for (const h of city.households) {
      const head = readIdNumber(String(h.hzsfzh)).id as string;
      const seenBefore = newest.get(head);
      if (!seenBefore || Date.parse(String(h.updated_at)) >= Date.parse(String(seenBefore.updated_at))) newest.set(head, h);
    }
    // The newest snapshot: the names sort by date.
    const poverty = [...city.csv.entries()].filter(([file]) => file.startsWith('fpdx_')).sort(([a], [b]) => (a < b ? -1 : 1)).pop()![1];
    const invalid = new Set(demo.expectedInvalid.filter((e) => e.feed === 'poverty-relief').map((e) => e.key));
    const byHousehold = new Map<string, { head: string; members: Map<string, string> }>();
    for (const { cells } of poverty.rows) {
      const c = (name: string) => column(poverty.header, cells, name).trim();
      if (invalid.has(`${c('户编号')}|${c('成员身份证号')}`)) continue;
      const entry = byHousehold.get(c('户编号')) ?? { head: readIdNumber(c('户主身份证号')).id as string, members: new Map() };
      const relation = { 户主: '01', 配偶: '02', 之子: '1', 之女: '2', 孙子: '3', 父亲: '51', 母亲: '52', 其他: '99' }[c('与户主关系')] ?? c('与户主关系');
      entry.members.set(readIdNumber(c('成员身份证号')).id as string, relation);
      byHousehold.set(c('户编号'), entry);
      expect(c('户编号').startsWith(readRegionCode(c('区划代码'))!.slice(0, 9))).toBe(true);
    }
    let compared = 0;
    for (const { head, members } of byHousehold.values()) {
      const household = newest.get(head);
      if (!household || household.deleted) continue;
      compared += 1;
      const listed = new Map((household.members as Row[]).map((m) => [readIdNumber(String(m.sfzh)).id as string, String(m.yhzgx)]));
      for (const [id, relation] of members) {
        expect(listed.has(id)).toBe(true);
        const code = listed.get(id) as string;
        const word = { 户主: '01', 配偶: '02', 之子: '1', 之女: '2', 孙子: '3', 父亲: '51', 母亲: '52', 其他: '99' }[code] ?? code;
        expect(relation.startsWith(word) || word.startsWith(relation)).toBe(true);
      }
    }
    expect(compared).toBeGreaterThan(5);
  });
});
