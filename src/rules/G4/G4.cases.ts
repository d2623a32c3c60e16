import { type RuleCase } from '../cases/ruleCase';
import { enrollmentOf, idNo } from '../cases/caseBuilders';

const PUPIL = idNo('37108220151021573');
const PARENT = idNo('37108219850312573');
const NEWEST = '2026-2027_1';
const key = (term = NEWEST) => `G4|person|${PUPIL}|${term}`;

type Row = Record<string, string>;
type Enrollment = ReturnType<typeof enrollment>;

/** G4 in situations: term files of the 学生资助 ledger (header → cell text), the household that makes the pupil DIBAO or TEKUN, poverty rows. */
const row = (o: { term?: string; aid?: string; status?: string; studentNo?: string } = {}): Row => {
  const [schoolYear, semester] = (o.term ?? NEWEST).split('_');
  return {
    学籍号: o.studentNo ?? `G${PUPIL}`, 身份证号: PUPIL, 姓名: '王子涵', 学校名称: '港西镇中心小学', 学段: '小学', 年级: '五年级',
    在校状态: o.status ?? '在读', 资助项目: o.aid ?? '', 资助金额: o.aid ? '500.00' : '', 学年: schoolYear, 学期: semester,
    区划代码: '371082102215',
  };
};
const household = (enrollments: Enrollment[]) => ({
  hh_id: 'MZ-371082-900011',
  hzsfzh: PARENT,
  jtdz: '荣成市测试地址11号',
  qhdm: '371082102215',
  hjxz: '农村',
  members: [
    { sfzh: PARENT, xm: '王建军', yhzgx: '01', zlnl: '全自理' },
    { sfzh: PUPIL, xm: '王子涵', yhzgx: '10', zlnl: '全自理' },
  ],
  enrollments,
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
const enrollment = enrollmentOf(PUPIL);
const dibao = { households: [household([enrollment('DB')])] };
const povertyRows = (status: '已脱贫' | '未脱贫', monitoring = '') =>
  [PARENT, PUPIL].map((member, i) => ({
    户编号: '371082102215901', 户主身份证号: PARENT, 成员身份证号: member, 成员姓名: '某', 与户主关系: i === 0 ? '01' : '10',
    识别年度: '2016', 脱贫状态: status, 监测对象类型: monitoring, 主要风险: '因学', 家庭年人均纯收入: '15000.00', 区划代码: '371082102215',
  }));

export const G4Cases: RuleCase[] = [
  {
    name: 'a DIBAO pupil 在读 with no aid in the newest term',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao, education: { term: NEWEST, rows: [row()] } },
    expect: [key()],
  },
  {
    name: 'a DIBAO pupil with 义务教育生活补助 in the newest term',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao, education: { term: NEWEST, rows: [row({ aid: '义务教育生活补助' })] } },
    expect: [],
    expectNot: [key()],
  },
  {
    name: 'aid under a second 学籍号 in the same term counts',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibao,
      education: { term: NEWEST, rows: [row(), row({ studentNo: 'L3710822026000001', aid: '免学费' })] },
    },
    expect: [],
  },
  {
    name: 'a DIBAO pupil 休学 (suspended) is not 在读',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao, education: { term: NEWEST, rows: [row({ status: '休学' })] } },
    expect: [],
  },
  {
    name: 'a TEKUN pupil with no aid',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('TK')])] }, education: { term: NEWEST, rows: [row()] } },
    expect: [key()],
  },
  {
    name: 'DB ended the day before d: not DIBAO on d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DB', '2024-01-01', '2026-10-30')])] }, education: { term: NEWEST, rows: [row()] } },
    expect: [],
  },
  {
    name: 'a low-income (DSR) pupil is neither DIBAO nor TEKUN',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([enrollment('DSR')])] }, education: { term: NEWEST, rows: [row()] } },
    expect: [],
  },
  {
    name: 'a member of a poverty-relief household 未脱贫',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: povertyRows('未脱贫') }, education: { term: NEWEST, rows: [row()] } },
    expect: [key()],
  },
  {
    name: 'a member of a household 已脱贫 but monitored (边缘易致贫户)',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: povertyRows('已脱贫', '边缘易致贫户') }, education: { term: NEWEST, rows: [row()] } },
    expect: [key()],
  },
  {
    name: 'a member of a household 已脱贫 and not monitored',
    asOf: '2026-10-31',
    feeds: { poverty: { date: '2026-10-31', rows: povertyRows('已脱贫') }, education: { term: NEWEST, rows: [row()] } },
    expect: [],
  },
  {
    name: 'a pupil in no programme',
    asOf: '2026-10-31',
    feeds: { education: { term: NEWEST, rows: [row()] } },
    expect: [],
  },
  {
    name: 'the newest term file is for a term that begins after d (1 September): no term to judge yet',
    asOf: '2026-08-31',
    feeds: { civilAffairs: dibao, education: { term: NEWEST, rows: [row()] } },
    expect: [],
  },
  {
    name: 'the term begins on d',
    asOf: '2026-09-01',
    feeds: { civilAffairs: dibao, education: { term: NEWEST, rows: [row()] } },
    expect: [key()],
  },
  {
    name: 'the pupil died: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: dibao,
      education: { term: NEWEST, rows: [row()] },
      health: { deaths: [{ swzmbh: 'SZ371082202600911', sfzh: PUPIL, xm: '王子涵', swrq: '2026-10-01', qhdm: '371082102215' }] },
    },
    expect: [],
  },
];

/** Situations that need two term files (a case loads one term file; G4.test.ts loads these in order). */
export interface TermsCase {
  name: string;
  asOf: string;
  feeds: RuleCase['feeds'];
  terms: Array<{ term: string; rows: Row[] }>;
  expect: string[];
  expectNot?: string[];
}

export const G4TermsCases: TermsCase[] = [
  {
    name: 'aid last term but none in the newest term',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao },
    terms: [
      { term: '2025-2026_2', rows: [row({ term: '2025-2026_2', aid: '义务教育生活补助' })] },
      { term: NEWEST, rows: [row()] },
    ],
    expect: [key()],
  },
  {
    name: 'no aid last term, aid in the newest: only the newest term is judged',
    asOf: '2026-10-31',
    feeds: { civilAffairs: dibao },
    terms: [
      { term: '2025-2026_2', rows: [row({ term: '2025-2026_2' })] },
      { term: NEWEST, rows: [row({ aid: '义务教育生活补助' })] },
    ],
    expect: [],
    expectNot: [key('2025-2026_2')],
  },
  {
    name: 'as of a day in the spring term, the autumn file delivered early is not yet the newest',
    asOf: '2026-06-30',
    feeds: { civilAffairs: dibao },
    terms: [
      { term: '2025-2026_2', rows: [row({ term: '2025-2026_2' })] },
      { term: NEWEST, rows: [row({ aid: '义务教育生活补助' })] },
    ],
    expect: [key('2025-2026_2')],
  },
];
