/**
 * Amounts of money in yuan (元) as exact decimal strings, and whole counts (people, households).
 * Nothing here goes through a binary float: `0.1 + 0.2` must never reach a payment total.
 */

export type AmountResult =
  | { ok: true; amount: string | null /* normalised like '1234.50' with at least 2 decimals */ }
  | { ok: false; fault: 'NEGATIVE_AMOUNT' | 'BAD_VALUE' };

export type CountResult = { ok: true; value: number | null } | { ok: false; fault: 'BAD_VALUE' | 'NEGATIVE_AMOUNT' };

type Lexed =
  | { kind: 'empty' }
  | { kind: 'bad' }
  | { kind: 'number'; negative: boolean; integer: string /* no leading zeros */; fraction: string /* no trailing zeros */ };

/** Plain digits with an optional fraction, or digits grouped by thousands with commas. */
const PLAIN = /^(\d*)(?:\.(\d*))?$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$/;
const SIGN = String.raw`([+\-\u2212]?)`;
/** `¥1234.50`, `-¥939.03`, `¥-939.03`, `1234.50元`, `RMB 12`; NFKC has already turned ￥ into ¥. */
const MONEY = new RegExp(String.raw`^${SIGN}(?:¥|RMB|CNY)?${SIGN}([\d.,]+)(?:元|圆)?$`, 'i');
const BARE = new RegExp(String.raw`^${SIGN}([\d.,]+)$`);

function lex(raw: unknown, pattern: RegExp): Lexed {
  if (raw === null || raw === undefined) return { kind: 'empty' };
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { kind: 'bad' };
    // The shortest round-trip form is the value the spreadsheet showed; exponents spelled out.
    text = plainNotation(String(raw));
  } else if (typeof raw === 'bigint') {
    text = String(raw);
  } else if (typeof raw === 'string') {
    // NFKC folds full-width digits, ，．－ and ￥; spaces (also inner, as digit grouping) go.
    text = raw.normalize('NFKC').replace(/\s+/gu, '').replace(/^'/, '');
  } else {
    return { kind: 'bad' };
  }
  if (text === '') return { kind: 'empty' };

  const m = pattern.exec(text);
  if (!m) return { kind: 'bad' };
  const signs = m.slice(1, -1).filter((s) => s !== '' && s !== undefined);
  if (signs.length > 1) return { kind: 'bad' };
  const body = m[m.length - 1]!;
  const parts = PLAIN.exec(body) ?? GROUPED.exec(body);
  if (!parts) return { kind: 'bad' };
  const integerDigits = parts[1]!.replace(/,/g, '');
  const fractionDigits = parts[2] ?? '';
  if (integerDigits === '' && fractionDigits === '') return { kind: 'bad' };

  return {
    kind: 'number',
    negative: signs.length === 1 && signs[0] !== '+',
    integer: integerDigits.replace(/^0+/, '') || '0',
    fraction: fractionDigits.replace(/0+$/, ''),
  };
}

/** `1.5e-7` → `0.00000015`, `1e+21` → `1000000000000000000000`; other strings unchanged. */
function plainNotation(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!m) return text;
  const digits = m[2]! + (m[3] ?? '');
  const point = m[2]!.length + Number(m[4]);
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return m[1] + digits + '0'.repeat(point - digits.length);
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function isZero(n: { integer: string; fraction: string }): boolean {
  return n.integer === '0' && n.fraction === '';
}

/**
 * Reads an amount in yuan: `1234.5`, `1,234.50`, `¥1234.50`, `￥1234.50`, `1234.50元`, ` 12 `,
 * a spreadsheet number (12.5). The result has two decimals (`'1234.50'`); more significant
 * decimals are kept exactly, never rounded (`'0.125'`). Empty is null; a negative amount is
 * NEGATIVE_AMOUNT (minus zero is zero); anything else that is not a number is BAD_VALUE.
 */
export function parseAmount(raw: unknown): AmountResult {
  const n = lex(raw, MONEY);
  if (n.kind === 'empty') return { ok: true, amount: null };
  if (n.kind === 'bad') return { ok: false, fault: 'BAD_VALUE' };
  if (n.negative && !isZero(n)) return { ok: false, fault: 'NEGATIVE_AMOUNT' };
  return { ok: true, amount: `${n.integer}.${n.fraction.padEnd(2, '0')}` };
}

/**
 * Reads a whole count such as a population or a number of households: `12`, `12.0`, `1,200`,
 * 12. Empty is null; a negative count is NEGATIVE_AMOUNT; a fraction, a currency mark, or a
 * count too large to hold exactly is BAD_VALUE.
 */
export function parseCount(raw: unknown): CountResult {
  const n = lex(raw, BARE);
  if (n.kind === 'empty') return { ok: true, value: null };
  if (n.kind === 'bad' || n.fraction !== '') return { ok: false, fault: 'BAD_VALUE' };
  if (n.negative && !isZero(n)) return { ok: false, fault: 'NEGATIVE_AMOUNT' };
  const value = Number(n.integer);
  if (!Number.isSafeInteger(value)) return { ok: false, fault: 'BAD_VALUE' };
  return { ok: true, value };
}
