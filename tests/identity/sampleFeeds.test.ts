/**
 * The sample feeds carry every messy spelling the contract lists and a few records that must be
 * quarantined. These tests run the value parsers over every relevant value in them and compare
 * with the truth: each value either reads cleanly (an ID number to a person of the model) or is
 * one the truth quarantines, with exactly the truth's reason.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
  normaliseIdNumber,
  normaliseRegionCode,
  normaliseRelation,
  parseAmount,
  parseBusinessDate,
  parseCount,
} from '../../src/identity';

const SAMPLES = join(__dirname, '..', 'fixtures', 'samples');

type Person = { birth: string; sex: 'M' | 'F'; county: string; name: string };
type QuarantineEntry = { feed: string; where: string; key: string; reason: string; field: string; value: string };

const model = JSON.parse(gunzipSync(readFileSync(join(SAMPLES, 'truth', 'model.json.gz'))).toString('utf8')) as {
  as_of: string;
  persons: Record<string, Person>;
};
const quarantine = JSON.parse(readFileSync(join(SAMPLES, 'truth', 'quarantine.json'), 'utf8')) as {
  as_of: string;
  feeds: Record<string, QuarantineEntry[]>;
};
const quarantined: QuarantineEntry[] = Object.values(quarantine.feeds).flat();
/** Birth dates are judged as of the day the truth was drawn up, not the day the test runs. */
const AS_OF = { today: model.as_of };

type Kind = 'id' | 'date' | 'amount' | 'count' | 'region' | 'relation';
/** One delivered value: which feed file and field it came from, and what it should be read as. */
type Delivered = { where: string; field: string; kind: Kind; raw: unknown };

