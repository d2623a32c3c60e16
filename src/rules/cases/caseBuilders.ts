/**
 * The words a policy case is written in: people, households and their enrollments, grants,
 * certificates, hospital settlements, deaths, term files, poverty-relief households and a region's
 * yearly figures, each built in the record shape its feed delivers (feeds.md), with the ordinary
 * values filled in so a case names only what it is about: `householdWithDibao(HEAD)`,
 * `tekun(ELDER, '2024-01-01', { until: '2026-04-30' })`, `disabilityCertificate(PERSON, { grade: 2 })`,
 * `studentInTerm(PUPIL, '2026-2027_1', { aid: '免学费' })`, `regionFigures(TOWN, { residents: '50000', staff: '2' })`.
 */
import { checkDigit } from '../../identity';

/** A valid ID number from its first 17 digits (cases invent people; the check digit must hold). */
export function idNo(first17: string): string {
  return first17 + checkDigit(first17);
}

/** The level that approved an enrollment or grant: the town (镇街) or the county (区市). */
export type ApprovalLevel = '镇街' | '区市';

/** A civil-affairs enrollment as a household record carries it (DB 低保, TK 特困, DSR 低收入). */
export interface Enrollment {
  xmdm: 'DB' | 'TK' | 'DSR';
  bzje: string | null;
  ksrq: string;
  zzrq: string | null;
  tkcy: string[] | null;
  gyfs: '分散' | '集中' | null;
  spjb: ApprovalLevel;
}

interface EnrollmentTerms {
  until?: string | null;
  amount?: string;
  approvedBy?: ApprovalLevel;
}

/** 低保 from `from` (to `until`, inclusive): 900 yuan a month, approved by the town unless said. */
export function dibao(from: string, o: EnrollmentTerms = {}): Enrollment {
  return { xmdm: 'DB', bzje: o.amount ?? '900.00', ksrq: from, zzrq: o.until ?? null, tkcy: null, gyfs: null, spjb: o.approvedBy ?? '镇街' };
}

/** 特困 support of `members` from `from`: at home (分散), 1500 yuan a month, approved by the county unless said. */
export function tekun(members: string | string[], from: string, o: EnrollmentTerms & { care?: '分散' | '集中' } = {}): Enrollment {
  return {
    xmdm: 'TK', bzje: o.amount ?? '1500.00', ksrq: from, zzrq: o.until ?? null, tkcy: [members].flat(), gyfs: o.care ?? '分散', spjb: o.approvedBy ?? '区市',
  };
}

/** 低收入 recognition from `from`: a status that pays nothing of itself (no amount unless said). */
export function lowIncome(from: string, o: Omit<EnrollmentTerms, 'amount'> & { amount?: string | null } = {}): Enrollment {
  return { xmdm: 'DSR', bzje: o.amount ?? null, ksrq: from, zzrq: o.until ?? null, tkcy: null, gyfs: null, spjb: o.approvedBy ?? '镇街' };
}

/**
 * Any of the three at the same terms (1000 yuan, the town approves), for a table that sets DB, TK
 * and DSR side by side, for a household whose TK member is `tkMember`: `enrollmentOf(PUPIL)('TK', '2024-01-01')`.
 */
export function enrollmentOf(tkMember: string, amount = '1000.00') {
  return (xmdm: Enrollment['xmdm'], ksrq = '2024-01-01', zzrq: string | null = null): Enrollment => {
    const terms = { until: zzrq, amount, approvedBy: '镇街' } as const;
    if (xmdm === 'DB') return dibao(ksrq, terms);
    if (xmdm === 'TK') return tekun(tkMember, ksrq, terms);
    return lowIncome(ksrq, { ...terms, amount: '0.00' });
  };
}

/** a member of a household record; the head is relation 01 */
export function member(sfzh: string, o: { name?: string; relation?: string; selfCare?: string } = {}) {
  return { sfzh, xm: o.name ?? '王建国', yhzgx: o.relation ?? '01', zlnl: o.selfCare ?? '全自理' };
}

export type Member = ReturnType<typeof member>;

