import type { Pool, PoolClient } from 'pg';
import { normaliseIdNumber, parseAmount, parseBusinessDate } from '../../identity';
import { judgeScreening } from './judgeScreening';

/**
 * The office's screenings (office.md "Screening", "Evaluation"): a proposed list arrives (upload
 * or GraphQL), is stored with its rows in their order and judged as of a date in the same
 * transaction — a list that fails is not stored at all; it may be judged again (`rescreen`) or
 * withdrawn (the office's decisions on its rows: ./evaluateScreeningRows.ts). Who may do what is decided here from the caller's
 * role, region and department, the same for the upload and GraphQL.
 */
export const MAX_UPLOAD_ROWS = 100_000;
export const MAX_INPUT_ROWS = 10_000;

/** A client's mistake: BAD_USER_INPUT in GraphQL, 400 for an upload; `argumentName` names the field. */
export class ScreeningInputError extends Error {
  constructor(
    message: string,
    readonly argumentName: string,
  ) {
    super(message);
    this.name = 'ScreeningInputError';
  }
}

/** A caller who may not do this (FORBIDDEN / 403). */
export class ScreeningForbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScreeningForbidden';
  }
}

/** Who acts: the token's role, region prefix, department, label and id (the shape of the auth layer's Viewer). */
export interface Actor {
  role: string;
  regionPrefix: string;
  department: string | null;
  label: string;
  tokenId: string | null;
}

export interface ProposedRow {
  idNumber: string | null;
  name?: string | null;
  amount?: string | null;
  startDate?: string | null;
  note?: string | null;
}

export interface NewScreening {
  programme: string;
  year: number;
  regionCode: string;
  title: string;
  asOf?: string | null;
  rows: ProposedRow[];
}

export interface Created {
  id: string;
  rows: number;
  rejected: number;
  /** the people the list names whom the feeds know: judged, hence read (the caller audits them) */
  personIds: string[];
}

export const inside = (regionCode: string, prefix: string) => regionCode.startsWith(prefix);

/**
 * The day a list is judged as of: asOf, default today, or 1 January of the list's year when that
 * is later; an asOf before the year begins is the client's mistake.
 */
export function judgementDay(year: number, asOf: string | null | undefined, today: string): string {
  const yearStart = `${String(year).padStart(4, '0')}-01-01`;
  if (asOf) {
    const d = parseBusinessDate(asOf);
    if (!d.ok || !d.date || !/^\d{4}-\d{2}-\d{2}$/.test(asOf.trim())) throw new ScreeningInputError('asOf: not a date (YYYY-MM-DD)', 'asOf');
    if (d.date < yearStart) throw new ScreeningInputError(`asOf: ${d.date} is before the screening's year ${year} begins`, 'asOf');
    return d.date;
  }
  return today > yearStart ? today : yearStart;
}

/** PostgreSQL's text holds no NUL character: a value carrying one is refused as the client's mistake, never a failed statement. */
export function refuseNul(value: unknown, field: string): void {
  if (typeof value === 'string' && value.includes('\u0000')) throw new ScreeningInputError(`${field}: contains a NUL character`, field);
}

