/**
 * Records of the department feeds with the field names of feeds.md. Values are strings as
 * delivered: a delivered record may be messy (a 15-digit ID, a relation word, a 9-digit region
 * code), so the types do not promise the clean forms.
 */

/** 自理能力 self-care ability */
export type SelfCare = '全自理' | '半失能' | '全失能';
/** DB 最低生活保障, TK 特困人员救助供养, DSR 低收入家庭认定 */
export type HouseholdProgramme = 'DB' | 'TK' | 'DSR';
/** LS 临时救助, GE 孤儿基本生活费, SW 事实无人抚养儿童基本生活补贴 */
export type GrantProgramme = 'LS' | 'GE' | 'SW';
/** LSLR 留守老人, LSFN 留守妇女, LSET 留守儿童, KJET 困境儿童, LLQT 流浪乞讨人员 */
export type RegisterKind = 'LSLR' | 'LSFN' | 'LSET' | 'KJET' | 'LLQT';
/** 审批级别 approval level */
export type ApprovalLevel = '镇街' | '区市';

export interface SimMember {
  sfzh: string;
  xm: string;
  /** relation to the head (与户主关系): a GB/T 4761 code, or a word in messy records */
  yhzgx: string;
  zlnl: SelfCare;
}

export interface SimEnrollment {
  xmdm: HouseholdProgramme;
  bzje: string | null;
  ksrq: string;
  zzrq: string | null;
  tkcy: string[] | null;
  gyfs: '集中' | '分散' | null;
  spjb: ApprovalLevel;
}

export interface SimHousehold {
  hh_id: string;
  hzsfzh: string;
  jtdz: string;
  qhdm: string;
  hjxz: '城镇' | '农村';
  members: SimMember[];
  enrollments: SimEnrollment[];
  updated_at: string;
  deleted: boolean;
}

export interface SimGrant {
  grant_id: string;
  sfzh: string;
  xm: string;
  xmdm: GrantProgramme;
  je: string;
  ffrq: string | null;
  ksrq: string | null;
  zzrq: string | null;
  qhdm: string;
  spjb: ApprovalLevel;
  ldxz_pzwh: string | null;
  updated_at: string;
  deleted: boolean;
}

export interface SimRegistration {
  reg_id: string;
  sfzh: string;
  xm: string;
  lb: RegisterKind;
  djrq: string;
  zxrq: string | null;
  qhdm: string;
  updated_at: string;
}

export type QuarantineReason =
  | 'BAD_ID_CHECK_DIGIT'
  | 'BAD_ID_BIRTH_DATE'
  | 'NEGATIVE_AMOUNT'
  | 'UNKNOWN_REGION_CODE'
  | 'IMPOSSIBLE_DATE';

/** The eight department feeds of feeds.md. */
export type FeedName =
  | 'civil-affairs'
  | 'education'
  | 'health'
  | 'housing'
  | 'poverty-relief'
  | 'disability'
  | 'economic-check'
  | 'region-stats';

/** A record the generator made invalid on purpose, in the shape of the samples' truth/quarantine.json. */
export interface ExpectedInvalid {
  feed: FeedName;
  /**
   * The endpoint (households, grants, registries, settlements, deaths, persons, facts) or the
   * file (`xszz_2026-2027_1.csv`, `zfbz_20261031.xlsx/保障房`).
   */
  where: string;
  /** the record key of feeds.md, compound keys joined by `|` */
  key: string;
  reason: QuarantineReason;
  /** the faulty field, nested as in `members[1].sfzh`, or the column header of a file */
  field: string;
  value: string;
  /** file drops: the file, and the physical CSV line (header = 1) or the worksheet and row (title = 1) */
  file?: string;
  line?: number;
  sheet?: string;
  row?: number;
}

// ---------------------------------------------------------------------------------------------
// health — 卫健委 / 医保局 (feeds.md §3)

/** 医保结算 one hospital settlement */
export interface SimSettlement {
  jsid: string;
  sfzh: string;
  xm: string;
  jsrq: string;
  zfy: string;
  ybbx: string;
  yljz: string;
  grzf: string;
  jbzd: string;
  /** 大病标志 */
  dbbz: '0' | '1';
}

/** 死亡医学证明 a medical death certificate */
export interface SimDeath {
  swzmbh: string;
  sfzh: string;
  xm: string;
  swrq: string;
  qhdm: string;
}

// ---------------------------------------------------------------------------------------------
// disability — 残联 (feeds.md §6)

/** LIVING 困难残疾人生活补贴, NURSING 重度残疾人护理补贴 */
export type SubsidyType = 'LIVING' | 'NURSING';

export interface SimSubsidy {
  type: SubsidyType;
  monthlyAmount: string;
  startDate: string;
  endDate: string | null;
}

export type CertificateStatus = 'VALID' | 'EXPIRED' | 'REVOKED';

/** One version of a disability certificate (残疾人证) */
export interface SimDisabledPerson {
  certNo: string;
  idCard: string;
  name: string;
  category: number;
  grade: number;
  issueDate: string;
  validUntil: string;
  status: CertificateStatus;
  regionCode: string;
  subsidies: SimSubsidy[];
  modifiedAt: string;
}

// ---------------------------------------------------------------------------------------------
// economic-check — 家庭经济状况核对 (feeds.md §7)

export type EconomicSource = 'BANK' | 'INSURANCE' | 'TAX' | 'SOCIAL_SECURITY' | 'REAL_ESTATE' | 'VEHICLE' | 'BUSINESS';

export interface SimEconomicFact {
  sfzh: string;
  source: EconomicSource;
  item: string;
  value: string;
  unit: string;
  as_of: string;
}

// ---------------------------------------------------------------------------------------------
// File drops: rows as their cells, in the header order of feeds.md.

/** A spreadsheet cell as written: text, a number cell, a date cell (UTC midnight of the day) or empty. */
export type SheetCell = string | number | Date | null;

export interface DropRow {
  cells: SheetCell[];
  /** set when the row was made invalid on purpose; its line or row is filled in when placed in its file */
  fault?: ExpectedInvalid;
}

/** 学生资助 a row of one term's student aid ledger (education, feeds.md §2) */
export interface StudentAidRow extends DropRow {
  /** `2026-2027_1` */
  term: string;
}

export const EDUCATION_HEADER = ['学籍号', '身份证号', '姓名', '学校名称', '学段', '年级', '在校状态', '资助项目', '资助金额', '学年', '学期', '区划代码'] as const;
export const PUBLIC_HOUSING_HEADER = ['序号', '申请人身份证号', '申请人姓名', '家庭人口', '保障方式', '补贴金额(元/月)', '开始日期', '结束日期', '房源地址', '区划代码'] as const;
export const DANGEROUS_HOUSE_HEADER = ['序号', '户主身份证号', '户主姓名', '鉴定等级', '鉴定日期', '改造状态', '补助金额', '区划代码'] as const;
export const POVERTY_HEADER = ['户编号', '户主身份证号', '成员身份证号', '成员姓名', '与户主关系', '识别年度', '脱贫状态', '监测对象类型', '主要风险', '家庭年人均纯收入', '区划代码'] as const;
export const REGION_STATS_HEADER = ['区划代码', '年度', '常住人口', '户数', '民政专职人员数', '村级协理员数', '临时救助储备金(元)', '临时救助备用金(元)'] as const;