/** A civil-affairs household record (the households endpoint's shape), headed by `head`. */
export function household(
  head: string,
  o: {
    hhId?: string;
    region?: string;
    address?: string;
    hukou?: '城镇' | '农村';
    members?: Member[];
    enrollments?: Enrollment[];
    updated?: string;
  } = {},
) {
  const region = o.region ?? '371002001001';
  return {
    hh_id: o.hhId ?? `MZ-${region.slice(0, 6)}-900001`,
    hzsfzh: head,
    jtdz: o.address ?? '环翠区测试地址1号',
    qhdm: region,
    hjxz: o.hukou ?? '城镇',
    members: o.members ?? [member(head)],
    enrollments: o.enrollments ?? [],
    updated_at: o.updated ?? '2024-01-05T10:00:00+08:00',
    deleted: false,
  };
}

/** A household of one (or of `members`) enrolled in 低保 from `since`. */
export function householdWithDibao(head: string, o: Parameters<typeof household>[1] & { since?: string; until?: string | null } = {}) {
  return household(head, { ...o, enrollments: [dibao(o.since ?? '2024-01-01', { until: o.until })] });
}

interface GrantTerms {
  /** the grant_id; `<programme>-<year>-900001` unless said */
  id?: string;
  name?: string;
  amount?: string;
  region?: string;
  approvedBy?: ApprovalLevel;
  updated?: string;
}

/** A person-level grant (the grants endpoint's shape): LS is paid on a day, GE and SW run from a day. */
function grant(
  person: string,
  programme: 'LS' | 'GE' | 'SW',
  on: { paidOn: string | null; from: string | null; until: string | null },
  o: GrantTerms & { repeatApproval?: string | null },
) {
  return {
    grant_id: o.id ?? `${programme}-${(on.paidOn ?? on.from ?? '').slice(0, 4)}-900001`,
    sfzh: person, xm: o.name ?? '某', xmdm: programme, je: o.amount, ffrq: on.paidOn, ksrq: on.from, zzrq: on.until,
    qhdm: o.region ?? '371002001001', spjb: o.approvedBy, ldxz_pzwh: o.repeatApproval ?? null, updated_at: o.updated ?? '2026-01-05T10:00:00+08:00', deleted: false,
  };
}

/** 孤儿基本生活费 (GE) from `from`: 1800 yuan a month, approved by the county unless said. */
export function orphanAllowance(child: string, from: string, o: GrantTerms & { until?: string | null } = {}) {
  return grant(child, 'GE', { paidOn: null, from, until: o.until ?? null }, { ...o, amount: o.amount ?? '1800.00', approvedBy: o.approvedBy ?? '区市' });
}

/** 事实无人抚养儿童基本生活补贴 (SW) from `from`: 1800 yuan a month, approved by the county unless said. */
export function unsupportedChildAllowance(child: string, from: string, o: GrantTerms & { until?: string | null } = {}) {
  return grant(child, 'SW', { paidOn: null, from, until: o.until ?? null }, { ...o, amount: o.amount ?? '1800.00', approvedBy: o.approvedBy ?? '区市' });
}

/**
 * 临时救助 (LS) of 2000 yuan paid on `paidOn`, approved by the town, its record written that evening
 * unless said; `repeatApproval` is the leading group's approval (ldxz_pzwh) of a repeat grant in a year.
 */
export function temporaryAid(person: string, paidOn: string, o: GrantTerms & { repeatApproval?: string | null } = {}) {
  return grant(person, 'LS', { paidOn, from: null, until: null }, {
    ...o, amount: o.amount ?? '2000.00', approvedBy: o.approvedBy ?? '镇街', updated: o.updated ?? `${paidOn}T18:00:00+08:00`,
  });
}

export interface Subsidy {
  type: 'LIVING' | 'NURSING';
  monthlyAmount: string;
  startDate: string;
  endDate: string | null;
}

/** 困难残疾人生活补贴 of 100 yuan a month */
export const livingSubsidy = (startDate: string, endDate: string | null = null): Subsidy => ({ type: 'LIVING', monthlyAmount: '100.00', startDate, endDate });
/** 重度残疾人护理补贴 of 100 yuan a month */
export const nursingSubsidy = (startDate: string, endDate: string | null = null): Subsidy => ({ type: 'NURSING', monthlyAmount: '100.00', startDate, endDate });

