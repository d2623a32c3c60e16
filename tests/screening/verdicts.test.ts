import { openCaseDatabase, type CaseDatabase } from '../../src/rules/cases/caseDatabase';
import { clearGraph, loadCase, type CaseFeeds } from '../../src/rules/cases/ruleCase';
import {
  deathCertificate, economicCheckFact, household, householdWithDibao, idNo, member, studentInTerm, tekun, temporaryAid, termFile,
} from '../../src/rules/cases/caseBuilders';
import { createScreening, rescreen, withdrawScreening, type Actor, type ProposedRow } from '../../src/rules/screening/screenings';
import { evaluateScreeningRows } from '../../src/rules/screening/evaluateScreeningRows';

/**
 * Every reason of office.md's screening table, and the near misses the issue names, on a real
 * database: the feeds loaded through the connectors, the list judged by the hub's statements.
 */
let db: CaseDatabase;
const OFFICE: Actor = { role: 'OFFICE', regionPrefix: '3710', department: null, label: 'office desk', tokenId: 'tok-office' };
const COLLEAGUE: Actor = { ...OFFICE, label: 'office colleague', tokenId: 'tok-colleague' };

beforeAll(async () => {
  db = await openCaseDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function fresh(feeds: CaseFeeds) {
  await db.pool.query('truncate screening cascade');
  await clearGraph(db);
  await loadCase(db, feeds);
}

interface Listed {
  programme: string;
  rows: ProposedRow[];
  asOf?: string;
  year?: number;
  regionCode?: string;
  actor?: Actor;
  /** keep the lists screened before (LISTED_ELSEWHERE); else each list is judged alone */
  keep?: boolean;
}

async function screen(l: Listed) {
  if (!l.keep) await db.pool.query('truncate screening cascade');
  const created = await createScreening(db.pool, l.actor ?? OFFICE, {
    programme: l.programme, year: l.year ?? 2026, regionCode: l.regionCode ?? '3710', title: 'test list', asOf: l.asOf ?? '2026-10-31', rows: l.rows,
  }, { today: '2026-10-31', city: '3710', maxRows: 10_000 });
  return { ...created, rows: await rowsOf(created.id) };
}

async function rowsOf(id: string) {
  const { rows } = await db.pool.query<{ id: string; rowNumber: number; verdict: string; reasons: string[] }>(
    `select id, row_number as "rowNumber", verdict, reason_codes as reasons from screening_row where screening_id = $1 order by row_number`,
    [id],
  );
  return rows;
}

const ADULT = idNo('37100219700101123');
const SPOUSE = idNo('37100219720202124');
const PUPIL = idNo('37108220120304123');
const ELDER = idNo('37100219400505123');
const STRANGER = idNo('37100219800606123');

describe('verdicts and reasons', () => {
  test('a person nobody knows and a wrong check digit: NOT_KNOWN is REVIEW, BAD_ID is REJECT; a clean row PASSes', async () => {
    await fresh({ civilAffairs: { households: [household(ADULT, { members: [member(ADULT, { name: '王建国' })] })] } });
    const bad = ADULT.slice(0, 17) + (ADULT[17] === '1' ? '2' : '1');
    const s = await screen({ programme: 'LS', rows: [{ idNumber: ADULT, name: '王建国' }, { idNumber: STRANGER }, { idNumber: bad }, { idNumber: '' }] });
    expect(s.rows.map((r) => [r.verdict, r.reasons])).toEqual([
      ['PASS', []],
      ['REVIEW', ['NOT_KNOWN']],
      ['REJECT', ['BAD_ID']],
      ['REJECT', ['BAD_ID']],
    ]);
    expect(s.rejected).toBe(2);
  });

  test('DECEASED on asOf is REJECT; a death after asOf is not', async () => {
    await fresh({ civilAffairs: { households: [household(ELDER, { members: [member(ELDER)] })] }, health: { deaths: [deathCertificate(ELDER, '2026-06-01')] } });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ELDER }] })).rows[0].reasons).toEqual(['DECEASED']);
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ELDER }], asOf: '2026-05-31' })).rows[0].reasons).toEqual([]);
  });

  test('TK proposed for a member of a DB household: EXCLUSIVE_PAIR, REJECT', async () => {
    await fresh({ civilAffairs: { households: [householdWithDibao(ADULT, { since: '2024-01-01' })] } });
    const s = await screen({ programme: 'TK', rows: [{ idNumber: ADULT }] });
    expect(s.rows[0].verdict).toBe('REJECT');
    expect(s.rows[0].reasons).toContain('EXCLUSIVE_PAIR');
  });

  test('a continuing DB enrollment proposed again is ALREADY_ENROLLED (REVIEW), not SAME_KIND_THIS_YEAR', async () => {
    await fresh({ civilAffairs: { households: [householdWithDibao(ADULT, { since: '2024-01-01' })] } });
    const s = await screen({ programme: 'DB', rows: [{ idNumber: ADULT }] });
    expect(s.rows[0]).toMatchObject({ verdict: 'REVIEW', reasons: ['ALREADY_ENROLLED'] });
  });

  test('TK ended in March of the year: SAME_KIND_THIS_YEAR for DB (LEADING_GROUP); ended 31 December of the year before: nothing', async () => {
    await fresh({ civilAffairs: { households: [household(ADULT, { enrollments: [tekun(ADULT, '2024-01-01', { until: '2026-03-31' })] })] } });
    expect((await screen({ programme: 'DB', rows: [{ idNumber: ADULT }] })).rows[0]).toMatchObject({ verdict: 'LEADING_GROUP', reasons: ['SAME_KIND_THIS_YEAR'] });
    await fresh({ civilAffairs: { households: [household(ADULT, { enrollments: [tekun(ADULT, '2024-01-01', { until: '2025-12-31' })] })] } });
    expect((await screen({ programme: 'DB', rows: [{ idNumber: ADULT }] })).rows[0]).toMatchObject({ verdict: 'PASS', reasons: [] });
  });

  test('an LS grant to a household member this year: SAME_KIND_THIS_YEAR for the other; a grant of the year before: nothing', async () => {
    const family = household(ADULT, { members: [member(ADULT), member(SPOUSE, { relation: '10', name: '李秀英' })] });
    await fresh({ civilAffairs: { households: [family], grants: [temporaryAid(SPOUSE, '2026-02-03')] } });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }] })).rows[0].reasons).toEqual(['SAME_KIND_THIS_YEAR']);
    await fresh({ civilAffairs: { households: [family], grants: [temporaryAid(SPOUSE, '2025-12-31')] } });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }] })).rows[0].reasons).toEqual([]);
    // a grant paid after asOf is not yet this year's
    await fresh({ civilAffairs: { households: [family], grants: [temporaryAid(SPOUSE, '2026-11-02')] } });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }] })).rows[0].reasons).toEqual([]);
    // a 2026 list judged in February 2027: a grant of January 2027 is not of the list's year
    await fresh({ civilAffairs: { households: [family], grants: [temporaryAid(SPOUSE, '2027-01-10')] } });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], asOf: '2027-02-01' })).rows[0].reasons).toEqual([]);
  });

  test('education: 国家助学金 of 学期 2 of 2025-2026 (from 1 February 2026) is this year; 学期 2 of 2024-2025 (ends 31 August 2025) is not; 免学费 is another kind', async () => {
    await fresh({ education: termFile('2025-2026_2', studentInTerm(PUPIL, '2025-2026_2', { aid: '国家助学金' })) });
    expect((await screen({ programme: 'JY_GRANT', rows: [{ idNumber: PUPIL }] })).rows[0].reasons).toEqual(['SAME_KIND_THIS_YEAR']);
    expect((await screen({ programme: 'JY_FREE', rows: [{ idNumber: PUPIL }] })).rows[0].reasons).toEqual([]);
    // 学期 2 begins on 1 February: as of 31 January the aid is not yet this year's
    expect((await screen({ programme: 'JY_GRANT', rows: [{ idNumber: PUPIL }], asOf: '2026-01-31' })).rows[0].reasons).toEqual([]);
    await fresh({ education: termFile('2024-2025_2', studentInTerm(PUPIL, '2024-2025_2', { aid: '国家助学金' })) });
    expect((await screen({ programme: 'JY_GRANT', rows: [{ idNumber: PUPIL }] })).rows[0].reasons).toEqual([]);
  });

  test('NAME_MISMATCH: a name differing only by spaces or full-width characters matches; another name does not; an empty name is no mismatch', async () => {
    await fresh({ civilAffairs: { households: [household(ADULT, { members: [member(ADULT, { name: '王建国' })] })] } });
    const s = await screen({
      programme: 'LS',
      rows: [{ idNumber: ADULT, name: '王 建\u3000国' }, { idNumber: ADULT, name: '王建国\uFF08甲\uFF09'.slice(0, 3) }, { idNumber: ADULT, name: '王建军' }, { idNumber: ADULT, name: '' }],
    });
    expect(s.rows.map((r) => r.reasons.filter((c) => c === 'NAME_MISMATCH'))).toEqual([[], [], ['NAME_MISMATCH'], []]);
    // full-width letters in the feed's spelling, half-width in the list's
    await fresh({ civilAffairs: { households: [household(ADULT, { members: [member(ADULT, { name: '阿依Ａｎ' })] })] } });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT, name: '阿依 An' }] })).rows[0].reasons).toEqual([]);
  });

  test('DUPLICATE_ROW: the later rows of the same person (after normalisation) get it', async () => {
    await fresh({ civilAffairs: { households: [household(ADULT)] } });
    const spaced = `${ADULT.slice(0, 6)} ${ADULT.slice(6, 14)} ${ADULT.slice(14).toLowerCase()}`;
    const s = await screen({ programme: 'LS', rows: [{ idNumber: ADULT }, { idNumber: spaced }, { idNumber: STRANGER }] });
    expect(s.rows.map((r) => r.reasons.includes('DUPLICATE_ROW'))).toEqual([false, true, false]);
  });

  test('OUTSIDE_REGION: a person living in 环翠区 on a 荣成市 list; inside it, nothing', async () => {
    await fresh({ civilAffairs: { households: [household(ADULT, { region: '371002001001' })] } });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], regionCode: '371082' })).rows[0].reasons).toEqual(['OUTSIDE_REGION']);
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], regionCode: '371002' })).rows[0].reasons).toEqual([]);
  });

  test('ASSETS: a business of a household member, whether or not the household has DB', async () => {
    const family = household(ADULT, { members: [member(ADULT), member(SPOUSE, { relation: '10' })] });
    await fresh({ civilAffairs: { households: [family] }, economicCheck: [economicCheckFact(SPOUSE, 'BUSINESS', '1')] });
    const s = await screen({ programme: 'LS', rows: [{ idNumber: ADULT }] });
    expect(s.rows[0].reasons).toEqual(['ASSETS']);
    const { rows } = await db.pool.query(`select clauses from screening_reason where code = 'ASSETS'`);
    expect(rows[0].clauses).toEqual(['BUSINESS']);
  });

  test('LISTED_ELSEWHERE: on another list of the same kind and year; not when that list is withdrawn, its row rejected, or of another year', async () => {
    await fresh({ civilAffairs: { households: [household(ADULT)] } });
    const first = await screen({ programme: 'LS', rows: [{ idNumber: ADULT }] });
    // an undecided row counts
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], keep: true })).rows[0].reasons).toEqual(['LISTED_ELSEWHERE']);
    // another kind (DB is BASIC_LIVING, LS TEMPORARY), another year: nothing
    await db.pool.query(`update screening set withdrawn_at = now() where id <> $1`, [first.id]);
    expect((await screen({ programme: 'DB', rows: [{ idNumber: ADULT }], keep: true })).rows[0].reasons).not.toContain('LISTED_ELSEWHERE');
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], year: 2027, asOf: '2027-01-05', keep: true })).rows[0].reasons).not.toContain('LISTED_ELSEWHERE');
    await db.pool.query(`update screening set withdrawn_at = now() where id <> $1`, [first.id]);
    // the row's newest evaluation is REJECT: nothing; APPROVE after it: listed again
    await evaluateScreeningRows(db.pool, COLLEAGUE, { ids: [first.rows[0].id], decision: 'REJECT', note: 'not in need' });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], keep: true })).rows[0].reasons).toEqual([]);
    await db.pool.query(`update screening set withdrawn_at = now() where id <> $1`, [first.id]);
    await evaluateScreeningRows(db.pool, COLLEAGUE, { ids: [first.rows[0].id], decision: 'APPROVE', note: 'reconsidered' });
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], keep: true })).rows[0].reasons).toEqual(['LISTED_ELSEWHERE']);
    // a withdrawn list lists nobody elsewhere
    const listed = await screen({ programme: 'LS', rows: [{ idNumber: ADULT }] });
    await withdrawScreening(db.pool, OFFICE, listed.id);
    expect((await screen({ programme: 'LS', rows: [{ idNumber: ADULT }], keep: true })).rows[0].reasons).toEqual([]);
  });

  test('rescreen as of another day keeps the earlier verdicts in the history', async () => {
    await fresh({ civilAffairs: { households: [household(ELDER, { members: [member(ELDER)] })] }, health: { deaths: [deathCertificate(ELDER, '2026-06-01')] } });
    const s = await screen({ programme: 'LS', rows: [{ idNumber: ELDER }], asOf: '2026-03-01' });
    expect(s.rows[0].verdict).toBe('PASS');
    await rescreen(db.pool, OFFICE, s.id, '2026-10-31', { today: '2026-10-31', city: '3710' });
    expect((await rowsOf(s.id))[0]).toMatchObject({ verdict: 'REJECT', reasons: ['DECEASED'] });
    const { rows } = await db.pool.query(`select count(*)::int as n from screening_judgement where screening_id = $1`, [s.id]);
    expect(rows[0].n).toBe(2);
  });
});
