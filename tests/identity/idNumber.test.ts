import { addDays, checkDigit, maskIdNumber, maskIdNumbersIn, normaliseIdNumber, todayInShanghai } from '../../src/identity';
import { idNumbersIn } from '../../src/identity/idNumber';

/** The worked example of GB 11643-1999 and another widely published valid number. */
const STANDARD_EXAMPLE = '11010519491231002X';
const PUBLISHED_EXAMPLE = '440524188001010014';
/** The head of household in the feed contract's example record. */
const CONTRACT_EXAMPLE = '371002198001011232';

/** ISO 7064 MOD 11-2 restated: with X = 10, Σ aᵢ·2^(18−i) over all 18 characters ≡ 1 (mod 11). */
function satisfiesMod11_2(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const value = id[i] === 'X' ? 10 : Number(id[i]);
    sum += value * (2 ** (17 - i) % 11);
  }
  return sum % 11 === 1;
}

/** A number with the given first 17 digits that is right in every way but perhaps its birth date. */
function withCheckDigit(first17: string): string {
  return first17 + checkDigit(first17);
}

const AS_OF = { today: '2026-10-31' };

describe('checkDigit (ISO 7064 MOD 11-2)', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['37100219800101123', '2'],
  ])('%s → %s', (first17, expected) => {
    expect(checkDigit(first17)).toBe(expected);
  });

  it('produces every one of the 11 check characters, each satisfying the MOD 11-2 equation', () => {
    const seen = new Set<string>();
    for (let sequence = 0; sequence < 200; sequence++) {
      const first17 = `37100219800101${String(sequence).padStart(3, '0')}`;
      const id = withCheckDigit(first17);
      expect(satisfiesMod11_2(id)).toBe(true);
      seen.add(id[17]!);
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it.each(['1101051949123100', '110105194912310021', '1101051949123100X', ''])('refuses %p, which is not 17 digits', (bad) => {
    expect(() => checkDigit(bad)).toThrow(RangeError);
  });
});

describe('normaliseIdNumber: valid numbers', () => {
  it.each([
    [STANDARD_EXAMPLE, '1949-12-31', 'F', '110105'],
    [CONTRACT_EXAMPLE, '1980-01-01', 'M', '371002'],
    ['37108319740606087X', '1974-06-06', 'M', '371083'],
  ])('%s is born %s, sex %s, registered in %s', (id, birthDate, sex, region) => {
    expect(normaliseIdNumber(id, AS_OF)).toEqual({ ok: true, id, birthDate, sex, regionOfRegistration: region });
  });

  it('reads the sex from the 17th digit: odd is male, even is female', () => {
    for (let digit = 0; digit <= 9; digit++) {
      const result = normaliseIdNumber(withCheckDigit(`3710021980010112${digit}`), AS_OF);
      expect(result).toMatchObject({ ok: true, sex: digit % 2 === 1 ? 'M' : 'F' });
    }
  });
});

describe('normaliseIdNumber: the spellings feeds deliver', () => {
  it.each([
    ['lower-case x', '11010519491231002x', STANDARD_EXAMPLE],
    ['full-width digits and Ｘ', '１１０１０５１９４９１２３１００２Ｘ', STANDARD_EXAMPLE],
    ['full-width digits and ｘ', '１１０１０５１９４９１２３１００２ｘ', STANDARD_EXAMPLE],
    ['surrounding spaces', '  371002198001011232 ', CONTRACT_EXAMPLE],
    ['tab and newline', '\t371002198001011232\r\n', CONTRACT_EXAMPLE],
    ['full-width (ideographic) spaces', '\u3000371002198001011232\u3000', CONTRACT_EXAMPLE],
    ['no-break spaces', '\u00a0371002198001011232\u00a0', CONTRACT_EXAMPLE],
    ['inner spaces', '371002 19800101 1232', CONTRACT_EXAMPLE],
    ['a leading apostrophe (spreadsheet text marker)', "'371002198001011232", CONTRACT_EXAMPLE],
    ['a full-width apostrophe', '＇371002198001011232', CONTRACT_EXAMPLE],
    ['a typographic apostrophe', '’371002198001011232', CONTRACT_EXAMPLE],
    ['an apostrophe after a space', " '371002198001011232", CONTRACT_EXAMPLE],
    ['a trailing .0 (number cell)', '371002198001011232.0', CONTRACT_EXAMPLE],
    ['a trailing .00', '371002198001011232.00', CONTRACT_EXAMPLE],
    ['everything at once', " '１１０１０５１９４９１２３１００２ｘ.0 ", STANDARD_EXAMPLE],
    ['legacy 15-digit form', '110105491231002', STANDARD_EXAMPLE],
    ['legacy 15-digit form with spaces', ' 110105491231002 ', STANDARD_EXAMPLE],
    ['legacy 15-digit form from a number cell', '371002800101123.0', CONTRACT_EXAMPLE],
    ['legacy 15-digit form as a number', 110105491231002, STANDARD_EXAMPLE],
    ['legacy 15-digit form in full-width digits', '１１０１０５４９１２３１００２', STANDARD_EXAMPLE],
    ['a bigint', 371002198001011232n, CONTRACT_EXAMPLE],
  ])('%s: %p → %s', (_what, raw, expected) => {
    expect(normaliseIdNumber(raw, AS_OF)).toMatchObject({ ok: true, id: expected });
  });

  it('turns a legacy 15-digit number into the 18-digit form born in the 1900s with its check digit computed', () => {
    const result = normaliseIdNumber('371003620228134', AS_OF);
    expect(result).toMatchObject({ ok: true, birthDate: '1962-02-28', sex: 'F', regionOfRegistration: '371003' });
    if (!result.ok) throw new Error('expected a valid number');
    expect(result.id).toMatch(/^37100319620228134[\dX]$/);
    expect(satisfiesMod11_2(result.id)).toBe(true);
  });

  it('can fail a legacy 15-digit number only on its birth date', () => {
    expect(normaliseIdNumber('371003620230134', AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
    expect(normaliseIdNumber('371003621328134', AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
  });

  it('has already normalised a normalised number', () => {
    const once = normaliseIdNumber(' 11010519491231002x ', AS_OF);
    if (!once.ok) throw new Error('expected a valid number');
    expect(normaliseIdNumber(once.id, AS_OF)).toEqual(once);
  });
});

describe('normaliseIdNumber: wrong check digits', () => {
  const wrongForStandard = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  it.each(wrongForStandard)('11010519491231002 with check character %s instead of X is BAD_ID_CHECK_DIGIT', (wrong) => {
    expect(normaliseIdNumber(`11010519491231002${wrong}`, AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_CHECK_DIGIT' });
  });

  const wrongForContract = ['0', '1', '3', '4', '5', '6', '7', '8', '9', 'X', 'x'];
  it.each(wrongForContract)('37100219800101123 with check character %s instead of 2 is BAD_ID_CHECK_DIGIT', (wrong) => {
    expect(normaliseIdNumber(`37100219800101123${wrong}`, AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_CHECK_DIGIT' });
  });

  it.each([
    ['one digit mistyped', '371002198001011332'],
    ['two neighbouring digits swapped', '371002198001011322'],
    ['region digits swapped', '370102198001011232'],
  ])('catches %s: %s', (_what, id) => {
    expect(normaliseIdNumber(id, AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_CHECK_DIGIT' });
  });

  it('checks the check digit after tidying the spelling', () => {
    expect(normaliseIdNumber(" '３７１００２１９８００１０１１２３３.0", AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_CHECK_DIGIT' });
  });
});

describe('normaliseIdNumber: birth dates', () => {
  it.each([
    ['29 February in a leap year', '20000229', true],
    ['29 February 2024', '20240229', true],
    ['29 February in a common year', '19990229', false],
    ['29 February 1900 (century, not a leap year)', '19000229', false],
    ['28 February 1900', '19000228', true],
    ['1 January 1900, the earliest allowed', '19000101', true],
    ['31 December 1899, before 1900', '18991231', false],
    ['month 13', '19801301', false],
    ['month 00', '19800001', false],
    ['day 00', '19800100', false],
    ['day 32', '19800132', false],
    ['31 April', '19800431', false],
    ['31 November', '19751131', false],
    ['30 November', '19751130', true],
    ['31 December', '19801231', true],
  ])('%s (%s)', (_what, yyyymmdd, valid) => {
    const id = withCheckDigit(`371002${yyyymmdd}123`);
    const result = normaliseIdNumber(id, AS_OF);
    if (valid) {
      expect(result).toMatchObject({ ok: true, birthDate: `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}` });
    } else {
      expect(result).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
    }
  });

  it('rejects a birth year before 1900 even in a number whose check digit is right', () => {
    expect(checkDigit(PUBLISHED_EXAMPLE.slice(0, 17))).toBe(PUBLISHED_EXAMPLE[17]);
    expect(normaliseIdNumber(PUBLISHED_EXAMPLE, AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
  });

  it('rejects a birth date after the given day and accepts one on it', () => {
    expect(normaliseIdNumber(withCheckDigit('37100220261101123'), AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
    expect(normaliseIdNumber(withCheckDigit('37100220261031123'), AS_OF)).toMatchObject({ ok: true, birthDate: '2026-10-31' });
  });

  it('rejects, by default, a birth date after today in Shanghai', () => {
    const today = todayInShanghai();
    const tomorrow = addDays(today, 1).replace(/-/g, '');
    expect(normaliseIdNumber(withCheckDigit(`371002${tomorrow}123`))).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
    expect(normaliseIdNumber(withCheckDigit(`371002${today.replace(/-/g, '')}123`))).toMatchObject({ ok: true, birthDate: today });
  });

  it('reports an impossible birth date even when the check digit is wrong too (birth date is checked first)', () => {
    const valid = withCheckDigit('37100319751131496');
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(normaliseIdNumber(valid, AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
    expect(normaliseIdNumber(wrong, AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_BIRTH_DATE' });
  });
});

describe('normaliseIdNumber: not an ID number at all', () => {
  it.each([
    ['empty text', ''],
    ['only spaces', '   '],
    ['null', null],
    ['undefined', undefined],
    ['letters', 'abcdefghijklmnopqr'],
    ['17 digits', '37100219800101123'],
    ['16 digits', '3710021980010112'],
    ['19 digits', '3710021980010112321'],
    ['14 digits', '37100280010112'],
    ['X in the middle', '3710021980X1011232'],
    ['a letter other than X as check character', '37100219800101123Y'],
    ['a 15-digit form ending in X', '37100280010112X'],
    ['hyphens inside', '371002-19800101-1232'],
    ['a trailing fraction other than .0', '371002198001011232.5'],
    ['two apostrophes inside', "371002'198001011232"],
    ['a negative number', -110105491231002],
    ['a number with a fraction', 110105491231002.5],
    ['an 18-digit number, whose last digits a float has already lost', 371002198001011232],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['an object', { id: CONTRACT_EXAMPLE }],
    ['an array', [CONTRACT_EXAMPLE]],
  ])('%s → BAD_ID_FORMAT', (_what, raw) => {
    expect(normaliseIdNumber(raw, AS_OF)).toEqual({ ok: false, fault: 'BAD_ID_FORMAT' });
  });
});

describe('maskIdNumber', () => {
  it.each([
    [CONTRACT_EXAMPLE, '371002********1232'],
    [STANDARD_EXAMPLE, '110105********002X'],
    ['110105491231002', '110105*****1002'],
  ])('%s → %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
    expect(maskIdNumber(id)).toHaveLength(id.length);
  });

  it('hides the birth date and the sequence number', () => {
    expect(maskIdNumber(CONTRACT_EXAMPLE)).not.toContain('19800101');
  });

  it('masks a value too short to keep any digits completely', () => {
    expect(maskIdNumber('1234567')).toBe('*******');
  });
});

describe('maskIdNumbersIn', () => {
  it('masks every ID number in a sentence and leaves the other numbers readable', () => {
    const text =
      `户主 ${CONTRACT_EXAMPLE} 与配偶 11010519491231002x 重复享受低保，金额 1230.00 元，` +
      '区划 371002001001，户编号 371083108224001，日期 20240301';
    expect(maskIdNumbersIn(text)).toBe(
      '户主 371002********1232 与配偶 110105********002x 重复享受低保，金额 1230.00 元，' +
        '区划 371002001001，户编号 371083108224001，日期 20240301',
    );
  });

  it.each([
    ['at the start and end of the text', `${CONTRACT_EXAMPLE}`, '371002********1232'],
    ['inside an error message with JSON', `{"sfzh":"${CONTRACT_EXAMPLE}"}`, '{"sfzh":"371002********1232"}'],
    ['inside a 学籍号 (a letter prefix)', 'G371082201512175913', 'G371082********5913'],
    ['with a trailing .0', '371082197001312470.0', '371082********2470.0'],
    ['a legacy 15-digit number', '旧号 110105491231002', '旧号 110105*****1002'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ', '１１０１０５********００２Ｘ'],
    ['a disability certificate number (ID number + 2 digits)', 'certNo 37100219800101123242', 'certNo 371002**********3242'],
    ['one with a wrong check digit', '371002198001011233', '371002********1233'],
    ['two in a row separated by a comma', `${CONTRACT_EXAMPLE},${STANDARD_EXAMPLE}`, '371002********1232,110105********002X'],
  ])('masks %s', (_what, text, masked) => {
    expect(maskIdNumbersIn(text)).toBe(masked);
  });

  it('leaves text without ID numbers unchanged', () => {
    const text = 'sync civil-affairs page 3: 500 rows, cursor 20251102083000, amount 48210.55, qhdm 371082101203';
    expect(maskIdNumbersIn(text)).toBe(text);
  });

  it('leaves no 18-character ID run in the output', () => {
    const text = `a=${CONTRACT_EXAMPLE} b=${STANDARD_EXAMPLE} c=371003620228134`;
    expect(maskIdNumbersIn(text)).not.toMatch(/\d{17}[\dX]|\d{15}/);
  });
});

describe('the ID numbers an answer carries', () => {
  const answer = {
    person: { idNumber: CONTRACT_EXAMPLE, name: '张三', birthYear: 1980 },
    findings: [
      { identity: `${STANDARD_EXAMPLE.toLowerCase()}|DB`, evidence: [{ recordKey: 'hh-0001', values: { '37108319740606087X': 'listed' } }] },
      // legacy 15 digits inside a sentence, spaced out; a phone number and an amount stay what they are
      { reason: `moved with 110105 491231 002 to her mother; call 13812345678, 939.03 yuan`, again: CONTRACT_EXAMPLE },
    ],
  };

  it('finds each in any string, key or spelling, once however often it is named', () => {
    expect(idNumbersIn(JSON.stringify(answer)).sort()).toEqual([CONTRACT_EXAMPLE, '37108319740606087X', STANDARD_EXAMPLE].sort());
  });
});
