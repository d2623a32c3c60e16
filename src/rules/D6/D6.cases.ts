import { type CaseScreening, type RuleCase } from '../cases/ruleCase';
import { dibao, household, householdWithDibao, idNo, member, temporaryAid } from '../cases/caseBuilders';

/**
 * D6 in situations: an LS grant paid under a screened programme and year, to a person the office
 * approved or not; the year's first and last day; the screening's region above and below the
 * grant's; an approval recorded after the payment; a programme nobody screened that year.
 */
const RECIPIENT = idNo('37100219700101123');
const OTHER = idNo('37100219720202124');
const HEAD = idNo('37100219600303123');
const LS_2026 = `D6|person|${RECIPIENT}|LS|2026`;

/** an LS list of 2026 for `region` with the recipient's row decided as said, and another approved row (the list is evaluated) */
const lsList = (region: string, decisions: CaseScreening['rows'][number]['decisions'], o: { year?: number; withdrawn?: boolean; programme?: string } = {}): CaseScreening => ({
  programme: o.programme ?? 'LS',
  year: o.year ?? 2026,
  regionCode: region,
  withdrawn: o.withdrawn,
  rows: [{ idNumber: RECIPIENT, decisions }, { idNumber: OTHER, decisions: ['APPROVE'] }],
});

/** the grant to the recipient in 环翠区 (371002001001) */
const grant = (paidOn: string) => ({ civilAffairs: { grants: [temporaryAid(RECIPIENT, paidOn, { region: '371002001001' })] } });

export const D6Cases: RuleCase[] = [
  {
    name: 'an LS grant on 1 January 2026 to a person listed but never approved on the city’s 2026 list',
    asOf: '2026-10-31',
    feeds: grant('2026-01-01'),
    screenings: [lsList('3710', [])],
    expect: [LS_2026],
  },
  {
    name: 'the same grant to a person the office approved: nothing',
    asOf: '2026-10-31',
    feeds: grant('2026-01-01'),
    screenings: [lsList('3710', ['APPROVE'])],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'NOT_APPROVED',
  },
  {
    name: 'a grant on 31 December 2026, the year’s last day, as of that day: a finding',
    asOf: '2026-12-31',
    feeds: grant('2026-12-31'),
    screenings: [lsList('3710', ['REJECT'])],
    expect: [LS_2026],
  },
  {
    name: 'a grant on 31 December 2025 is of the year before, which nobody screened: nothing',
    asOf: '2026-10-31',
    feeds: grant('2025-12-31'),
    screenings: [lsList('3710', [])],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'PAID_IN_YEAR',
  },
  {
    name: 'a grant after d is not yet paid as of d: nothing',
    asOf: '2026-10-31',
    feeds: grant('2026-11-02'),
    screenings: [lsList('3710', [])],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'PAID_IN_YEAR',
  },
  {
    name: 'the screening’s region (环翠区 371002) above the grant’s village: screened, a finding',
    asOf: '2026-10-31',
    feeds: grant('2026-03-01'),
    screenings: [lsList('371002', ['REFER'])],
    expect: [LS_2026],
  },
  {
    name: 'the screening’s region (a village of another town) below or beside the grant’s: not screened there, nothing',
    asOf: '2026-10-31',
    feeds: grant('2026-03-01'),
    screenings: [lsList('371002002001', [])],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'SCREENED',
  },
  {
    name: 'an approval added after the payment (REJECT, then APPROVE): the newest decision counts, nothing',
    asOf: '2026-10-31',
    feeds: grant('2026-03-01'),
    screenings: [lsList('3710', ['REJECT', 'APPROVE'])],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'NOT_APPROVED',
  },
  {
    name: 'APPROVE then REJECT: the newest is REJECT, a finding',
    asOf: '2026-10-31',
    feeds: grant('2026-03-01'),
    screenings: [lsList('3710', ['APPROVE', 'REJECT'])],
    expect: [LS_2026],
  },
  {
    name: 'a programme not screened that year (only a DB list of 2026, and an LS list of 2027): nothing',
    asOf: '2026-10-31',
    feeds: grant('2026-03-01'),
    screenings: [lsList('3710', [], { programme: 'DB' }), lsList('3710', [], { year: 2027 })],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'SCREENED',
  },
  {
    name: 'a withdrawn list screens nothing',
    asOf: '2026-10-31',
    feeds: grant('2026-03-01'),
    screenings: [lsList('3710', [], { withdrawn: true })],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'SCREENED',
  },
  {
    name: 'a list with no evaluated row screens nothing yet',
    asOf: '2026-10-31',
    feeds: grant('2026-03-01'),
    screenings: [{ programme: 'LS', year: 2026, regionCode: '3710', rows: [{ idNumber: RECIPIENT }] }],
    expect: [],
    expectNot: [LS_2026],
    decidedBy: 'SCREENED',
  },
  {
    name: 'a DB household enrolled from 1 February 2026: the approval of a member (not the head) on the DB list covers it',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [household(HEAD, { members: [member(HEAD), member(OTHER, { relation: '10' })], enrollments: [dibao('2026-02-01')] })] } },
    screenings: [{ programme: 'DB', year: 2026, regionCode: '3710', rows: [{ idNumber: OTHER, decisions: ['APPROVE'] }] }],
    expect: [],
    expectNot: [`D6|person|${HEAD}|DB|2026`],
    decidedBy: 'NOT_APPROVED',
  },
  {
    name: 'a DB enrollment since 2024 starts before the screened year: not a payment of 2026’s list, nothing',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [householdWithDibao(HEAD, { since: '2024-01-01' })] } },
    screenings: [{ programme: 'DB', year: 2026, regionCode: '3710', rows: [{ idNumber: OTHER, decisions: ['APPROVE'] }] }],
    expect: [],
    expectNot: [`D6|person|${HEAD}|DB|2026`],
    decidedBy: 'PAID_IN_YEAR',
  },
  {
    name: 'a DB household enrolled from 1 February 2026 whose members nobody approved: a finding about its head',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [householdWithDibao(HEAD, { since: '2026-02-01' })] } },
    screenings: [{ programme: 'DB', year: 2026, regionCode: '3710', rows: [{ idNumber: OTHER, decisions: ['APPROVE'] }] }],
    expect: [`D6|person|${HEAD}|DB|2026`],
  },
];
