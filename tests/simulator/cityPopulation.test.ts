/**
 * The whole city at the rates of real life: household sizes, the share in civil-affairs
 * programmes, deaths, disabilities, hospital stays, schooling, housing and poverty relief — and
 * the situations the rules look for, each present but rare.
 */
import { collectPopulation, generatePopulation, type Population } from '../../src/simulator/population';
import { readIdNumber, weihaiVillageNames } from './independentChecks';

const AS_OF = '2026-10-31';
const villages = weihaiVillageNames();
const rural = (code: string) => /村委会|村民委员会/.test(villages.get(code) ?? '');
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

function newestHouseholds(population: Population) {
  const newest = new Map<string, Population['households'][number]>();
  for (const h of population.households) {
    const seen = newest.get(h.hh_id);
    if (!seen || Date.parse(h.updated_at) >= Date.parse(seen.updated_at)) newest.set(h.hh_id, h);
  }
  return [...newest.values()];
}

describe('the city at the rates of real life', () => {
  const households = 6000;
  const city = collectPopulation({ seed: 41, households, messyRate: 0, invalidRate: 0 });

  it('gives the same first households in every feed whatever total is asked for', () => {
    const few = [...generatePopulation({ seed: 3, households: 40, assistedShare: 0.3 })];
    const many = [...generatePopulation({ seed: 3, households: 160, assistedShare: 0.3 })].slice(0, 40);
    expect(few.some((family) => family.settlements.length > 0 && family.economicFacts.length > 0)).toBe(true);
    expect(JSON.stringify(many)).toBe(JSON.stringify(few));
  });

  it('has households of about 2.45 people, and about 3% of them in a civil-affairs programme', () => {
    expect(city.residents / households).toBeGreaterThan(2.3);
    expect(city.residents / households).toBeLessThan(2.65);
    const assisted = new Set(city.households.map((h) => h.hh_id)).size / households;
    expect(assisted).toBeGreaterThan(0.015);
    expect(assisted).toBeLessThan(0.045);
  });

  it('has deaths, disabilities and hospital stays at plausible yearly rates', () => {
    const residents = city.residents;
    const deathsPerYear = city.deaths.length / residents / (days('2025-01-01', AS_OF) / 365);
    expect(deathsPerYear).toBeGreaterThan(0.004);
    expect(deathsPerYear).toBeLessThan(0.013);
    const certified = new Set(city.disabledPersons.map((p) => p.record.certNo)).size / residents;
    expect(certified).toBeGreaterThan(0.04);
    expect(certified).toBeLessThan(0.09);
    const staysPerYear = city.settlements.length / residents / (days('2025-01-01', AS_OF) / 365);
    expect(staysPerYear).toBeGreaterThan(0.12);
    expect(staysPerYear).toBeLessThan(0.35);
    const catastrophic = city.settlements.filter((s) => s.record.dbbz === '1').length / city.settlements.length;
    expect(catastrophic).toBeGreaterThan(0.015);
    expect(catastrophic).toBeLessThan(0.1);
  });

  it('pays medical assistance mostly to people in assisted households', () => {
    const assisted = new Set(city.households.flatMap((h) => h.members.map((m) => m.sfzh)));
    const assistedStays = city.settlements.filter((s) => Number(s.record.yljz) > 0);
    expect(assistedStays.length).toBeGreaterThan(10);
    expect(assistedStays.filter((s) => assisted.has(s.record.sfzh)).length / assistedStays.length).toBeGreaterThan(0.6);
    for (const s of city.settlements.slice(0, 500)) {
      const cents = (v: string) => Math.round(Number(v) * 100);
      expect(cents(s.record.ybbx) + cents(s.record.yljz) + cents(s.record.grzf)).toBe(cents(s.record.zfy));
    }
  });

  it('puts students in the school stage of their age, and gives aid to a minority', () => {
    const stageAges: Record<string, [number, number]> = { 学前: [3, 5], 小学: [6, 11], 初中: [12, 14], 高中: [15, 17], 中职: [15, 17], 高校: [18, 21] };
    const wrong = city.studentAid.filter((row) => {
      const firstYear = Number(String(row.cells[9]).slice(0, 4));
      const id = String(row.cells[1]);
      const age = firstYear - Number(id.slice(6, 10)) - (id.slice(10, 14) > '0901' ? 1 : 0);
      const [low, high] = stageAges[String(row.cells[4])];
      return age < low || age > high;
    });
    expect(wrong).toEqual([]);
    const aided = city.studentAid.filter((row) => row.cells[7] !== '').length / city.studentAid.length;
    expect(aided).toBeGreaterThan(0.03);
    expect(aided).toBeLessThan(0.4);
  });

  it('keeps poverty relief and dangerous houses in villages, public housing mostly in town', () => {
    expect(city.poverty.length).toBeGreaterThan(20);
    expect(city.poverty.filter((row) => !rural(String(row.cells[10])))).toEqual([]);
    expect(city.poverty.filter((row) => !String(row.cells[0]).startsWith(String(row.cells[10])) || String(row.cells[0]).length !== 15)).toEqual([]);
    expect(city.dangerousHouses.filter((row) => !rural(String(row.cells[7])))).toEqual([]);
    const flats = city.publicHousing.length / households;
    expect(flats).toBeGreaterThan(0.003);
    expect(flats).toBeLessThan(0.02);
    expect(city.publicHousing.filter((row) => !rural(String(row.cells[9]))).length / city.publicHousing.length).toBeGreaterThan(0.6);
  });

  it('reports region figures of a whole city of about 2.9 million people in 1.19 million households', () => {
    const counties = city.regionStats.rows.filter((row) => String(row.cells[0]).length === 6 && !row.fault);
    const residents = counties.reduce((sum, row) => sum + Number(row.cells[2]), 0);
    const homes = counties.reduce((sum, row) => sum + Number(row.cells[3]), 0);
    expect(residents).toBeGreaterThan(2_800_000);
    expect(residents).toBeLessThan(3_050_000);
    expect(homes).toBeGreaterThan(1_100_000);
    expect(homes).toBeLessThan(1_280_000);
  });
});

