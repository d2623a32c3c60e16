import { parseAmount, parseCount } from '../../src/identity';

describe('parseAmount: the spellings of yuan amounts', () => {
  it.each([
    ['one decimal', '1234.5', '1234.50'],
    ['two decimals', '1234.50', '1234.50'],
    ['no decimals', '1234', '1234.00'],
    ['thousands separators', '1,234.50', '1234.50'],
    ['several thousands separators', '1,234,567.8', '1234567.80'],
    ['half-width yen sign', '¥1234.50', '1234.50'],
    ['full-width yuan sign', '￥1234.50', '1234.50'],
    ['元 after the number', '1234.50元', '1234.50'],
    ['sign, separators and 元 together', '￥1,234.50元', '1234.50'],
    ['spaces around', ' 12 ', '12.00'],
    ['spaces between sign, number and unit', '¥ 1,300.00 元', '1300.00'],
    ['full-width digits', '１２３４．５', '1234.50'],
    ['full-width comma', '１，２３４．５０', '1234.50'],
    ['RMB prefix', 'RMB 88', '88.00'],
    ['leading zeros', '007.5', '7.50'],
    ['zero', '0', '0.00'],
    ['zero with decimals', '0.00', '0.00'],
    ['a fraction without integer part', '.5', '0.50'],
    ['a trailing point', '12.', '12.00'],
    ['a plus sign', '+12.3', '12.30'],
    ['spreadsheet text marker', "'1230.00", '1230.00'],
    ['spreadsheet number', 12.5, '12.50'],
    ['spreadsheet whole number', 640, '640.00'],
    ['spreadsheet zero', 0, '0.00'],
    ['minus zero is zero', '-0.00', '0.00'],
    ['a number minus zero is zero', -0, '0.00'],
    ['a bigint', 12n, '12.00'],
  ])('%s: %p → %s', (_what, raw, amount) => {
    expect(parseAmount(raw)).toEqual({ ok: true, amount });
  });
});

describe('parseAmount: exactness', () => {
  it.each([
    ['0.10', '0.10'],
    ['0.1', '0.10'],
    ['0.125', '0.125'],
    ['0.1250', '0.125'],
    ['1234.5678', '1234.5678'],
    ['1.005', '1.005'],
    ['99999999999999999.99', '99999999999999999.99'],
    ['12345678901234567890.01', '12345678901234567890.01'],
  ])('%s stays %s: no rounding, no float', (raw, amount) => {
    expect(parseAmount(raw)).toEqual({ ok: true, amount });
  });

  it('keeps the shortest decimal form of a JavaScript number, not its binary expansion', () => {
    expect(parseAmount(0.1)).toEqual({ ok: true, amount: '0.10' });
    expect(parseAmount(1.005)).toEqual({ ok: true, amount: '1.005' });
  });

  it.each([
    [1e21, '1000000000000000000000.00'],
    [1.5e-7, '0.00000015'],
    [2.5e-7, '0.00000025'],
  ])('spells out the exponent of the number %p', (raw, amount) => {
    expect(parseAmount(raw)).toEqual({ ok: true, amount });
  });
});

describe('parseAmount: empty is no amount', () => {
  it.each([
    ['empty text', ''],
    ['spaces', '  '],
    ['a full-width space', '\u3000'],
    ['null', null],
    ['undefined', undefined],
  ])('%s → null', (_what, raw) => {
    expect(parseAmount(raw)).toEqual({ ok: true, amount: null });
  });
});

describe('parseAmount: negative amounts', () => {
  it.each([
    ['-939.03'],
    ['-2624.94'],
    ['-120.00'],
    ['-1,234.50'],
    ['-¥12.00'],
    ['¥-12.00'],
    ['-12元'],
    ['－１２．００'],
    ['\u221212.00'],
    [-939.03],
    [-0.01],
  ])('%p → NEGATIVE_AMOUNT', (raw) => {
    expect(parseAmount(raw)).toEqual({ ok: false, fault: 'NEGATIVE_AMOUNT' });
  });
});

describe('parseAmount: values that are not amounts', () => {
  it.each([
    ['words', 'abc'],
    ['a placeholder', '无'],
    ['two points', '1.2.3'],
    ['a lone point', '.'],
    ['a lone sign', '-'],
    ['a sign and a unit only', '¥元'],
    ['two signs', '--12'],
    ['sign on both sides of ¥', '-¥-12'],
    ['misplaced thousands separator', '1,2345.00'],
    ['a comma as decimal point', '12,5'],
    ['a separator at the start', ',123'],
    ['a comma in the fraction', '1.234,5'],
    ['another currency', '$12.00'],
    ['units inside', '12元5角'],
    ['a percentage', '12%'],
    ['an exponent in text', '1e3'],
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['a boolean', false],
    ['an object', { amount: '12.00' }],
  ])('%s: %p → BAD_VALUE', (_what, raw) => {
    expect(parseAmount(raw)).toEqual({ ok: false, fault: 'BAD_VALUE' });
  });
});

describe('parseCount', () => {
  it.each([
    ['12', 12],
    ['12.0', 12],
    [12, 12],
    [12.0, 12],
    ['1,200', 1200],
    ['610000', 610000],
    [' 7 ', 7],
    ['0', 0],
    ['-0', 0],
    ['００３', 3],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('%p → %p', (raw, value) => {
    expect(parseCount(raw)).toEqual({ ok: true, value });
  });

  it.each([[''], [null], [undefined], ['   ']])('%p → null', (raw) => {
    expect(parseCount(raw)).toEqual({ ok: true, value: null });
  });

  it.each([['-1'], [-3], ['-1,200']])('%p → NEGATIVE_AMOUNT', (raw) => {
    expect(parseCount(raw)).toEqual({ ok: false, fault: 'NEGATIVE_AMOUNT' });
  });

  it.each([
    ['a fraction', '12.5'],
    ['a fractional number', 2.5],
    ['a yuan amount', '¥12'],
    ['a unit', '12人'],
    ['words', 'twelve'],
    ['too large to count exactly', '9007199254740993'],
    ['misplaced separator', '12,00'],
    ['a boolean', true],
  ])('%s: %p → BAD_VALUE', (_what, raw) => {
    expect(parseCount(raw)).toEqual({ ok: false, fault: 'BAD_VALUE' });
  });
});
