/**
 * The words of office.md "Screening" the verdicts are computed with: which programmes are
 * continuing, which are judged over the household, the exclusive pairs, each reason's verdict.
 */
export type Verdict = 'PASS' | 'REVIEW' | 'LEADING_GROUP' | 'REJECT';

export const VERDICTS: readonly Verdict[] = ['PASS', 'REVIEW', 'LEADING_GROUP', 'REJECT'];

/** office.md's table: the verdict each reason forces. A row's verdict is the strongest of its reasons. */
export const REASON_VERDICT = {
  BAD_ID: 'REJECT',
  DECEASED: 'REJECT',
  EXCLUSIVE_PAIR: 'REJECT',
  ALREADY_ENROLLED: 'REVIEW',
  SAME_KIND_THIS_YEAR: 'LEADING_GROUP',
  LISTED_ELSEWHERE: 'LEADING_GROUP',
  DUPLICATE_ROW: 'REVIEW',
  NAME_MISMATCH: 'REVIEW',
  OUTSIDE_REGION: 'REVIEW',
  ASSETS: 'REVIEW',
  NOT_KNOWN: 'REVIEW',
} as const satisfies Record<string, Verdict>;

export type ReasonCode = keyof typeof REASON_VERDICT;
export const REASON_CODES = Object.keys(REASON_VERDICT) as ReasonCode[];

/** Continuing programmes; the others (LS, YLJZ, the education aids, WF) are paid per grant, term or settlement. */
export const CONTINUING = ['DB', 'TK', 'DSR', 'GE', 'SW', 'CJ_LIVING', 'CJ_NURSING', 'ZF_FLAT', 'ZF_RENT'] as const;

/** At household level, or counted per household: a row for them judges every member of the person's household too. */
export const JUDGED_BY_HOUSEHOLD = ['DB', 'DSR', 'LS', 'ZF_FLAT', 'ZF_RENT', 'WF'] as const;

/** The exclusive pairs of rules.md (D2): the partner of each side. */
export const EXCLUSIVE_PARTNER: Readonly<Record<string, string>> = {
  DB: 'TK', TK: 'DB', GE: 'SW', SW: 'GE', ZF_FLAT: 'ZF_RENT', ZF_RENT: 'ZF_FLAT',
};

/**
 * A programme's screening kind, in SQL over `programme p`: its same-kind group, except that each
 * education aid is its own kind (免学费 and 国家助学金 are held together by design).
 */
export const SCREENING_KIND_SQL = (p: string) => `(case when ${p}.kind = 'EDUCATION' then ${p}.code else ${p}.kind end)`;

/** Names compared after NFKC with every space removed (U+3000 becomes a space under NFKC). */
export const CANONICAL_NAME_SQL = (x: string) => `regexp_replace(normalize(${x}, NFKC), '[[:space:]]', '', 'g')`;
