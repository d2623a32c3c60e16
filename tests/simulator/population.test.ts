import { collectPopulation, generateHouseholds, generatePopulation, type Population, type SimHousehold } from '../../src/simulator/population';
import {
  grantFindings,
  householdFindings,
  readAmountCents,
  readDate,
  readIdNumber,
  registrationFindings,
  weihaiRegionCodes,
  type Finding,
} from './independentChecks';

const AS_OF = '2026-10-31';
const regions = weihaiRegionCodes();

function firstHouseholdsJson(seed: number, count: number): string {
  const lines: string[] = [];
  for (const family of generatePopulation({ seed, households: count, assistedShare: 0.3 })) {
    lines.push(JSON.stringify(family));
  }
  return lines.join('\n');
}

function birthOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

function yearsBetween(earlier: string, later: string): number {
  return (Date.parse(later) - Date.parse(earlier)) / (365.2425 * 86400_000);
}

/** The newest version of each household. */
function newestVersions(households: SimHousehold[]): SimHousehold[] {
  const newest = new Map<string, SimHousehold>();
  for (const record of households) {
    const seen = newest.get(record.hh_id);
    if (!seen || Date.parse(record.updated_at) >= Date.parse(seen.updated_at)) newest.set(record.hh_id, record);
  }
  return [...newest.values()];
}

/** The value at a path such as `members[1].sfzh`. */
function valueAt(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, part) => {
    const match = /^(\w+)(?:\[(\d+)\])?$/.exec(part)!;
    const field = (value as Record<string, unknown>)[match[1]];
    return match[2] === undefined ? field : (field as unknown[])[Number(match[2])];
  }, record);
}

function invalidKeys(population: Population): Set<string> {
  return new Set(civilAffairsInvalid(population).map((entry) => `${entry.where}|${entry.key}`));
}

function civilAffairsInvalid(population: Population) {
  return population.invalid.filter((entry) => entry.feed === 'civil-affairs');
}