/** A 残联 certificate (the disability register's person record), category 4, grade 3 and valid unless said. */
export function disabilityCertificate(
  person: string,
  o: { grade?: number; category?: number; status?: string; issueDate?: string; validUntil?: string; region?: string; name?: string; subsidies?: Subsidy[]; modifiedAt?: string } = {},
) {
  const grade = o.grade ?? 3;
  const category = o.category ?? 4;
  return {
    certNo: `${person}${category}${grade}`,
    idCard: person,
    name: o.name ?? '李建国',
    category,
    grade,
    issueDate: o.issueDate ?? '2020-05-12',
    validUntil: o.validUntil ?? '2030-05-11',
    status: o.status ?? 'VALID',
    regionCode: o.region ?? '371002001001',
    subsidies: o.subsidies ?? [],
    modifiedAt: o.modifiedAt ?? '2026-01-05T10:00:00+08:00',
  };
}

/** A medical death certificate (the health registry's deaths endpoint). */
export function deathCertificate(person: string, diedOn: string, o: { number?: string; region?: string; name?: string } = {}) {
  return { swzmbh: o.number ?? 'SZ371002202600901', sfzh: person, xm: o.name ?? '某', swrq: diedOn, qhdm: o.region ?? '371002001001' };
}

const cents = (yuan: string) => Math.round(Number(yuan) * 100);

/**
 * A 医保 hospital settlement (the settlements endpoint's shape) of which the patient paid
 * `outOfPocket`: insurance paid as much again and 医疗救助 (yljz) nothing unless said; the total is
 * the sum of the three unless said.
 */
export function hospitalSettlement(
  patient: string,
  settledOn: string,
  outOfPocket: string,
  o: { id?: string; name?: string; assistance?: string; insurance?: string; total?: string; diagnosis?: string; catastrophic?: boolean } = {},
) {
  const assistance = o.assistance ?? '0.00';
  const insurance = o.insurance ?? outOfPocket;
  return {
    jsid: o.id ?? `JS${settledOn.replaceAll('-', '')}${patient.slice(-4)}`,
    sfzh: patient, xm: o.name ?? '某', jsrq: settledOn,
    // whole fen, so that a total is exact
    zfy: o.total ?? ((cents(insurance) + cents(assistance) + cents(outOfPocket)) / 100).toFixed(2),
    ybbx: insurance, yljz: assistance, grzf: outOfPocket, jbzd: o.diagnosis ?? 'I63.9', dbbz: o.catastrophic ? '1' : '0',
  };
}

/**
 * A student's row in a term file of the 学生资助 ledger (header → cell text), `term` as
 * `2026-2027_1`: a primary pupil 在读 with no aid unless said; an aid is 500 yuan.
 */
export function studentInTerm(
  student: string,
  term: string,
  o: { aid?: string; amount?: string; status?: string; studentNo?: string; name?: string; school?: string; grade?: string; region?: string } = {},
): Record<string, string> {
  const [schoolYear, semester] = term.split('_');
  return {
    学籍号: o.studentNo ?? `G${student}`, 身份证号: student, 姓名: o.name ?? '王子涵', 学校名称: o.school ?? '港西镇中心小学', 学段: '小学',
    年级: o.grade ?? '五年级', 在校状态: o.status ?? '在读', 资助项目: o.aid ?? '', 资助金额: o.amount ?? (o.aid ? '500.00' : ''), 学年: schoolYear, 学期: semester,
    区划代码: o.region ?? '371082102215',
  };
}

/** a term file of the 学生资助 ledger, as a case's feeds carry it */
export const termFile = (term: string, ...rows: Array<Record<string, string>>) => ({ term, rows });

/**
 * A registered-poor household of the poverty-relief snapshot, one row a member (header → cell
 * text; relation as 与户主关系, 01 the head): 已脱贫, not monitored, 15000 yuan a head a year unless said.
 */
export function povertyReliefHousehold(
  head: string,
  members: Array<{ person: string; relation: string; name?: string }>,
  o: { householdNo?: string; region?: string; status?: '已脱贫' | '未脱贫'; monitoring?: string; risk?: string; income?: string; identifiedIn?: string } = {},
): Array<Record<string, string>> {
  const region = o.region ?? '371002001001';
  return members.map((m) => ({
    户编号: o.householdNo ?? `${region}901`, 户主身份证号: head, 成员身份证号: m.person, 成员姓名: m.name ?? '某', 与户主关系: m.relation,
    识别年度: o.identifiedIn ?? '2016', 脱贫状态: o.status ?? '已脱贫', 监测对象类型: o.monitoring ?? '', 主要风险: o.risk ?? '因病',
    家庭年人均纯收入: o.income ?? '15000.00', 区划代码: region,
  }));
}