/** Checks what a list names (programme, year, region, title) and whether the actor may submit it. */
async function checkSubmission(pool: Pool | PoolClient, actor: Actor, s: Omit<NewScreening, 'rows'>): Promise<void> {
  for (const f of ['programme', 'regionCode', 'title', 'asOf'] as const) refuseNul(s[f], f);
  if (!Number.isInteger(s.year) || s.year < 2000 || s.year > 2100) throw new ScreeningInputError('year: a calendar year between 2000 and 2100', 'year');
  if (!s.title?.trim()) throw new ScreeningInputError('title: the list needs a title', 'title');
  if (s.title.length > 200) throw new ScreeningInputError('title: at most 200 characters', 'title');
  const { rows } = await pool.query<{ source: string | null; region: string | null }>(
    `select (select source_feed from programme where code = $1) as source, (select code from region where code = $2) as region`,
    [s.programme ?? '', s.regionCode?.trim() ?? ''],
  );
  if (rows[0].source === null) throw new ScreeningInputError(`programme: unknown programme "${String(s.programme).slice(0, 20)}"`, 'programme');
  if (rows[0].region === null) throw new ScreeningInputError(`regionCode: unknown region code "${String(s.regionCode).slice(0, 20)}"`, 'regionCode');
  const region = rows[0].region;
  switch (actor.role) {
    case 'OFFICE':
      return;
    case 'TOWN':
      if (!inside(region, actor.regionPrefix)) throw new ScreeningForbidden(`regionCode: ${region} is outside the region of this TOWN token (${actor.regionPrefix})`);
      return;
    case 'DEPARTMENT':
      if (rows[0].source !== actor.department) {
        throw new ScreeningForbidden(`programme: ${s.programme} is paid by ${rows[0].source}, not by this DEPARTMENT token's department (${actor.department})`);
      }
      return;
    default:
      throw new ScreeningForbidden(`a ${actor.role} token may not submit a screening`);
  }
}

/** A proposed row as stored: the ID number as delivered (normalised at each judgement), the other cells read. */
function readRow(r: ProposedRow, index: number) {
  for (const f of ['idNumber', 'name', 'amount', 'startDate', 'note'] as const) refuseNul(r[f], `rows[${index}].${f}`);
  const note: string[] = [];
  const amount = r.amount === null || r.amount === undefined || String(r.amount).trim() === '' ? null : parseAmount(r.amount);
  const start = r.startDate === null || r.startDate === undefined || String(r.startDate).trim() === '' ? null : parseBusinessDate(r.startDate);
  // An unreadable amount or date is not the row's verdict: it is kept as written, in the note.
  if (amount && !amount.ok) note.push(`拟救助金额 unreadable: ${String(r.amount).slice(0, 40)}`);
  if (start && !start.ok) note.push(`起始日期 unreadable: ${String(r.startDate).slice(0, 40)}`);
  const given = r.note?.trim() ? [r.note.trim().slice(0, 1000)] : [];
  return {
    rowNumber: index + 1,
    raw: r.idNumber === null || r.idNumber === undefined ? '' : String(r.idNumber).slice(0, 64),
    name: r.name?.trim() ? r.name.trim().slice(0, 100) : null,
    amount: amount && amount.ok ? amount.amount : null,
    startDate: start && start.ok ? start.date : null,
    note: [...given, ...note].join('; ') || null,
  };
}

