import { normaliseRegionCode, regionLevel } from '../../src/identity';

describe('normaliseRegionCode', () => {
  it.each([
    ['a village code', '371002001001', '371002001001'],
    ['a village code from a number cell', 371002001001, '371002001001'],
    ['a number cell exported as text', '371002001001.0', '371002001001'],
    ['a town code from a number cell exported as text', '371003100.0', '371003100'],
    ['spaces around', ' 371002 ', '371002'],
    ['full-width spaces around', '\u3000371082101203\u3000', '371082101203'],
    ['a town code', '371002001', '371002001'],
    ['a county code', '371002', '371002'],
    ['a county code as a number', 371082, '371082'],
    ['full-width digits', '３７１００２００１００１', '371002001001'],
    ['spreadsheet text marker', "'371002001001", '371002001001'],
    ['a village code ending in zeros is not shortened', '371002000000', '371002000000'],
    ['a town code ending in zeros is not shortened', '371002000', '371002000'],
  ])('%s: %p → %s', (_what, raw, code) => {
    expect(normaliseRegionCode(raw)).toEqual({ ok: true, code });
  });

  it('does not check that the code exists: that is the region table’s job', () => {
    expect(normaliseRegionCode('371082101660')).toEqual({ ok: true, code: '371082101660' });
  });

  it.each([
    ['a city code (feeds give 6, 9 or 12 digits)', '3710'],
    ['5 digits', '37100'],
    ['7 digits', '3710020'],
    ['8 digits', '37100200'],
    ['10 digits', '3710020010'],
    ['11 digits', '37100200100'],
    ['13 digits', '3710020010010'],
    ['letters', '37100200100A'],
    ['a fraction', '371002.5'],
    ['inner spaces', '371002 001001'],
    ['empty text', ''],
    ['null', null],
    ['undefined', undefined],
    ['a negative number', -371002],
    ['a fractional number', 371002.5],
    ['a boolean', true],
  ])('%s: %p → BAD_VALUE', (_what, raw) => {
    expect(normaliseRegionCode(raw)).toEqual({ ok: false, fault: 'BAD_VALUE' });
  });
});

describe('regionLevel', () => {
  it.each([
    ['3710', 'CITY'],
    ['371002', 'COUNTY'],
    ['371002001', 'TOWN'],
    ['371002001001', 'VILLAGE'],
  ])('%s is a %s', (code, level) => {
    expect(regionLevel(code)).toBe(level);
  });

  it.each(['37', '37100', '3710020010', '', 'abcdef'])('refuses %p', (code) => {
    expect(() => regionLevel(code)).toThrow(RangeError);
  });
});
