/**
 * 脱敏 Masking by meaning: an ID number is masked in every spelling the hub itself accepts or a
 * feed writes — with spaces, hyphens, full-width digits, 17 digits, inside a 学籍号 or a JSON
 * number — and a name under every key that means a name; ordinary numbers stay readable.
 */
import { Writable } from 'node:stream';
import { checkDigit } from '../../src/identity';
import { createLogger } from '../../src/logging/logger';
import { isNameField, maskFieldValue, maskIdNumbersIn, maskNamesIn, maskRecord, namesIn, quarantinedForOperator } from '../../src/auth/masking';
import { householdContract, grantContract, registrationContract } from '../../connectors/civil-affairs/contract';
import { personContract } from '../../connectors/disability/contract';
import { factContract } from '../../connectors/economic-check/contract';
import { educationRow } from '../../connectors/education/contract';
import { settlementContract, deathContract } from '../../connectors/health/contract';
import { publicHousingRow, dangerousHouseRow } from '../../connectors/housing/contract';
import { povertyRow } from '../../connectors/poverty-relief/contract';
import { regionStatsRow } from '../../connectors/region-stats/contract';

/** A valid ID number: a 荣成市 girl born 2010-08-12, as the education feed would carry her. */
const ID = withCheck('37108220100812070');
const BIRTH = '20100812';
const FULL_WIDTH = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function withCheck(first17: string): string {
  return first17 + checkDigit(first17);
}

/** What a reader could recover: the text with widths folded and spaces and hyphens dropped. */
function folded(text: string): string {
  return text.normalize('NFKC').replace(/[\s\-‐‑‒–—－]/gu, '').toUpperCase();
}

describe('ID numbers in free text, in every spelling', () => {
  const spellings: Array<[string, string, string]> = [
    ['18 characters', `身份证号 ${ID} 校验位错误`, `身份证号 371082********${ID.slice(-4)} 校验位错误`],
    ['with spaces, as the education feed writes them', '371082 20100812 0702'.replace('0702', ID.slice(14)), `371082 ******** ${ID.slice(14)}`],
    ['with hyphens', `371082-20100812-${ID.slice(14)}`, `371082-********-${ID.slice(14)}`],
    ['17 digits (the check digit missing)', `sfzh=${ID.slice(0, 17)};`, `sfzh=371082*******${ID.slice(13, 17)};`],
    ['full-width digits with ideographic spaces', FULL_WIDTH(`371082　${BIRTH}　${ID.slice(14)}`), `${FULL_WIDTH('371082')}　********　${FULL_WIDTH(ID.slice(14))}`],
    ['full-width with a full-width Ｘ', FULL_WIDTH('11010519491231002X'), `${FULL_WIDTH('110105')}********${FULL_WIDTH('002X')}`],
    ['inside a 学籍号 (a letter and the 18 characters)', 'G371083200802102351|义务教育生活补助|2026-2027_1', 'G371083********2351|义务教育生活补助|2026-2027_1'],
    ['as a JSON number, its last digits lost', '{"sfzh":371082201008120700}', '{"sfzh":371082********0700}'],
    ['a legacy 15-digit number', '旧号 110105491231002', '旧号 110105*****1002'],
    ['a disability certificate (ID number and two digits)', `certNo ${ID}42`, `certNo 371082**********${ID.slice(16)}42`],
    ['lower-case x', '11010519491231002x', '110105********002x'],
    ['one with an impossible birth date (quarantined, still someone’s)', '371003197511314964', '371003********4964'],
  ];

  it('masks each to its region code, asterisks and last four, in the spelling it was written in', () => {
    for (const [spelling, text, masked] of spellings) {
      expect({ spelling, masked: maskIdNumbersIn(text) }).toEqual({ spelling, masked });
      expect(folded(maskIdNumbersIn(text))).not.toMatch(/\d{12}/);
    }
  });

  it('hides the birth date of every spelling in one text', () => {
    const text = [ID, `${ID.slice(0, 6)} ${BIRTH} ${ID.slice(14)}`, ID.slice(0, 17), FULL_WIDTH(ID), `G${ID}`, `${ID.slice(0, 6)}-${BIRTH}-${ID.slice(14)}`].join('，');
    expect(folded(maskIdNumbersIn(text))).not.toContain(BIRTH);
  });

  it.each([
    ['amounts', '金额 1234.50 元，1,234.50，¥48210.55，-939.03，1230.00元'],
    ['dates', '2024-03-01 至 2024-12-31，20240301，2024/3/1，2024年3月1日，45352'],
    ['phone numbers', '电话 13812345678，138 1234 5678，138-1234-5678，0631-5201234'],
    ['region codes and household numbers', '区划 371082101203，371002001，户编号 371083108224001，371003100262001'],
    ['counters and cursors', 'page 3: 500 rows, cursor 20251102083000, line 38, 2026-2027_1'],
  ])('leaves %s readable', (_what, text) => {
    expect(maskIdNumbersIn(text)).toBe(text);
  });
});

describe('the hub’s log', () => {
  it('never holds an ID number, in any spelling or as a number', () => {
    const lines: string[] = [];
    const log = createLogger({ destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) });
    log.info({ record: { sfzh: 371082201008120700, 身份证号: `${ID.slice(0, 6)} ${BIRTH} ${ID.slice(14)}` } }, `refused ${FULL_WIDTH(ID)} and ${ID.slice(0, 17)}`);
    expect(lines).toHaveLength(1);
    expect(folded(lines[0]!)).not.toContain(BIRTH);
  });
});

