import { normaliseRelation, relationKind } from '../../src/identity';

const CONTRACT_CODES = [
  '01', '02',
  '10', '11', '12', '13', '14', '15', '16', '17', '18', '19',
  '20', '21', '22', '23', '24', '25', '26', '27', '28', '29',
  '30', '31', '32', '33', '34', '35', '36', '37', '38', '39',
  '50', '51', '52', '60', '70', '99',
];

describe('normaliseRelation: codes', () => {
  it.each(CONTRACT_CODES)('keeps the contract code %s', (code) => {
    expect(normaliseRelation(code)).toEqual({ ok: true, code });
  });

  it.each([
    ['a one-digit code', '1', '01'],
    ['a one-digit code for the spouse', '2', '02'],
    ['a number cell', 1, '01'],
    ['a number cell, two digits', 22, '22'],
    ['a number cell exported as text', '2.0', '02'],
    ['a two-digit number cell exported as text', '51.0', '51'],
    ['spaces', ' 02 ', '02'],
    ['full-width digits', '０２', '02'],
    ['spreadsheet text marker', "'01", '01'],
  ])('%s: %p → %s', (_what, raw, code) => {
    expect(normaliseRelation(raw)).toEqual({ ok: true, code });
  });

  it.each(['00', '03', '09', '40', '45', '49', '53', '59', '61', '71', '80', '98', '100', '001', '-1', '1.5', '2.05'])(
    'refuses %p, which is not in the contract list',
    (raw) => {
      expect(normaliseRelation(raw)).toEqual({ ok: false, fault: 'BAD_VALUE' });
    },
  );
});

describe('normaliseRelation: words stand for the first code of their range', () => {
  it.each([
    ['户主', '01'],
    ['配偶', '02'],
    ['之子', '10'],
    ['子', '10'],
    ['之女', '20'],
    ['女', '20'],
    ['孙子', '30'],
    ['孙女', '30'],
    ['父母', '50'],
    ['父亲', '51'],
    ['母亲', '52'],
    ['祖父母', '60'],
    ['兄弟姐妹', '70'],
    ['其他', '99'],
    [' 户主 ', '01'],
    ['\u3000配偶\u3000', '02'],
  ])('%p → %s', (word, code) => {
    expect(normaliseRelation(word)).toEqual({ ok: true, code });
  });

  it.each([
    ['an unknown word', '邻居'],
    ['a word with a code attached', '01户主'],
    ['empty text', ''],
    ['null', null],
    ['undefined', undefined],
    ['a property every object has', 'toString'],
    ['a fractional number', 1.5],
    ['a boolean', true],
  ])('%s: %p → BAD_VALUE', (_what, raw) => {
    expect(normaliseRelation(raw)).toEqual({ ok: false, fault: 'BAD_VALUE' });
  });
});

describe('relationKind', () => {
  it.each([
    ['01', 'HEAD'],
    ['02', 'SPOUSE'],
    ['10', 'SON'],
    ['13', 'SON'],
    ['19', 'SON'],
    ['20', 'DAUGHTER'],
    ['22', 'DAUGHTER'],
    ['29', 'DAUGHTER'],
    ['30', 'GRANDCHILD'],
    ['32', 'GRANDCHILD'],
    ['39', 'GRANDCHILD'],
    ['50', 'PARENT'],
    ['51', 'PARENT'],
    ['52', 'PARENT'],
    ['60', 'GRANDPARENT'],
    ['70', 'SIBLING'],
    ['99', 'OTHER'],
  ])('%s is %s', (code, kind) => {
    expect(relationKind(code)).toBe(kind);
  });

  it('gives a kind for every code normaliseRelation can return', () => {
    for (const code of CONTRACT_CODES) expect(() => relationKind(code)).not.toThrow();
  });

  it.each(['户主', '1', '00', '40', '53', ''])('refuses %p, which is not a normalised code', (code) => {
    expect(() => relationKind(code)).toThrow(RangeError);
  });
});
