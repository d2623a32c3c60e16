/**
 * 与户主关系 relation to the head of household, as the GB/T 4761 codes the feed contract uses in
 * 户口簿 (household registers): `01` head, `02` spouse, `10`–`19` son, `20`–`29` daughter,
 * `30`–`39` grandchild, `50` parents, `51` father, `52` mother, `60` grandparents, `70` siblings,
 * `99` other.
 */

export type RelationKind = 'HEAD' | 'SPOUSE' | 'SON' | 'DAUGHTER' | 'GRANDCHILD' | 'PARENT' | 'GRANDPARENT' | 'SIBLING' | 'OTHER';
export type RelationResult = { ok: true; code: string /* 2 digits */ } | { ok: false; fault: 'BAD_VALUE' };

/** Some feeds write the word instead of the code: a word stands for the first code of its range. */
const WORDS: Readonly<Record<string, string>> = {
  户主: '01',
  配偶: '02',
  妻子: '02',
  丈夫: '02',
  之子: '10',
  子: '10',
  儿子: '10',
  之女: '20',
  女: '20',
  女儿: '20',
  孙子: '30',
  孙女: '30',
  孙子女: '30',
  父母: '50',
  父亲: '51',
  母亲: '52',
  祖父母: '60',
  兄弟姐妹: '70',
  其他: '99',
};

export function relationKind(code: string): RelationKind {
  const kind = kindOf(code);
  if (kind === null) throw new RangeError(`relationKind: not a relation code: ${JSON.stringify(code)}`);
  return kind;
}

function kindOf(code: string): RelationKind | null {
  if (!/^\d{2}$/.test(code)) return null;
  switch (code) {
    case '01': return 'HEAD';
    case '02': return 'SPOUSE';
    case '50': case '51': case '52': return 'PARENT';
    case '60': return 'GRANDPARENT';
    case '70': return 'SIBLING';
    case '99': return 'OTHER';
  }
  switch (code[0]) {
    case '1': return 'SON';
    case '2': return 'DAUGHTER';
    case '3': return 'GRANDCHILD';
  }
  return null;
}

/**
 * A relation as its two-digit code: from a code (`'01'`, `'1'`, 1, `'2.0'`) or a word (`户主`,
 * `配偶`, `之子` …). A code outside the contract's list, or an unknown word, is BAD_VALUE.
 */
export function normaliseRelation(raw: unknown): RelationResult {
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return { ok: false, fault: 'BAD_VALUE' };
    text = String(raw);
  } else if (typeof raw === 'string') {
    text = raw.normalize('NFKC').replace(/\s+/gu, '').replace(/^'/, '');
  } else {
    return { ok: false, fault: 'BAD_VALUE' };
  }

  const word = WORDS[text];
  if (word !== undefined && Object.hasOwn(WORDS, text)) return { ok: true, code: word };

  const digits = /^(\d{1,2})(?:\.0+)?$/.exec(text);
  if (!digits) return { ok: false, fault: 'BAD_VALUE' };
  const code = digits[1]!.padStart(2, '0');
  return kindOf(code) === null ? { ok: false, fault: 'BAD_VALUE' } : { ok: true, code };
}