describe('names by meaning', () => {
  /** Every key a feed contract declares, however deep (members[].xm, subsidies[].type). */
  function keysOf(schema: any): string[] {
    if (schema?.shape) return Object.entries(schema.shape).flatMap(([k, v]) => [k, ...keysOf(v)]);
    if (schema?.element) return keysOf(schema.element);
    if (typeof schema?.unwrap === 'function') return keysOf(schema.unwrap());
    return [];
  }
  const contracts = [
    householdContract, grantContract, registrationContract, personContract, factContract, educationRow,
    settlementContract, deathContract, publicHousingRow, dangerousHouseRow, povertyRow, regionStatsRow,
  ];

  it('knows every name field the feeds’ contracts declare, and nothing else of theirs', () => {
    const keys = [...new Set(contracts.flatMap(keysOf))];
    // A contract's person names: pinyin 姓名 (xm), camelCase name, and every …姓名 column.
    const declared = keys.filter((k) => k === 'xm' || k === 'name' || k.endsWith('姓名'));
    expect(declared.sort()).toEqual(['name', 'xm', '姓名', '成员姓名', '户主姓名', '申请人姓名'].sort());
    expect(keys.filter(isNameField).sort()).toEqual(declared.sort());
  });

  it('treats the keys feeds also deliver names under as names, and keys that only end like one as none', () => {
    const names = ['联系人', '监护人', 'guardian', 'guardianName', 'contact', '户主', 'hzxm', '紧急联系人', 'members[2].xm', 'guardian.name', '监护人姓名'];
    const others = ['学校名称', 'fileName', 'sheetName', 'contactPhone', 'xmdm', 'jtdz', '户主身份证号', '房源地址', 'jbzd'];
    expect(names.filter((k) => !isNameField(k))).toEqual([]);
    expect(others.filter(isNameField)).toEqual([]);
  });

  it('masks names under keys no contract lists, and every ID number, in a record as received', () => {
    const raw = {
      学籍号: `G${ID}`,
      身份证号: `${ID.slice(0, 6)} ${BIRTH} ${ID.slice(14)}`,
      姓名: '隋浩宇',
      联系人: '隋建国',
      监护人: '欧阳秀英',
      guardian: { name: '王芳', idCard: 371082198003150000 },
      contact: '李娜',
      备注: '监护人欧阳秀英代领，联系人隋建国',
      资助金额: '500.00',
      members: [{ sfzh: FULL_WIDTH(ID), xm: '于涵' }],
    };
    const masked = maskRecord(raw) as any;
    expect(masked).toMatchObject({
      学籍号: `G371082********${ID.slice(14)}`,
      姓名: '隋**',
      联系人: '隋**',
      监护人: '欧阳**',
      guardian: { name: '王*', idCard: '371082********0000' },
      contact: '李*',
      备注: '监护人欧阳**代领，联系人隋**',
      资助金额: '500.00',
      members: [{ xm: '于*' }],
    });
    const text = folded(JSON.stringify(masked));
    expect(text).not.toContain(BIRTH);
    expect(text).not.toContain('19800315');
    for (const name of ['隋浩宇', '隋建国', '欧阳秀英', '王芳', '李娜', '于涵']) expect(JSON.stringify(masked)).not.toContain(name);
  });

  it('finds the names a record gives, and masks them and labelled names inside free text', () => {
    const raw = { members: [{ xm: '张伟' }], jtdz: '环翠区竹岛街道某社区12号' };
    expect(namesIn(raw)).toEqual(['张伟']);
    expect(maskNamesIn('户主张伟之女代领，联系人：李小红 13812345678', namesIn(raw))).toBe('户主张*之女代领，联系人：李** 13812345678');
    expect(maskFieldValue('jtdz', `环翠区竹岛街道12号 张伟 ${ID}`, namesIn(raw))).toBe(`环翠区竹岛街道12号 张* 371082********${ID.slice(14)}`);
    expect(maskFieldValue('联系人', '张伟', [])).toBe('张*');
  });
});

describe('what an operator (ADMIN) sees of a quarantined record', () => {
  it('is why it was refused, masked, and not the record', () => {
    const entry = {
      id: '7',
      recordKey: `G${ID}|义务教育生活补助|2026-2027_1`,
      reason: 'BAD_ID_CHECK_DIGIT',
      field: '身份证号',
      value: `${ID.slice(0, 6)} ${BIRTH} ${ID.slice(14)}`,
      location: 'xszz_2026-2027_1.csv:38',
      raw: { 学籍号: `G${ID}`, 身份证号: `${ID.slice(0, 6)} ${BIRTH} ${ID.slice(14)}`, 姓名: '隋浩宇', 监护人: '隋建国', 资助金额: '500.00' },
    };
    expect(quarantinedForOperator(entry)).toEqual({
      id: '7',
      recordKey: `G371082********${ID.slice(14)}|义务教育生活补助|2026-2027_1`,
      reason: 'BAD_ID_CHECK_DIGIT',
      field: '身份证号',
      value: `371082 ******** ${ID.slice(14)}`,
      location: 'xszz_2026-2027_1.csv:38',
      raw: null,
    });
  });

  it('keeps an offending amount or date readable, and masks a name quoted in an address', () => {
    const raw = { hh_id: 'MZ-371003-000010', jtdz: '文登区葛家镇洛格庄村80号于鹏家', members: [{ xm: '于鹏' }] };
    const seen = (field: string, value: string) => quarantinedForOperator({ recordKey: 'MZ-371003-000010', reason: 'BAD_VALUE', field, value, location: null, raw });
    expect(seen('enrollments[0].bzje', '-2503.00').value).toBe('-2503.00');
    expect(seen('enrollments[0].ksrq', '2019-02-30').value).toBe('2019-02-30');
    expect(seen('jtdz', raw.jtdz).value).toBe('文登区葛家镇洛格庄村80号于*家');
  });
});