// Every household an assisted one: these tests are about the civil-affairs registry's records.
describe('synthetic population (civil affairs)', () => {
  const clean = collectPopulation({ seed: 11, households: 1500, messyRate: 0, invalidRate: 0, assistedShare: 1 });
  const defaults = collectPopulation({ seed: 11, households: 1500, assistedShare: 1 });

  it('is the same for the same seed, byte for byte', () => {
    expect(firstHouseholdsJson(5, 300)).toBe(firstHouseholdsJson(5, 300));
  });

  it('differs for another seed', () => {
    expect(firstHouseholdsJson(6, 50)).not.toBe(firstHouseholdsJson(5, 50));
  });

  it('gives the same first households whatever total is asked for', () => {
    const few = [...generateHouseholds({ seed: 3, households: 40, assistedShare: 1 })];
    const many = [...generateHouseholds({ seed: 3, households: 400, assistedShare: 1 })].slice(0, few.length);
    expect(JSON.stringify(many)).toBe(JSON.stringify(few));
  });

  it('gives every valid person a unique ID with a correct check digit and a real birth date', () => {
    const householdOf = new Map<string, string>();
    for (const household of clean.households) {
      for (const member of household.members) {
        const read = readIdNumber(member.sfzh);
        expect(read.problem).toBeUndefined();
        expect(read.id).toBe(member.sfzh);
        expect(birthOf(member.sfzh) <= AS_OF).toBe(true);
        // Versions of a household repeat its people; an ID in two households would be two people.
        const seen = householdOf.get(member.sfzh);
        if (seen !== undefined && seen !== household.hh_id) throw new Error(`ID shared by ${seen} and ${household.hh_id}`);
        householdOf.set(member.sfzh, household.hh_id);
      }
    }
    const heads = new Set(newestVersions(clean.households).map((household) => household.hzsfzh));
    expect(heads.size).toBe(new Set(clean.households.map((household) => household.hh_id)).size);
  });

  it('keeps ID numbers unique across a town-sized population (15,000 assisted households, streamed)', () => {
    const householdOf = new Map<string, string>();
    let shared = 0;
    for (const household of generateHouseholds({ seed: 21, households: 15_000, messyRate: 0, invalidRate: 0, assistedShare: 1 })) {
      for (const member of household.members) {
        const seen = householdOf.get(member.sfzh);
        if (seen !== undefined && seen !== household.hh_id) shared += 1;
        householdOf.set(member.sfzh, household.hh_id);
      }
    }
    expect(householdOf.size).toBeGreaterThan(30_000);
    expect(shared).toBe(0);
  });

  it('registers most people in their village county and the rest elsewhere in Shandong', () => {
    let local = 0;
    let total = 0;
    for (const household of newestVersions(clean.households)) {
      for (const member of household.members) {
        total += 1;
        if (member.sfzh.startsWith(household.qhdm.slice(0, 6))) local += 1;
        else expect(member.sfzh.slice(0, 4)).toMatch(/^370[67]$/);
      }
    }
    expect(local / total).toBeGreaterThan(0.9);
    expect(local).toBeLessThan(total);
  });

  it('places every household, grant and registration in a real Weihai village of the household county', () => {
    for (const household of clean.households) {
      expect(regions.villages.has(household.qhdm)).toBe(true);
      expect(household.hh_id).toMatch(/^MZ-\d{6}-\d{6}$/);
      expect(household.hh_id.slice(3, 9)).toBe(household.qhdm.slice(0, 6));
      expect(household.jtdz.length).toBeGreaterThan(6);
      expect(household.hjxz === '城镇' || household.hjxz === '农村').toBe(true);
    }
    for (const record of [...clean.grants, ...clean.registrations]) expect(regions.villages.has(record.qhdm)).toBe(true);
  });

  it('builds families whose relations, sexes, surnames and birth dates agree', () => {
    for (const household of newestVersions(clean.households)) {
      const [head, ...others] = household.members;
      expect(head.yhzgx).toBe('01');
      expect(head.sfzh).toBe(household.hzsfzh);
      expect(household.members.length).toBeGreaterThanOrEqual(1);
      expect(household.members.length).toBeLessThanOrEqual(6);
      const headBirth = birthOf(head.sfzh);
      const male = (id: string) => Number(id[16]) % 2 === 1;
      for (const member of others) {
        const birth = birthOf(member.sfzh);
        const code = member.yhzgx;
        if (code === '02') expect(male(member.sfzh)).toBe(!male(head.sfzh));
        if (/^1\d$/.test(code) || code === '31' || code === '51') expect(male(member.sfzh)).toBe(true);
        if (/^2\d$/.test(code) || code === '32' || code === '52') expect(male(member.sfzh)).toBe(false);
        if (/^[123]\d$/.test(code)) expect(member.xm[0]).toBe(head.xm[0]);
        if (/^[12]\d$/.test(code)) expect(yearsBetween(headBirth, birth)).toBeGreaterThan(14);
        if (/^3\d$/.test(code)) expect(yearsBetween(headBirth, birth)).toBeGreaterThan(35);
        if (/^5\d$/.test(code)) expect(yearsBetween(birth, headBirth)).toBeGreaterThan(14);
        expect(['02', '51', '52'].includes(code) || /^[123][1-9]$/.test(code)).toBe(true);
      }
    }
  });

  it('enrolls about 55% in 低保, 20% in 特困 and 25% in 低收入 with well-formed enrollments', () => {
    const newest = newestVersions(clean.households);
    // A household's programme: 特困 if any member is supported, else its newest enrollment's.
    const programmeOf = (household: SimHousehold) =>
      household.enrollments.some((e) => e.xmdm === 'TK') ? 'TK' : household.enrollments[household.enrollments.length - 1].xmdm;
    const share = (programme: string) => newest.filter((household) => programmeOf(household) === programme).length / newest.length;
    expect(share('DB')).toBeGreaterThan(0.45);
    expect(share('DB')).toBeLessThan(0.65);
    expect(share('TK')).toBeGreaterThan(0.14);
    expect(share('TK')).toBeLessThan(0.27);
    expect(share('DSR')).toBeGreaterThan(0.18);
    expect(share('DSR')).toBeLessThan(0.32);
    for (const household of newest) {
      const memberIds = new Set(household.members.map((m) => m.sfzh));
      for (const e of household.enrollments) {
        expect(e.ksrq >= '2015-01-01' && e.ksrq <= AS_OF).toBe(true);
        if (e.zzrq !== null) expect(e.zzrq >= e.ksrq).toBe(true);
        expect(['镇街', '区市']).toContain(e.spjb);
        if (e.xmdm === 'DSR') expect(e.bzje).toBeNull();
        else expect(e.bzje).toMatch(/^\d+\.\d{2}$/);
        if (e.xmdm === 'TK') {
          expect(e.tkcy!.length === 1 || e.tkcy!.length === 2).toBe(true);
          for (const id of e.tkcy!) expect(memberIds.has(id)).toBe(true);
          expect(['集中', '分散']).toContain(e.gyfs);
        } else {
          expect(e.tkcy).toBeNull();
          expect(e.gyfs).toBeNull();
        }
      }
    }
    const endedThenRecognised = newest.filter((h) => h.enrollments.some((e) => e.xmdm === 'DB' && e.zzrq !== null) && h.enrollments.some((e) => e.xmdm === 'DSR' && e.zzrq === null));
    expect(endedThenRecognised.length).toBeGreaterThan(0);
    expect(newest.some((h) => h.members.some((m) => m.zlnl === '全失能'))).toBe(true);
    expect(newest.some((h) => h.members.some((m) => m.zlnl === '半失能'))).toBe(true);
  });

  it('delivers later versions: a member gone, an enrollment ended, a household deleted', () => {
    const byKey = new Map<string, SimHousehold[]>();
    for (const record of clean.households) byKey.set(record.hh_id, [...(byKey.get(record.hh_id) ?? []), record]);
    let memberGone = 0;
    let enrollmentEnded = 0;
    let deleted = 0;
    for (const versions of byKey.values()) {
      for (let i = 1; i < versions.length; i++) {
        const [before, after] = [versions[i - 1], versions[i]];
        expect(Date.parse(after.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
        if (after.members.length < before.members.length) memberGone += 1;
        if (after.enrollments.some((e, k) => e.zzrq !== null && before.enrollments[k]?.ksrq === e.ksrq && before.enrollments[k]?.zzrq === null)) enrollmentEnded += 1;
        if (after.deleted) deleted += 1;
      }
    }
    expect(memberGone).toBeGreaterThan(0);
    expect(enrollmentEnded).toBeGreaterThan(0);
    expect(deleted).toBeGreaterThan(0);
    for (const record of clean.households) {
      expect(record.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(record.updated_at.slice(0, 10) <= AS_OF).toBe(true);
    }
  });

  it('gives grants and registrations to members of the generated households, under the same names', () => {
    const nameOf = new Map<string, string>();
    for (const household of clean.households) for (const member of household.members) nameOf.set(member.sfzh, member.xm);
    for (const record of [...clean.grants, ...clean.registrations]) expect(nameOf.get(record.sfzh)).toBe(record.xm);

    for (const grant of clean.grants) {
      expect(grant.je).toMatch(/^\d+\.\d{2}$/);
      if (grant.xmdm === 'LS') {
        expect(readDate(grant.ffrq!)).toBe(grant.ffrq);
        expect(grant.ksrq).toBeNull();
      } else {
        expect(grant.ffrq).toBeNull();
        expect(grant.zzrq! > grant.ksrq!).toBe(true);
        // Child allowances run until the day before the 18th birthday.
        const birth = birthOf(grant.sfzh);
        expect(yearsBetween(birth, grant.zzrq!)).toBeGreaterThan(17.9);
        expect(yearsBetween(birth, grant.zzrq!)).toBeLessThan(18);
      }
    }
    const lsPerPersonYear = new Map<string, number>();
    for (const grant of clean.grants.filter((g) => g.xmdm === 'LS')) {
      const key = `${grant.sfzh}|${grant.ffrq!.slice(0, 4)}`;
      lsPerPersonYear.set(key, (lsPerPersonYear.get(key) ?? 0) + 1);
    }
    expect([...lsPerPersonYear.values()].some((count) => count > 1)).toBe(true);
    expect(clean.grants.some((g) => g.ldxz_pzwh !== null)).toBe(true);
    expect(new Set(clean.grants.map((g) => g.xmdm))).toEqual(new Set(['LS', 'GE', 'SW']));

    expect(new Set(clean.registrations.map((r) => r.lb))).toEqual(new Set(['LSLR', 'LSFN', 'LSET', 'KJET', 'LLQT']));
    for (const registration of clean.registrations) {
      expect(readDate(registration.djrq)).toBe(registration.djrq);
      if (registration.zxrq !== null) expect(registration.zxrq > registration.djrq).toBe(true);
    }
    expect(clean.registrations.some((r) => r.zxrq !== null)).toBe(true);
  });

  it('writes messy forms that still mean the clean value', () => {
    // Mess has its own random stream: the same seed without mess is the clean reading of each record.
    const messy = collectPopulation({ seed: 11, households: 1500, messyRate: 0.3, invalidRate: 0, assistedShare: 1 });
    expect(messy.households.length).toBe(clean.households.length);
    const seen = new Set<string>();
    messy.households.forEach((record, i) => {
      const original = clean.households[i];
      expect(readIdNumber(record.hzsfzh).id).toBe(original.hzsfzh);
      if (record.qhdm !== original.qhdm) {
        seen.add(`qhdm${record.qhdm.length}`);
        expect(original.qhdm.startsWith(record.qhdm)).toBe(true);
        expect(regions.all.has(record.qhdm)).toBe(true);
      }
      record.members.forEach((member, k) => {
        const cleanMember = original.members[k];
        expect(readIdNumber(member.sfzh).id).toBe(cleanMember.sfzh);
        if (member.sfzh !== cleanMember.sfzh) {
          const text = member.sfzh.trim();
          if (text !== member.sfzh) seen.add('spaces');
          else if (/^\d{15}$/.test(text)) seen.add('legacy15');
          else if (text.endsWith('x')) seen.add('lowerX');
          else if (/[０-９]/.test(text)) seen.add('fullWidth');
        }
        if (member.yhzgx !== cleanMember.yhzgx) {
          seen.add('relationWord');
          const word = { 户主: '01', 配偶: '02', 之子: '1', 之女: '2', 孙子: '3', 父亲: '51', 母亲: '52' }[member.yhzgx];
          expect(word).toBeDefined();
          expect(cleanMember.yhzgx.startsWith(word!)).toBe(true);
        }
      });
    });
    messy.grants.forEach((grant, i) => {
      const original = clean.grants[i];
      expect(readIdNumber(grant.sfzh).id).toBe(original.sfzh);
      expect(readAmountCents(grant.je)).toBe(readAmountCents(original.je));
      if (grant.je !== original.je) seen.add('amount');
    });
    messy.registrations.forEach((registration, i) => {
      expect(readIdNumber(registration.sfzh).id).toBe(clean.registrations[i].sfzh);
    });
    expect([...seen].sort()).toEqual(['amount', 'fullWidth', 'legacy15', 'lowerX', 'qhdm6', 'qhdm9', 'relationWord', 'spaces']);
  });

  it('keeps mess rare by default', () => {
    const messyIds = defaults.households.flatMap((h) => h.members).filter((m) => !/^\d{17}[\dX]$/.test(m.sfzh)).length;
    const allIds = defaults.households.flatMap((h) => h.members).length;
    expect(messyIds).toBeGreaterThan(0);
    expect(messyIds / allIds).toBeLessThan(0.03);
  });

  describe.each([
    ['default rates', defaults],
    ['a high invalid rate', collectPopulation({ seed: 12, households: 1500, invalidRate: 0.05, assistedShare: 1 })],
  ])('invalid records (%s)', (_label, population) => {
    const findingsOf = (where: string, record: Record<string, unknown>): Finding[] =>
      where === 'households' ? householdFindings(record, regions.all) : where === 'grants' ? grantFindings(record, regions.all) : registrationFindings(record, regions.all);
    const records: [string, string, Record<string, unknown>][] = [
      ...population.households.map((r) => ['households', r.hh_id, r as unknown as Record<string, unknown>] as [string, string, Record<string, unknown>]),
      ...population.grants.map((r) => ['grants', r.grant_id, r as unknown as Record<string, unknown>] as [string, string, Record<string, unknown>]),
      ...population.registrations.map((r) => ['registries', r.reg_id, r as unknown as Record<string, unknown>] as [string, string, Record<string, unknown>]),
    ];

    it('lists records that are invalid in exactly the way named', () => {
      expect(civilAffairsInvalid(population).length).toBeGreaterThan(0);
      for (const entry of civilAffairsInvalid(population)) {
        const matching = records.filter(([where, key]) => where === entry.where && key === entry.key);
        expect(matching).toHaveLength(1);
        const [, , record] = matching[0];
        expect(findingsOf(entry.where, record)).toEqual([{ reason: entry.reason, field: entry.field }]);
        expect(valueAt(record, entry.field)).toBe(entry.value);
      }
      const reasons = new Set(civilAffairsInvalid(population).map((entry) => entry.reason));
      if (population !== defaults) {
        expect([...reasons].sort()).toEqual(['BAD_ID_BIRTH_DATE', 'BAD_ID_CHECK_DIGIT', 'IMPOSSIBLE_DATE', 'NEGATIVE_AMOUNT', 'UNKNOWN_REGION_CODE']);
      }
    });

    it('leaves every other record valid', () => {
      const listed = invalidKeys(population);
      for (const [where, key, record] of records) {
        if (!listed.has(`${where}|${key}`)) expect({ where, key, findings: findingsOf(where, record) }).toEqual({ where, key, findings: [] });
      }
    });
  });
});