describe('situations the rules look for, planted at low rates', () => {
  const city = collectPopulation({ seed: 31, households: 6000, assistedShare: 0.4, messyRate: 0, invalidRate: 0 });
  const newest = newestHouseholds(city).filter((h) => !h.deleted);
  const deathOf = new Map(city.deaths.map((d) => [d.record.sfzh, d.record.swrq]));

  it('names a 低保 household member in 特困 too (D2)', () => {
    const both = newest.filter((h) => h.enrollments.some((e) => e.xmdm === 'DB' && e.zzrq === null) && h.enrollments.some((e) => e.xmdm === 'TK' && e.zzrq === null));
    expect(both.length).toBeGreaterThan(5);
    expect(both.length / newest.length).toBeLessThan(0.1);
  });

  it('pays 临时救助 twice in a year without the leading group, and after a death (D1, D3)', () => {
    const byPersonYear = new Map<string, number>();
    for (const g of city.grants.filter((x) => x.xmdm === 'LS')) byPersonYear.set(`${g.sfzh}|${g.ffrq!.slice(0, 4)}`, (byPersonYear.get(`${g.sfzh}|${g.ffrq!.slice(0, 4)}`) ?? 0) + 1);
    expect([...byPersonYear.values()].filter((n) => n > 1).length).toBeGreaterThan(5);
    const afterDeath = city.grants.filter((g) => g.xmdm === 'LS' && deathOf.has(g.sfzh) && g.ffrq! > deathOf.get(g.sfzh)!);
    const stillListed = newest.filter((h) => h.enrollments.some((e) => (e.xmdm === 'DB' || e.xmdm === 'DSR') && e.zzrq === null) && h.members.some((m) => deathOf.has(m.sfzh) && days(deathOf.get(m.sfzh)!, AS_OF) > 60));
    expect(afterDeath.length + stillListed.length).toBeGreaterThan(2);
  });

  it('gives some assisted households assets over the line, and some disabled members an exempt wheelchair car (D4)', () => {
    const assisted = new Set(newest.flatMap((h) => h.members.map((m) => m.sfzh)));
    const facts = city.economicFacts.filter((p) => assisted.has(p.id)).flatMap((p) => p.facts);
    const over = facts.filter((f) => (f.source === 'VEHICLE' && f.item === '小型汽车') || f.source === 'BUSINESS' || (f.source === 'REAL_ESTATE' && Number(f.value) >= 2));
    expect(over.length).toBeGreaterThan(5);
    expect(over.length / newest.length).toBeLessThan(0.1);
    expect(facts.some((f) => f.item === '残疾人机动轮椅车')).toBe(true);
  });

  it('leaves a few severely disabled people without a nursing subsidy (G1), and pays the same aid twice in one term (D1)', () => {
    const newestCertificates = new Map<string, (typeof city.disabledPersons)[number]>();
    for (const c of city.disabledPersons) if ((newestCertificates.get(c.record.certNo)?.at ?? -Infinity) <= c.at) newestCertificates.set(c.record.certNo, c);
    const severe = [...newestCertificates.values()].map((c) => c.record).filter((c) => c.status === 'VALID' && c.grade <= 2 && c.validUntil >= AS_OF && !deathOf.has(c.idCard));
    const without = severe.filter((c) => !c.subsidies.some((s) => s.type === 'NURSING' && s.endDate === null));
    expect(without.length).toBeGreaterThan(0);
    expect(without.length / severe.length).toBeLessThan(0.25);

    const numbers = new Map<string, Set<string>>();
    for (const row of city.studentAid.filter((r) => r.cells[7] !== '')) {
      const key = `${readIdNumber(String(row.cells[1])).id}|${row.cells[7]}|${row.term}`;
      numbers.set(key, (numbers.get(key) ?? new Set()).add(String(row.cells[0])));
    }
    expect([...numbers.values()].filter((set) => set.size > 1).length).toBeGreaterThan(2);
  });
});
