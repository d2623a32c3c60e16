import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

/**
 * D1 in situations. (a) repeat 临时救助 grants to one household in a calendar year: the approved
 * repeat (ldxz_pzwh), the year boundary, a grant not yet paid on d, grants to two households, a
 * person with no household. (b) the same aid in one term under two 学籍号, and its near misses.
 */
const HEAD = idNo('37100219700101123');
const WIFE = idNo('37100219720202124');
const NEIGHBOUR = idNo('37100219650303125');
const LONER = idNo('37100219800404126');
const PUPIL = idNo('37100320160106589');

const household = (hhId: string, head: string, members: Array<[string, string, string]>) => ({
  hh_id: hhId,
  hzsfzh: head,
  jtdz: '环翠区测试地址1号',
  qhdm: '371002001001',
  hjxz: '城镇',
  members: members.map(([sfzh, xm, yhzgx]) => ({ sfzh, xm, yhzgx, zlnl: '全自理' })),
  enrollments: [{ xmdm: 'DB', bzje: '900.00', ksrq: '2024-01-01', zzrq: null, tkcy: null, gyfs: null, spjb: '镇街' }],
  updated_at: '2024-01-05T10:00:00+08:00',
  deleted: false,
});
const family = household('MZ-371002-900001', HEAD, [[HEAD, '王建国', '01'], [WIFE, '李秀英', '02']]);
const neighbours = household('MZ-371002-900002', NEIGHBOUR, [[NEIGHBOUR, '张志强', '01']]);

/** 临时救助: one-off, paid on `ffrq`; `ldxz_pzwh` is the leading group's approval of a repeat grant. */
const ls = (id: string, sfzh: string, ffrq: string, ldxz_pzwh: string | null = null) => ({
  grant_id: id, sfzh, xm: '受助人', xmdm: 'LS', je: '3000.00', ffrq, ksrq: null, zzrq: null, qhdm: '371002001001',
  spjb: '区市', ldxz_pzwh, updated_at: `${ffrq}T18:00:00+08:00`, deleted: false,
});

/** Household findings of (a): definition D1a. */
export const D1HouseholdCases: RuleCase[] = [
  {
    // rules.md "household": else, for a housing applicant, a household of the applicant alone —
    // before weijiu_person_household held that case (only G9 had it), this was a person finding
    name: 'a public-housing tenant no register lists receives two grants in one year: their own household is the subject',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { grants: [ls('LS-2026-900001', LONER, '2026-02-10'), ls('LS-2026-900002', LONER, '2026-08-11')] },
      housing: {
        date: '2026-10-31',
        publicHousing: [{
          序号: '1', 申请人身份证号: LONER, 申请人姓名: '赵磊', 家庭人口: '1', 保障方式: '租赁补贴', '补贴金额(元/月)': '600',
          开始日期: '2025-03-25', 结束日期: '', 房源地址: '', 区划代码: '371002001001',
        }],
      },
    },
    expect: [`D1|household|${LONER}|a|2026-08-11`],
  },
  {
    name: 'husband in January, wife in September of the same year, the second without approval: a finding on its payment day',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [family], grants: [ls('LS-2026-900001', HEAD, '2026-01-15'), ls('LS-2026-900002', WIFE, '2026-09-23')] },
    },
    expect: [`D1|household|${HEAD}|a|2026-09-23`],
    expectNot: [`D1|household|${HEAD}|a|2026-01-15`],
  },
  {
    name: 'the second grant carries the leading group approval (ldxz_pzwh): re-assistance approved',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [family],
        grants: [ls('LS-2026-900001', HEAD, '2026-01-15'), ls('LS-2026-900002', WIFE, '2026-09-23', '威救领办〔2026〕57号')],
      },
    },
    expect: [],
  },
  {
    name: 'an approved second grant still counts as earlier: the unapproved third one is a finding',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [family],
        grants: [
          ls('LS-2026-900001', HEAD, '2026-01-15'),
          ls('LS-2026-900002', WIFE, '2026-05-20', '威救领办〔2026〕57号'),
          ls('LS-2026-900003', HEAD, '2026-10-08'),
        ],
      },
    },
    expect: [`D1|household|${HEAD}|a|2026-10-08`],
    expectNot: [`D1|household|${HEAD}|a|2026-05-20`],
  },
  {
    name: 'paid on 31 December and 1 January: two calendar years, no repeat',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [family], grants: [ls('LS-2025-900001', HEAD, '2025-12-31'), ls('LS-2026-900001', WIFE, '2026-01-01')] } },
    expect: [],
  },
  {
    name: 'two grants paid on the same day: one finding for that day',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [family], grants: [ls('LS-2026-900001', HEAD, '2026-03-02'), ls('LS-2026-900002', WIFE, '2026-03-02')] } },
    expect: [`D1|household|${HEAD}|a|2026-03-02`],
  },
  {
    name: 'the second grant is paid after d: not yet a finding',
    asOf: '2026-09-22',
    feeds: {
      civilAffairs: { households: [family], grants: [ls('LS-2026-900001', HEAD, '2026-01-15'), ls('LS-2026-900002', WIFE, '2026-09-23')] },
    },
    expect: [],
  },
  {
    name: 'one grant each to two different households in one year: no repeat',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [family, neighbours],
        grants: [ls('LS-2026-900001', HEAD, '2026-01-15'), ls('LS-2026-900002', NEIGHBOUR, '2026-09-23')],
      },
    },
    expect: [],
  },
];

