/** Rows as the loaders read them; the GraphQL types resolve their fields from these. */
export interface PersonRow {
  id: string;
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  regionCode: string | null;
}

export interface HouseholdRow {
  id: string;
  headPersonId: string;
  regionCode: string | null;
  registrationType: string | null;
  address: string | null;
  /** the registry records this household is known by (feed and key) */
  sources: Array<{ feed: string; recordKey: string }>;
}

export interface MemberRow {
  householdId: string;
  personId: string;
  relationCode: string;
  selfCare: string | null;
  from: string | null;
  to: string | null;
  feed: string;
  recordKey: string;
}

export interface SourceRef {
  feed: string;
  stream: string;
  recordKey: string;
  versionAt: Date | null;
  receivedAt: Date;
}

export interface BenefitRow {
  id: string;
  programmeCode: string;
  personId: string | null;
  householdId: string | null;
  amount: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  paidOn: string | null;
  approvalLevel: string | null;
  supportMode: string | null;
  approvalRef: string | null;
  regionCode: string | null;
  source: SourceRef;
}

export interface BenefitArgs {
  activeOn?: string | null;
  year?: number | null;
}

export interface SyncRunRow {
  id: string;
  connector: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';
  startedAt: Date;
  finishedAt: Date | null;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  ended: number;
  quarantined: number;
  error: string | null;
}
