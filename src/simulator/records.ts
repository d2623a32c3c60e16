/**
 * Records of the civil-affairs feed (民政局 social assistance system) with the field names of
 * feeds.md §1. Values are strings as delivered: a delivered record may be messy (a 15-digit ID, a
 * relation word, a 9-digit region code), so the types do not promise the clean forms.
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

/** A record the generator made invalid on purpose, in the shape of the samples' truth/quarantine.json. */
export interface ExpectedInvalid {
  feed: 'civil-affairs';
  /** the endpoint: households, grants or registries (/api/registries/persons) */
  where: 'households' | 'grants' | 'registries';
  /** the record key: hh_id, grant_id or reg_id */
  key: string;
  reason: QuarantineReason;
  /** the faulty field, nested as in `members[1].sfzh` or `enrollments[0].ksrq` */
  field: string;
  value: string;
}