/** 学生资助 ledger rows (header → cell text), as in xszz_{学年}_{学期}.csv. */
const aidRow = (xjh: string, school: string, aid: string, amount: string) => ({
  学籍号: xjh, 身份证号: PUPIL, 姓名: '刘子涵', 学校名称: school, 学段: '小学', 年级: '四年级', 在校状态: '在读',
  资助项目: aid, 资助金额: amount, 学年: '2026-2027', 学期: '1', 区划代码: '371003001205',
});

/** Person findings: (a) for a recipient with no household, and (b). Definition D1b. */
export const D1PersonCases: RuleCase[] = [
  {
    name: 'a person in no household receives two grants in one year: the person is the subject',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { grants: [ls('LS-2026-900001', LONER, '2026-02-10'), ls('LS-2026-900002', LONER, '2026-08-11')] } },
    expect: [`D1|person|${LONER}|a|2026-08-11`],
  },
  {
    name: 'a household member: the household is the subject, not the person',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [family], grants: [ls('LS-2026-900001', HEAD, '2026-02-10'), ls('LS-2026-900002', HEAD, '2026-08-11')] },
    },
    expect: [],
  },
  {
    name: 'the same compulsory-education living subsidy in one term under two 学籍号',
    asOf: '2026-10-31',
    feeds: {
      education: {
        term: '2026-2027_1',
        rows: [
          aidRow(`G${PUPIL}`, '环翠区实验小学', '义务教育生活补助', '500.00'),
          aidRow('L3710032026000001', '环翠区第二实验小学', '义务教育生活补助', '500.00'),
        ],
      },
    },
    expect: [`D1|person|${PUPIL}|b|2026-2027_1|义务教育生活补助`],
  },
  {
    name: 'the same row delivered twice: one 学籍号, no repeat',
    asOf: '2026-10-31',
    feeds: {
      education: {
        term: '2026-2027_1',
        rows: [aidRow(`G${PUPIL}`, '环翠区实验小学', '义务教育生活补助', '500.00'), aidRow(`G${PUPIL}`, '环翠区实验小学', '义务教育生活补助', '500.00')],
      },
    },
    expect: [],
  },
  {
    name: 'two 学籍号 with different aids: not the same aid',
    asOf: '2026-10-31',
    feeds: {
      education: {
        term: '2026-2027_1',
        rows: [aidRow(`G${PUPIL}`, '环翠区实验小学', '义务教育生活补助', '500.00'), aidRow('L3710032026000001', '环翠区第二实验小学', '免学费', '800.00')],
      },
    },
    expect: [],
  },
  {
    name: 'two 学籍号, the second enrolled without aid: no repeat',
    asOf: '2026-10-31',
    feeds: {
      education: {
        term: '2026-2027_1',
        rows: [aidRow(`G${PUPIL}`, '环翠区实验小学', '义务教育生活补助', '500.00'), aidRow('L3710032026000001', '环翠区第二实验小学', '', '')],
      },
    },
    expect: [],
  },
  {
    name: 'the term begins after d (autumn term from 1 September): not yet a finding',
    asOf: '2026-08-31',
    feeds: {
      education: {
        term: '2026-2027_1',
        rows: [
          aidRow(`G${PUPIL}`, '环翠区实验小学', '义务教育生活补助', '500.00'),
          aidRow('L3710032026000001', '环翠区第二实验小学', '义务教育生活补助', '500.00'),
        ],
      },
    },
    expect: [],
  },
];
