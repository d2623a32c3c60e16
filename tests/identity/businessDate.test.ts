import { addDays, isoDateInShanghai, parseBusinessDate, todayInShanghai } from '../../src/identity';

describe('parseBusinessDate: every form of 1 March 2024', () => {
  it.each([
    ['ISO', '2024-03-01'],
    ['compact', '20240301'],
    ['slashes, no leading zeros', '2024/3/1'],
    ['slashes with leading zeros', '2024/03/01'],
    ['hyphens, no leading zeros', '2024-3-1'],
    ['Chinese', '2024年3月1日'],
    ['Chinese with leading zeros', '2024年03月01日'],
    ['Chinese without 日', '2024年3月1'],
    ['dots', '2024.03.01'],
    ['dots, no leading zeros', '2024.3.1'],
    ['surrounding spaces', '  2024-03-01 '],
    ['full-width digits', '２０２４－０３－０１'],
    ['full-width spaces', '\u30002024/3/1\u3000'],
    ['spreadsheet text marker', "'2024-03-01"],
    ['with a wall-clock time', '2024-03-01 14:30:00'],
    ['with a wall-clock time after T', '2024-03-01T23:59:59'],
    ['slashes with a time', '2024/3/1 8:05'],
    ['serial number', 45352],
    ['serial number with a time of day', 45352.75],
    ['serial number as text', '45352'],
    ['serial number as text from a number cell', '45352.0'],
    ['compact date typed into a number cell', 20240301],
    ['compact date from a number cell as text', '20240301.0'],
    ['spreadsheet date cell (exceljs: UTC midnight)', new Date(Date.UTC(2024, 2, 1))],
    ['ISO instant at Shanghai midnight', '2024-03-01T00:00:00+08:00'],
    ['ISO instant in UTC, already 1 March in Shanghai', '2024-02-29T16:00:00Z'],
    ['ISO instant with milliseconds', '2024-03-01T12:00:00.123+08:00'],
    ['ISO instant with a +0800 offset', '2024-03-01T12:00:00+0800'],
  ])('%s: %p', (_form, raw) => {
    expect(parseBusinessDate(raw)).toEqual({ ok: true, date: '2024-03-01' });
  });
});

describe('parseBusinessDate: empty means open-ended', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['empty text', ''],
    ['spaces', '   '],
    ['a full-width space', '\u3000'],
  ])('%s → null', (_what, raw) => {
    expect(parseBusinessDate(raw)).toEqual({ ok: true, date: null });
  });
});

describe('parseBusinessDate: spreadsheet serial numbers (1900 date system)', () => {
  it.each([
    [1, '1900-01-01'],
    [2, '1900-01-02'],
    [31, '1900-01-31'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [366, '1900-12-31'],
    [367, '1901-01-01'],
    [25569, '1970-01-01'],
    [36526, '2000-01-01'],
    [45292, '2024-01-01'],
    [45351, '2024-02-29'],
    [45352, '2024-03-01'],
    [2958465, '9999-12-31'],
  ])('%p → %s', (serial, date) => {
    expect(parseBusinessDate(serial)).toEqual({ ok: true, date });
  });

  it('refuses serial 60, the 29 February 1900 that the 1900 system counts but that never was', () => {
    expect(parseBusinessDate(60)).toEqual({ ok: false, fault: 'IMPOSSIBLE_DATE' });
  });

  it.each([0, -1, 2958466, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p as no date', (serial) => {
    expect(parseBusinessDate(serial)).toEqual({ ok: false, fault: 'BAD_VALUE' });
  });

  it.each([
    ['20000', '1954-10-03'],
    ['80000', '2119-01-11'],
  ])('reads a five-digit text %s as a serial (%s)', (text, date) => {
    expect(parseBusinessDate(text)).toEqual({ ok: true, date });
  });

  it.each(['19999', '80001', '1', '366', '123456', '4535'])('does not guess a date from the numeric text %p', (text) => {
    expect(parseBusinessDate(text)).toEqual({ ok: false, fault: 'BAD_VALUE' });
  });
});

describe('parseBusinessDate: leap years', () => {
  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1600-02-29', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2100-02-29', false],
  ])('%s exists: %p', (text, exists) => {
    expect(parseBusinessDate(text)).toEqual(exists ? { ok: true, date: text } : { ok: false, fault: 'IMPOSSIBLE_DATE' });
  });
});

