/**
 * The words a policy case is written in: people, households and their enrollments, certificates,
 * deaths and a region's yearly figures, each built in the record shape its feed delivers
 * (feeds.md), with the ordinary values filled in so a case names only what it is about:
 * `householdWithDibao(HEAD)`, `disabilityCertificate(PERSON, { grade: 2 })`,
 * `regionFigures(TOWN, { residents: '50000', staff: '2' })`.
 */
import { checkDigit } from '../../identity';

/** A valid ID number from its first 17 digits (cases invent people; the check digit must hold). */
export function idNo(first17: string): string {
  return first17 + checkDigit(first17);
}

/**
 * A civil-affairs enrollment (DB, TK or DSR) as a case's household record carries it, for a
 * household whose TK member is `tkMember`: `enrollmentOf(PUPIL)('TK', '2024-01-01')`.
 */
export function enrollmentOf(tkMember: string, amount = '1000.00') {
  return (xmdm: 'DB' | 'TK' | 'DSR', ksrq = '2024-01-01', zzrq: string | null = null) => ({
    xmdm,
    bzje: xmdm === 'DSR' ? '0.00' : amount,
    ksrq,
    zzrq,
    tkcy: xmdm === 'TK' ? [tkMember] : null,
    gyfs: xmdm === 'TK' ? '分散' : null,
    spjb: '镇街',
  });
}

export type Enrollment = ReturnType<ReturnType<typeof enrollmentOf>>;

/** a member of a household record; the head is relation 01 */
export function member(sfzh: string, o: { name?: string; relation?: string; selfCare?: string } = {}) {
  return { sfzh, xm: o.name ?? '王建国', yhzgx: o.relation ?? '01', zlnl: o.selfCare ?? '全自理' };
}

/** A civil-affairs household record (the households endpoint's shape), headed by `head`. */
export function household(
  head: string,
  o: {
    hhId?: string;
    region?: string;
    address?: string;
    hukou?: '城镇' | '农村';
    members?: ReturnType<typeof member>[];
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
  return household(head, { ...o, enrollments: [enrollmentOf(head, '900.00')('DB', o.since ?? '2024-01-01', o.until ?? null)] });
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
export function deathCertificate(person: string, diedOn: string, o: { number?: string; region?: string } = {}) {
  return { swzmbh: o.number ?? 'SZ371002202600901', sfzh: person, xm: '某', swrq: diedOn, qhdm: o.region ?? '371002001001' };
}

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