/** the poverty-relief snapshot of a day, as a case's feeds carry it */
export const povertySnapshot = (date: string, ...households: Array<Array<Record<string, string>>>) => ({ date, rows: households.flat() });

/**
 * A region's row of region_stats_YYYY.csv (header → cell text). A figure not given is an empty
 * cell: unknown, not zero.
 */
export function regionFigures(
  region: string,
  o: { year?: number; residents?: string; households?: string; staff?: string; coordinators?: string; reserve?: string; backup?: string } = {},
): Record<string, string> {
  return {
    区划代码: region,
    年度: String(o.year ?? 2026),
    常住人口: o.residents ?? '',
    户数: o.households ?? '',
    民政专职人员数: o.staff ?? '',
    村级协理员数: o.coordinators ?? '',
    '临时救助储备金(元)': o.reserve ?? '',
    '临时救助备用金(元)': o.backup ?? '',
  };
}

/** the region-stats file of a year, as a case's feeds carry it */
export const regionStatsOf = (year: number, ...rows: Array<Record<string, string>>) => ({ year, rows });


/**
 * A 公租房 applicant's row of the housing bureau's public-housing sheet (header → cell text): a
 * household of one with a rent subsidy of 600 yuan a month from `from`, still running, unless said.
 */
export function publicHousingTenant(applicant: string, from: string, o: { name?: string; region?: string; until?: string } = {}): Record<string, string> {
  return {
    序号: '1', 申请人身份证号: applicant, 申请人姓名: o.name ?? '某', 家庭人口: '1', 保障方式: '租赁补贴', '补贴金额(元/月)': '600',
    开始日期: from, 结束日期: o.until ?? '', 房源地址: '', 区划代码: o.region ?? '371002001001',
  };
}

/** the housing bureau's public-housing sheet of a day, as a case's feeds carry it */
export const publicHousingSheet = (date: string, ...rows: Array<Record<string, string>>) => ({ date, publicHousing: rows });

/**
 * A row of the housing bureau's 危房 sheet (header → cell text): the house of `owner`, rated
 * `grade` (A–D; C and D are dangerous) on `assessedOn`, in renovation state `state` (未改造, 改造中, 已改造).
 */
export function dangerousHouse(
  owner: string,
  grade: 'A' | 'B' | 'C' | 'D',
  assessedOn: string,
  state: '未改造' | '改造中' | '已改造',
  o: { name?: string; region?: string; subsidy?: string } = {},
): Record<string, string> {
  return {
    序号: '1', 户主身份证号: owner, 户主姓名: o.name ?? '某', 鉴定等级: grade, 鉴定日期: assessedOn, 改造状态: state, 补助金额: o.subsidy ?? '',
    区划代码: o.region ?? '371002001001',
  };
}

/** the housing bureau's 危房 sheet of a day, as a case's feeds carry it */
export const dangerousHouseSheet = (date: string, ...rows: Array<Record<string, string>>) => ({ date, dangerousHouses: rows });

const ECONOMIC_UNITS = { BANK: '元', INSURANCE: '元', REAL_ESTATE: '套', VEHICLE: '辆', BUSINESS: '户' } as const;
const ECONOMIC_ITEMS = { BANK: '活期及定期存款余额', INSURANCE: '商业保险现金价值', REAL_ESTATE: '不动产登记', VEHICLE: '小型汽车', BUSINESS: '市场主体登记' } as const;

/**
 * One answer of the 家庭经济状况核对 oracle about `person`: `value` (yuan, or a count of flats,
 * vehicles, businesses) in its source's unit, checked on 30 September 2026 unless said; a vehicle is a
 * small car (小型汽车) unless its kind is said as `item`.
 */
export function economicCheckFact(
  person: string,
  source: keyof typeof ECONOMIC_UNITS,
  value: string,
  o: { checkedOn?: string; item?: string } = {},
) {
  return { sfzh: person, source, item: o.item ?? ECONOMIC_ITEMS[source], value, unit: ECONOMIC_UNITS[source], as_of: o.checkedOn ?? '2026-09-30' };
}