describe('parseBusinessDate: dates that do not exist', () => {
  it.each([
    '2025-02-30',
    '20250431',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-01-32',
    '2025/4/31',
    '2025年6月31日',
    '2025.11.31',
    '0000-00-00',
    '20251301',
    '2025-02-30T10:00:00+08:00',
  ])('%p → IMPOSSIBLE_DATE', (text) => {
    expect(parseBusinessDate(text)).toEqual({ ok: false, fault: 'IMPOSSIBLE_DATE' });
  });
});

describe('parseBusinessDate: values that are not dates', () => {
  it.each([
    ['words', 'abc'],
    ['a placeholder', '无'],
    ['half a date', '2024-03'],
    ['a year', '2024'],
    ['mixed separators', '2024-03/01'],
    ['two-digit year', '24-03-01'],
    ['day first', '01/03/2024'],
    ['seven digits', '2024031'],
    ['nine digits', '202403011'],
    ['a time only', '12:30'],
    ['a boolean', true],
    ['an object', { date: '2024-03-01' }],
    ['an invalid Date', new Date(Number.NaN)],
  ])('%s: %p → BAD_VALUE', (_what, raw) => {
    expect(parseBusinessDate(raw)).toEqual({ ok: false, fault: 'BAD_VALUE' });
  });
});

describe('parseBusinessDate: spreadsheet date cells are read on the UTC calendar', () => {
  it('takes the UTC day of a Date whatever the local time zone would show', () => {
    expect(parseBusinessDate(new Date('2021-11-24T00:00:00.000Z'))).toEqual({ ok: true, date: '2021-11-24' });
    expect(parseBusinessDate(new Date('2021-11-24T23:59:59.999Z'))).toEqual({ ok: true, date: '2021-11-24' });
  });
});

describe('isoDateInShanghai', () => {
  it.each([
    ['2025-11-02T08:30:00+08:00', '2025-11-02'],
    ['2025-11-01T23:30:00Z', '2025-11-02'],
    ['2025-11-01T15:59:59Z', '2025-11-01'],
    ['2025-11-01T16:00:00Z', '2025-11-02'],
    ['2025-11-01T16:00:00.000Z', '2025-11-02'],
    ['2025-12-31T20:00:00-05:00', '2026-01-01'],
    ['2026-01-01T00:30:00+09:00', '2025-12-31'],
    ['2024-02-28T16:00:00Z', '2024-02-29'],
    ['2025-11-02', '2025-11-02'],
    ['2025-11-02T23:30:00', '2025-11-02'],
  ])('%s → %s', (instant, date) => {
    expect(isoDateInShanghai(instant)).toBe(date);
  });

  it('accepts Date objects', () => {
    expect(isoDateInShanghai(new Date('2025-11-01T23:30:00Z'))).toBe('2025-11-02');
  });

  it('follows the time-zone history: China kept summer time (UTC+9) in 1986–1991', () => {
    expect(isoDateInShanghai('1988-06-01T15:30:00Z')).toBe('1988-06-02');
    expect(isoDateInShanghai('1988-12-01T15:30:00Z')).toBe('1988-12-01');
  });

  it.each(['yesterday', '2025-02-30T10:00:00Z', '2025-11-02T25:00:00Z', ''])('refuses %p', (text) => {
    expect(() => isoDateInShanghai(text)).toThrow(RangeError);
  });

  it('refuses an invalid Date', () => {
    expect(() => isoDateInShanghai(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-10-31', 0, '2026-10-31'],
    ['2026-10-31', -90, '2026-08-02'],
    ['2024-01-01', 366, '2025-01-01'],
    ['1900-02-28', 1, '1900-03-01'],
  ])('%s %p days → %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2025-02-30', 1],
    ['2025-2-3', 1],
    ['20250203', 1],
    ['2025-02-03', 1.5],
  ])('refuses %p + %p', (date, days) => {
    expect(() => addDays(date, days)).toThrow(RangeError);
  });
});

describe('todayInShanghai', () => {
  it('is the Shanghai calendar date of now', () => {
    const before = isoDateInShanghai(new Date());
    const today = todayInShanghai();
    const after = isoDateInShanghai(new Date());
    expect([before, after]).toContain(today);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('is UTC today or tomorrow (Shanghai is ahead of UTC)', () => {
    const utcToday = new Date().toISOString().slice(0, 10);
    expect([utcToday, addDays(utcToday, 1)]).toContain(todayInShanghai());
  });
});