/** Stores a list and judges it, one transaction: nothing of it stays when anything fails. */
export async function createScreening(pool: Pool, actor: Actor, s: NewScreening, opts: { today: string; city: string; maxRows: number }): Promise<Created> {
  await checkSubmission(pool, actor, s);
  if (s.rows.length === 0) throw new ScreeningInputError('rows: the list has no rows', 'rows');
  if (s.rows.length > opts.maxRows) throw new ScreeningInputError(`rows: at most ${opts.maxRows} rows a list (got ${s.rows.length})`, 'rows');
  const asOf = judgementDay(s.year, s.asOf, opts.today);
  const rows = s.rows.map(readRow);
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows: made } = await client.query<{ id: string }>(
      `insert into screening (programme_code, year, region_code, title, as_of, submitted_by, submitted_token, submitted_role, submitted_department, row_count)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
      [s.programme, s.year, s.regionCode.trim(), s.title.trim(), asOf, actor.label, actor.tokenId, actor.role, actor.department, rows.length],
    );
    const id = made[0].id;
    // normalised as of the judgement's day here, so that judging it finds nothing to change
    const normalised = rows.map((r) => {
      const n = normaliseIdNumber(r.raw, { today: asOf });
      return n.ok ? n.id : null;
    });
    await client.query(
      `insert into screening_row (screening_id, row_number, raw_id_number, id_number, person_id, name, amount, start_date, note)
       select $1, t.row_number, t.raw, t.id_number, p.id, t.name, t.amount, t.start_date, t.note
         from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::date[], $8::text[])
              as t(row_number, raw, id_number, name, amount, start_date, note)
         left join person p on p.id_number = t.id_number`,
      [id, rows.map((r) => r.rowNumber), rows.map((r) => r.raw), normalised, rows.map((r) => r.name), rows.map((r) => r.amount), rows.map((r) => r.startDate), rows.map((r) => r.note)],
    );
    const judged = await judgeScreening(client, id, asOf, opts.city);
    const people = await client.query<{ ids: string[] | null }>(
      `select array_agg(distinct person_id)::text[] as ids from screening_row where screening_id = $1 and person_id is not null`,
      [id],
    );
    await client.query('commit');
    return { id, rows: judged.rows, rejected: judged.rejected, personIds: people.rows[0].ids ?? [] };
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
}

interface ScreeningOwner {
  id: string;
  year: number;
  regionCode: string;
  submittedToken: string | null;
  submittedDepartment: string | null;
  source: string;
  withdrawn: boolean;
}

export async function ownerOf(pool: Pool | PoolClient, id: string): Promise<ScreeningOwner | null> {
  if (!/^\d{1,18}$/.test(id)) throw new ScreeningInputError('id: not a screening id', 'id');
  const { rows } = await pool.query<ScreeningOwner>(
    `select s.id, s.year, s.region_code as "regionCode", s.submitted_token as "submittedToken", s.submitted_department as "submittedDepartment",
            p.source_feed as source, s.withdrawn_at is not null as withdrawn
       from screening s join programme p on p.code = s.programme_code where s.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Whether the actor may read a screening at all (office.md, api.md: TOWN its region; DEPARTMENT those it submitted or of its programmes). */
export function readsScreening(actor: Actor, s: { regionCode: string; submittedDepartment: string | null; source: string }): boolean {
  switch (actor.role) {
    case 'OFFICE':
    case 'ANALYST':
      return true;
    case 'TOWN':
      return inside(s.regionCode, actor.regionPrefix);
    case 'DEPARTMENT':
      return s.submittedDepartment === actor.department || s.source === actor.department;
    default:
      return false;
  }
}

/** Its submitter or OFFICE may judge it again or withdraw it. */
function mayChange(actor: Actor, s: ScreeningOwner): boolean {
  if (actor.role === 'OFFICE') return true;
  if (actor.tokenId !== null && s.submittedToken === actor.tokenId) return true;
  return false;
}

/** Judges the list again as of a day (default today); the earlier verdicts stay in the rows' history. */
export async function rescreen(pool: Pool, actor: Actor, id: string, asOf: string | null | undefined, opts: { today: string; city: string }): Promise<string> {
  const s = await ownerOf(pool, id);
  if (!s || !readsScreening(actor, s)) throw new ScreeningInputError(`id: no screening ${id}`, 'id');
  if (!mayChange(actor, s)) throw new ScreeningForbidden('rescreen: only the token that submitted the list, or the office, may judge it again');
  if (s.withdrawn) throw new ScreeningInputError(`id: screening ${id} is withdrawn`, 'id');
  const day = judgementDay(s.year, asOf, opts.today);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select id from screening where id = $1 for update`, [id]);
    await judgeScreening(client, id, day, opts.city);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
  return id;
}

export async function withdrawScreening(pool: Pool, actor: Actor, id: string): Promise<string> {
  const s = await ownerOf(pool, id);
  if (!s || !readsScreening(actor, s)) throw new ScreeningInputError(`id: no screening ${id}`, 'id');
  if (!mayChange(actor, s)) throw new ScreeningForbidden('withdrawScreening: only the token that submitted the list, or the office, may withdraw it');
  await pool.query(`update screening set withdrawn_at = coalesce(withdrawn_at, now()), withdrawn_by = coalesce(withdrawn_by, $2) where id = $1`, [id, actor.label]);
  return id;
}