function readJsonl(relative: string): Record<string, unknown>[] {
  return readFileSync(join(SAMPLES, 'api', relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function readCsv(relative: string): Record<string, string>[] {
  const bytes = readFileSync(join(SAMPLES, 'drop', relative));
  const utf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = utf8Bom ? bytes.subarray(3).toString('utf8') : iconv.decode(bytes, 'gb18030');
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

async function readSheets(relative: string): Promise<Map<string, Record<string, unknown>[]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(SAMPLES, 'drop', relative));
  const sheets = new Map<string, Record<string, unknown>[]>();
  workbook.eachSheet((sheet) => {
    // Row 1 is the title banner, row 2 the header; a 合计 row closes the sheet.
    const header = (sheet.getRow(2).values as unknown[]).map((v) => (typeof v === 'string' ? v : ''));
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, number) => {
      if (number <= 2) return;
      const values = row.values as unknown[];
      if (values[1] === '合计') return;
      rows.push(Object.fromEntries(header.map((name, i) => [name, values[i] ?? null]).filter(([name]) => name !== '')));
    });
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

function pick(where: string, record: Record<string, unknown>, fields: Partial<Record<Kind, string[]>>): Delivered[] {
  return (Object.entries(fields) as [Kind, string[]][]).flatMap(([kind, names]) =>
    names.filter((field) => field in record).map((field) => ({ where, field, kind, raw: record[field] })),
  );
}

async function everyDeliveredValue(): Promise<Delivered[]> {
  const values: Delivered[] = [];

  for (const h of readJsonl('civil-affairs/households.jsonl')) {
    values.push(...pick('households', h, { id: ['hzsfzh'], region: ['qhdm'] }));
    for (const m of h.members as Record<string, unknown>[]) {
      values.push(...pick('households', m, { id: ['sfzh'], relation: ['yhzgx'] }));
    }
    for (const e of h.enrollments as Record<string, unknown>[]) {
      values.push(...pick('households', e, { date: ['ksrq', 'zzrq'], amount: ['bzje'] }));
      for (const id of (e.tkcy as unknown[] | null) ?? []) values.push({ where: 'households', field: 'tkcy', kind: 'id', raw: id });
    }
  }
  for (const g of readJsonl('civil-affairs/grants.jsonl')) {
    values.push(...pick('grants', g, { id: ['sfzh'], amount: ['je'], date: ['ffrq', 'ksrq', 'zzrq'], region: ['qhdm'] }));
  }
  for (const r of readJsonl('civil-affairs/registries.jsonl')) {
    values.push(...pick('registries', r, { id: ['sfzh'], date: ['djrq', 'zxrq'], region: ['qhdm'] }));
  }
  for (const s of readJsonl('health/settlements.jsonl')) {
    values.push(...pick('settlements', s, { id: ['sfzh'], date: ['jsrq'], amount: ['zfy', 'ybbx', 'yljz', 'grzf'] }));
  }
  for (const d of readJsonl('health/deaths.jsonl')) {
    values.push(...pick('deaths', d, { id: ['sfzh'], date: ['swrq'], region: ['qhdm'] }));
  }
  for (const p of readJsonl('disability/persons.jsonl')) {
    values.push(...pick('persons', p, { id: ['idCard'], date: ['issueDate', 'validUntil'], region: ['regionCode'] }));
    (p.subsidies as Record<string, unknown>[]).forEach((s, i) => {
      values.push(
        ...pick('persons', s, { date: ['startDate', 'endDate'], amount: ['monthlyAmount'] }).map((v) => ({ ...v, field: `subsidies[${i}].${v.field}` })),
      );
    });
  }
  for (const f of readJsonl('economic-check/facts.jsonl')) {
    values.push(...pick('facts', f, { id: ['sfzh'], date: ['as_of'] }));
    values.push({ where: 'facts', field: 'value', kind: f.unit === '元' ? 'amount' : 'count', raw: f.value });
  }

  for (const file of readdirSync(join(SAMPLES, 'drop', 'education'))) {
    for (const row of readCsv(join('education', file))) {
      values.push(...pick(file, row, { id: ['身份证号'], amount: ['资助金额'], region: ['区划代码'] }));
    }
  }
  for (const row of readCsv('poverty/fpdx_20261031.csv')) {
    values.push(
      ...pick('fpdx_20261031.csv', row, {
        id: ['户主身份证号', '成员身份证号'],
        relation: ['与户主关系'],
        amount: ['家庭年人均纯收入'],
        region: ['区划代码'],
      }),
    );
  }
  for (const row of readCsv('region-stats/region_stats_2026.csv')) {
    values.push(
      ...pick('region_stats_2026.csv', row, {
        region: ['区划代码'],
        count: ['常住人口', '户数', '民政专职人员数', '村级协理员数'],
        amount: ['临时救助储备金(元)', '临时救助备用金(元)'],
      }),
    );
  }
  const sheets = await readSheets('housing/zfbz_20261031.xlsx');
  for (const row of sheets.get('保障房') ?? []) {
    values.push(
      ...pick('zfbz_20261031.xlsx/保障房', row, {
        id: ['申请人身份证号'],
        count: ['家庭人口'],
        amount: ['补贴金额(元/月)'],
        date: ['开始日期', '结束日期'],
        region: ['区划代码'],
      }),
    );
  }
  for (const row of sheets.get('危房') ?? []) {
    values.push(...pick('zfbz_20261031.xlsx/危房', row, { id: ['户主身份证号'], date: ['鉴定日期'], amount: ['补助金额'], region: ['区划代码'] }));
  }
  return values;
}

function read(kind: Kind, raw: unknown): { ok: true; value: unknown } | { ok: false; fault: string } {
  const result = (() => {
    switch (kind) {
      case 'id': return normaliseIdNumber(raw, AS_OF);
      case 'date': return parseBusinessDate(raw);
      case 'amount': return parseAmount(raw);
      case 'count': return parseCount(raw);
      case 'region': return normaliseRegionCode(raw);
      case 'relation': return normaliseRelation(raw);
    }
  })();
  if (!result.ok) return result;
  return { ok: true, value: 'id' in result ? result.id : 'date' in result ? result.date : 'amount' in result ? result.amount : 'value' in result ? result.value : result.code };
}

/** Quarantine reasons the value parsers give; the others (UNKNOWN_REGION_CODE …) need the region table. */
const PARSER_REASONS = new Set(['BAD_ID_FORMAT', 'BAD_ID_CHECK_DIGIT', 'BAD_ID_BIRTH_DATE', 'IMPOSSIBLE_DATE', 'NEGATIVE_AMOUNT', 'BAD_VALUE']);

describe('the truth model', () => {
  const persons = Object.entries(model.persons);

  it('holds the sample set’s people', () => {
    expect(persons.length).toBeGreaterThan(300);
  });

  it('lists every person under an ID number that normalises to itself, with the model’s birth date and sex', () => {
    const disagreements = persons.flatMap(([id, person]) => {
      const result = normaliseIdNumber(id, AS_OF);
      const expected = { ok: true, id, birthDate: person.birth, sex: person.sex, regionOfRegistration: id.slice(0, 6) };
      return JSON.stringify(result) === JSON.stringify(expected) ? [] : [{ id, result }];
    });
    expect(disagreements).toEqual([]);
  });
});

describe('the quarantine truth', () => {
  const idFaults = quarantined.filter((q) => q.reason.startsWith('BAD_ID_'));

  it('has ID faults to check, of more than one kind', () => {
    expect(new Set(idFaults.map((q) => q.reason)).size).toBeGreaterThan(1);
  });

  it.each(idFaults.map((q) => [q.reason, q.where, q.key, q.value] as const))('%s: %s %s', (reason, _where, _key, value) => {
    expect(normaliseIdNumber(value, AS_OF)).toEqual({ ok: false, fault: reason });
  });

  it.each(quarantined.filter((q) => q.reason === 'IMPOSSIBLE_DATE').map((q) => [q.where, q.key, q.value] as const))(
    'IMPOSSIBLE_DATE: %s %s %s',
    (_where, _key, value) => {
      expect(parseBusinessDate(value)).toEqual({ ok: false, fault: 'IMPOSSIBLE_DATE' });
    },
  );

  it.each(quarantined.filter((q) => q.reason === 'NEGATIVE_AMOUNT').map((q) => [q.where, q.key, q.value] as const))(
    'NEGATIVE_AMOUNT: %s %s %s',
    (_where, _key, value) => {
      expect(parseAmount(value)).toEqual({ ok: false, fault: 'NEGATIVE_AMOUNT' });
    },
  );

  it('has UNKNOWN_REGION_CODE values that are well-formed codes (only the region table can refuse them)', () => {
    const unknown = quarantined.filter((q) => q.reason === 'UNKNOWN_REGION_CODE');
    expect(unknown.length).toBeGreaterThan(0);
    for (const q of unknown) expect(normaliseRegionCode(q.value)).toEqual({ ok: true, code: q.value.trim() });
  });
});

describe('every value delivered in the sample feeds', () => {
  let delivered: Delivered[];
  beforeAll(async () => {
    delivered = await everyDeliveredValue();
  });

  /**
   * The truth's reason when it quarantines a record of this feed for this raw value. Matched on
   * the value, not the field: a head of household is also listed among the members.
   */
  function quarantineReason(value: Delivered): string | undefined {
    return quarantined.find((q) => q.where === value.where && q.value === String(value.raw).trim() && PARSER_REASONS.has(q.reason))?.reason;
  }

  it('includes every kind of value, messy spellings among them', () => {
    const kinds = new Set(delivered.map((v) => v.kind));
    expect([...kinds].sort()).toEqual(['amount', 'count', 'date', 'id', 'region', 'relation']);
    const messyIds = delivered.filter((v) => v.kind === 'id' && typeof v.raw === 'string' && !/^\d{17}[\dX]$/.test(v.raw));
    expect(messyIds.length).toBeGreaterThan(10);
    expect(delivered.some((v) => v.kind === 'date' && v.raw instanceof Date)).toBe(true);
  });

  it('contains every value the truth quarantines for a parser reason', () => {
    const missing = quarantined
      .filter((q) => PARSER_REASONS.has(q.reason))
      .filter((q) => !delivered.some((v) => v.where === q.where && String(v.raw).trim() === q.value));
    expect(missing).toEqual([]);
  });

  it('reads every ID number to a person of the model, unless the truth quarantines it with the reason given', () => {
    const wrong = delivered
      .filter((v) => v.kind === 'id')
      .flatMap((v) => {
        const result = normaliseIdNumber(v.raw, AS_OF);
        const reason = quarantineReason(v);
        if (reason !== undefined) return result.ok || result.fault !== reason ? [{ ...v, result, expected: reason }] : [];
        return result.ok && result.id in model.persons ? [] : [{ ...v, result, expected: 'a person of the model' }];
      });
    expect(wrong).toEqual([]);
  });

  it.each(['date', 'amount', 'count', 'region', 'relation'] as const)(
    'reads every %s, except the ones the truth quarantines, which get its reason',
    (kind) => {
      const wrong = delivered
        .filter((v) => v.kind === kind)
        .flatMap((v) => {
          const result = read(kind, v.raw);
          const reason = quarantineReason(v);
          if (reason !== undefined) return !result.ok && result.fault === reason ? [] : [{ ...v, result, expected: reason }];
          return result.ok ? [] : [{ ...v, result, expected: 'a clean value' }];
        });
      expect(wrong).toEqual([]);
    },
  );

  it('reads the messy spellings to the same values as the clean ones', () => {
    const samples: [Kind, unknown, unknown][] = [
      ['date', '2025年11月13日', '2025-11-13'],
      ['date', '2026/7/20', '2026-07-20'],
      ['date', '20250214', '2025-02-14'],
      ['amount', '¥4096.00', '4096.00'],
      ['amount', '9400.68元', '9400.68'],
      ['amount', '4,978.82', '4978.82'],
      ['amount', '194,000.00', '194000.00'],
      ['amount', '12100.0', '12100.00'],
      ['region', '371003110238.0', '371003110238'],
      ['relation', '户主', '01'],
      ['relation', '配偶', '02'],
    ];
    for (const [kind, raw, value] of samples) {
      expect(delivered.some((v) => v.kind === kind && v.raw === raw)).toBe(true);
      expect(read(kind, raw)).toEqual({ ok: true, value });
    }
  });
});
