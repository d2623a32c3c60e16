import { type RuleCase } from '../cases/ruleCase';
import { idNo } from '../cases/caseBuilders';

const FATHER = idNo('37108319820823087');
const MOTHER = idNo('37108319820509044');
const CHILD = idNo('37108320190606151');
const GRANDMOTHER = idNo('37108319550312042');
const key = (id: string) => `G3|person|${id}`;

type Member = { sfzh: string; xm: string; yhzgx: string; zlnl: string };

/** G3 in situations: the civil-affairs household that lists the child and the parents, deaths, and GE/SW grants. */
const father: Member = { sfzh: FATHER, xm: '周志强', yhzgx: '01', zlnl: '全自理' };
const mother: Member = { sfzh: MOTHER, xm: '于燕', yhzgx: '02', zlnl: '全自理' };
const son = (sfzh = CHILD, yhzgx = '11'): Member => ({ sfzh, xm: '周子轩', yhzgx, zlnl: '全自理' });
const household = (members: Member[], head = FATHER) => ({
  hh_id: 'MZ-371083-900007',
  hzsfzh: head,
  jtdz: '乳山市测试地址7号',
  qhdm: '371083104232',
  hjxz: '农村',
  members,
  enrollments: [],
  updated_at: '2026-01-05T10:00:00+08:00',
  deleted: false,
});
const death = (sfzh: string, swrq: string, n: number) => ({ swzmbh: `SZ37108320250090${n}`, sfzh, xm: '某', swrq, qhdm: '371083104232' });
const bothParentsDied = [death(FATHER, '2025-12-12', 1), death(MOTHER, '2025-10-27', 2)];
const grant = (xmdm: 'GE' | 'SW', ksrq: string, zzrq: string | null = null, sfzh = CHILD) => ({
  grant_id: `${xmdm}-2026-900001`, sfzh, xm: '周子轩', xmdm, je: '1800.00', ffrq: null, ksrq, zzrq, qhdm: '371083104232',
  spjb: '区市', ldxz_pzwh: null, updated_at: '2026-01-05T10:00:00+08:00', deleted: false,
});
/** a poverty-relief snapshot row (header → cell text) */
const povertyRow = (member: string, relation: string) => ({
  户编号: '371083104232901', 户主身份证号: FATHER, 成员身份证号: member, 成员姓名: '某', 与户主关系: relation, 识别年度: '2016',
  脱贫状态: '已脱贫', 监测对象类型: '', 主要风险: '因病', 家庭年人均纯收入: '15000.00', 区划代码: '371083104232',
});

export const G3Cases: RuleCase[] = [
  {
    name: 'a son under 18 whose father (head) and mother both died, no GE or SW',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([father, mother, son()])] }, health: { deaths: bothParentsDied } },
    expect: [key(CHILD)],
  },
  {
    name: 'a daughter (code 20–29) counts as well',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([father, mother, son(CHILD, '21')])] }, health: { deaths: bothParentsDied } },
    expect: [key(CHILD)],
  },
  {
    name: 'one parent alive: not an orphan',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([father, mother, son()])] }, health: { deaths: [death(FATHER, '2025-03-25', 1)] } },
    expect: [],
    expectNot: [key(CHILD)],
  },
  {
    name: 'the only parent listed (the head) died',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([father, son()])] }, health: { deaths: [death(FATHER, '2025-03-25', 1)] } },
    expect: [key(CHILD)],
  },
  {
    name: 'the second parent dies after d: not yet an orphan on d',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([father, mother, son()])] }, health: { deaths: [death(FATHER, '2025-12-12', 1), death(MOTHER, '2026-11-01', 2)] } },
    expect: [],
  },
  {
    name: 'an orphan allowance (GE) active on d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([father, mother, son()])], grants: [grant('GE', '2026-01-01')] },
      health: { deaths: bothParentsDied },
    },
    expect: [],
  },
  {
    name: 'a de facto unsupported child allowance (SW) active on d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([father, mother, son()])], grants: [grant('SW', '2026-01-01', '2026-12-31')] },
      health: { deaths: bothParentsDied },
    },
    expect: [],
  },
  {
    name: 'the orphan allowance ended the day before d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([father, mother, son()])], grants: [grant('GE', '2026-01-01', '2026-10-30')] },
      health: { deaths: bothParentsDied },
    },
    expect: [key(CHILD)],
  },
  {
    name: 'eighteen on d (born 2008-10-31): no longer under 18',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([father, mother, son(idNo('37108320081031151'))])] },
      health: { deaths: bothParentsDied },
    },
    expect: [],
    expectNot: [key(idNo('37108320081031151'))],
  },
  {
    name: 'seventeen on d (born 2008-11-01): still under 18',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([father, mother, son(idNo('37108320081101151'))])] },
      health: { deaths: bothParentsDied },
    },
    expect: [key(idNo('37108320081101151'))],
  },
  {
    name: 'a grandchild (code 30) of a deceased head is not 子/女 of the head',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([{ ...mother, sfzh: GRANDMOTHER, yhzgx: '01' }, son(CHILD, '30')], GRANDMOTHER)] },
      health: { deaths: [death(GRANDMOTHER, '2026-02-01', 3)] },
    },
    expect: [],
  },
  {
    name: 'a household that lists no parent tells nothing about the parents',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([son()], FATHER)] }, health: { deaths: [] } },
    expect: [],
  },
  {
    name: 'the child died too: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household([father, mother, son()])] }, health: { deaths: [...bothParentsDied, death(CHILD, '2026-05-01', 3)] } },
    expect: [],
  },
  {
    name: 'a registered-poor household only (no civil-affairs record): both parents died',
    asOf: '2026-10-31',
    feeds: {
      poverty: { date: '2026-10-31', rows: [povertyRow(FATHER, '01'), povertyRow(MOTHER, '02'), povertyRow(CHILD, '11')] },
      health: { deaths: bothParentsDied },
    },
    expect: [key(CHILD)],
  },
  {
    name: 'listed as a grandchild in a civil-affairs household: that household is theirs, not the poverty-relief one of their late parents',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [household([{ ...mother, sfzh: GRANDMOTHER, yhzgx: '01' }, son(CHILD, '30')], GRANDMOTHER)] },
      poverty: { date: '2026-10-31', rows: [povertyRow(FATHER, '01'), povertyRow(MOTHER, '02'), povertyRow(CHILD, '11')] },
      health: { deaths: bothParentsDied },
    },
    expect: [],
  },
  {
    name: 'a registered-poor household only: the mother is alive',
    asOf: '2026-10-31',
    feeds: {
      poverty: { date: '2026-10-31', rows: [povertyRow(FATHER, '01'), povertyRow(MOTHER, '02'), povertyRow(CHILD, '11')] },
      health: { deaths: [death(FATHER, '2025-12-12', 1)] },
    },
    expect: [],
  },
];
