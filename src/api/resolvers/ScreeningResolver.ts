import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput } from '../argumentChecks';
import { decodeCursor, encodeCursor, pageSize } from '../connection';
import { Connection, connectionOf } from '../types/Connection';
import { DateScalar } from '../scalars';
import type { EvidenceType } from '../types/Finding';
import {
  CreateScreeningInput, EvaluateScreeningRowsInput, EvaluationType, ScreeningFilter, ScreeningJudgementType, ScreeningReasonType, ScreeningRowFilter,
  ScreeningRowType, ScreeningType, VerdictCountType, VerdictEnum,
} from '../types/Screening';
import { describeViewer, forbidden } from '../../auth/policy';
import { withinScope } from '../../auth/viewer';
import {
  createScreening, MAX_INPUT_ROWS, rescreen, ScreeningForbidden, ScreeningInputError, withdrawScreening,
} from '../../rules/screening/screenings';
import { REASON_CODES, REASON_VERDICT, VERDICTS } from '../../rules/screening/screeningWords';
import { evaluateScreeningRows } from '../../rules/screening/evaluateScreeningRows';

export const ScreeningConnection = Connection('Screening', ScreeningType);
type ScreeningConnection = InstanceType<typeof ScreeningConnection>;
export const ScreeningRowConnection = Connection('ScreeningRow', ScreeningRowType);
type ScreeningRowConnection = InstanceType<typeof ScreeningRowConnection>;

const screeningColumns = `s.id, s.programme_code as programme, s.year, s.region_code as "regionCode", s.title, s.as_of as "asOf",
  s.submitted_by as "submittedBy", s.withdrawn_at is not null as withdrawn, s.created_at as "createdAt",
  s.submitted_department as "submittedDepartment", s.submitted_token as "submittedToken", p.source_feed as source`;

const rowColumns = `r.id, r.row_number as "rowNumber", r.id_number as "idNumber", r.name, r.amount, r.start_date as "startDate", r.note, r.verdict,
  r.reason_codes as "reasonCodes", r.person_id as "personId", r.screening_id as "screeningId", s.region_code as "regionCode",
  (select max(j.id) from screening_judgement j where j.screening_id = r.screening_id)::text as "judgementId"`;

/** The service's refusals as GraphQL errors: a client's mistake is BAD_USER_INPUT, a refusal FORBIDDEN. */
async function asGraphql<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ScreeningInputError) throw badInput(e.message, e.argumentName);
    if (e instanceof ScreeningForbidden) throw forbidden(e.message);
    throw e;
  }
}

/** Who reads a screening's rows: its region for TOWN, the lists it submitted for DEPARTMENT (approved lists of its programmes: `approved`). */
function screeningScope(ctx: ApiContext, params: unknown[]): string {
  const v = ctx.viewer;
  if (v.role === 'TOWN') {
    params.push(`${v.regionPrefix}%`);
    return `s.region_code like $${params.length}`;
  }
  if (v.role === 'DEPARTMENT') {
    params.push(v.department);
    return `(s.submitted_department = $${params.length} or p.source_feed = $${params.length})`;
  }
  return v.role === 'ADMIN' ? 'false' : 'true';
}

/** The screening's purpose, for the audit trail (api.md: every row read in a screening is audited with it). */
function auditPurpose(ctx: ApiContext, screeningId: string): void {
  ctx.purpose ??= `screening ${screeningId}`;
}

interface StoredReason {
  rowId: string;
  code: string;
  clauses: string[];
  regions: string[];
  evidence: Array<EvidenceType & { arrivedAt: string; versionAt: string | null }>;
}

/** Per request: the reasons of the rows asked, one statement for all of them (keyed by the current judgement). */
const reasonLoaders = new WeakMap<ApiContext, DataLoader<string, StoredReason[]>>();
function reasonsOf(ctx: ApiContext): DataLoader<string, StoredReason[]> {
  let loader = reasonLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, StoredReason[]>(async (keys) => {
      const pairs = keys.map((k) => k.split(':'));
      const { rows } = await ctx.hub.pool.query<StoredReason>(
        `select sr.row_id::text as "rowId", sr.code, sr.clauses, sr.regions,
                (select coalesce(jsonb_agg(jsonb_build_object(
                          'feed', coalesce(src.feed, e->>'feed', 'screening'), 'stream', coalesce(src.stream, e->>'stream', ''),
                          'recordKey', coalesce(src.record_key, e->>'record_key', ''),
                          'arrivedAt', coalesce(src.first_seen_at, (e->>'arrived_at')::timestamptz, j.judged_at),
                          'versionAt', src.version_at, 'values', e->'values')), '[]'::jsonb)
                   from jsonb_array_elements(sr.evidence) e
                   left join source_record src on src.id = (e->>'source_record_id')::bigint) as evidence
           from unnest($1::bigint[], $2::bigint[]) as k(row_id, judgement_id)
           join screening_reason sr on sr.row_id = k.row_id and sr.judgement_id = k.judgement_id
           join screening_judgement j on j.id = sr.judgement_id
          order by sr.id`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      return pairs.map(([row]) => rows.filter((r) => r.rowId === row));
    });
    reasonLoaders.set(ctx, loader);
  }
  return loader;
}

/** Per request, one statement per level: a DataLoader of `load(keys)` kept beside the request's context. */
const requestLoaders = new WeakMap<ApiContext, Map<string, DataLoader<string, unknown>>>();
function batched<V>(ctx: ApiContext, name: string, load: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  let loaders = requestLoaders.get(ctx);
  if (!loaders) requestLoaders.set(ctx, (loaders = new Map()));
  let loader = loaders.get(name) as DataLoader<string, V> | undefined;
  if (!loader) loaders.set(name, (loader = new DataLoader<string, V>(load) as DataLoader<string, V>) as DataLoader<string, unknown>);
  return loader;
}

@Resolver(() => ScreeningType)
export class ScreeningResolver {
  @Query(() => ScreeningType, { nullable: true, description: 'One screening; one the token may not read answers null, as for an id nobody holds.' })
  async screening(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<ScreeningType | null> {
    if (!/^\d{1,18}$/.test(id)) throw badInput('id: not a screening id', 'id');
    const params: unknown[] = [id];
    const scope = screeningScope(ctx, params);
    const { rows } = await ctx.hub.pool.query<ScreeningType>(
      `select ${screeningColumns} from screening s join programme p on p.code = s.programme_code where s.id = $1 and ${scope}`,
      params,
    );
    return rows[0] ?? null;
  }

  @Query(() => ScreeningConnection, { description: 'The screenings the token may read, newest first.' })
  async screenings(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => ScreeningFilter, { nullable: true }) filter?: ScreeningFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ScreeningConnection> {
    const size = pageSize(first);
    const afterId = decodeCursor('screening', after);
    const params: unknown[] = [];
    const where = [screeningScope(ctx, params)];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter?.programme) add((p) => `s.programme_code = ${p}`, filter.programme);
    if (filter?.year !== null && filter?.year !== undefined) add((p) => `s.year = ${p}`, filter.year);
    if (filter?.regionCode) {
      if (!/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/.test(filter.regionCode)) throw badInput('filter.regionCode: not a region code', 'filter.regionCode');
      add((p) => `s.region_code like ${p}`, `${filter.regionCode}%`);
    }
    const countWhere = [...where];
    const countParams = [...params];
    if (afterId) add((p) => `s.id < ${p}`, afterId);
    params.push(size + 1);
    const { rows } = await ctx.hub.pool.query<ScreeningType>(
      `select ${screeningColumns} from screening s join programme p on p.code = s.programme_code where ${where.join(' and ')} order by s.id desc limit $${params.length}`,
      params,
    );
    return connectionOf(ScreeningConnection, rows, size, afterId !== null, (r) => encodeCursor('screening', r.id), async () => {
      const c = await ctx.hub.pool.query<{ n: number }>(
        `select count(*)::int as n from screening s join programme p on p.code = s.programme_code where ${countWhere.join(' and ')}`,
        countParams,
      );
      return c.rows[0].n;
    });
  }

  @FieldResolver(() => [VerdictCountType], { description: 'rows per verdict, all four' })
  async counts(@Root() s: ScreeningType, @Ctx() ctx: ApiContext): Promise<VerdictCountType[]> {
    const rows = await batched(ctx, 'screeningCounts', async (ids) => {
      const { rows: all } = await ctx.hub.pool.query<{ screeningId: string; verdict: string; n: number }>(
        `select screening_id::text as "screeningId", verdict, count(*)::int as n from screening_row where screening_id = any($1::bigint[]) group by 1, 2`,
        [ids],
      );
      return ids.map((id) => all.filter((r) => r.screeningId === id));
    }).load(s.id);
    return VERDICTS.map((v) => ({ verdict: v as VerdictEnum, rows: rows.find((r) => r.verdict === v)?.n ?? 0 }));
  }

  @FieldResolver(() => ScreeningRowConnection, { description: 'the rows in their order, filtered by verdict and reason' })
  async rows(
    @Root() s: ScreeningType,
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => ScreeningRowFilter, { nullable: true }) filter?: ScreeningRowFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ScreeningRowConnection> {
    if (ctx.viewer.role === 'DEPARTMENT' && s.submittedDepartment !== ctx.viewer.department) {
      throw forbidden(`Screening.rows: ${describeViewer(ctx.viewer)} reads the rows of the lists it submitted; of this one, the approved list (Screening.approved)`);
    }
    const unknown = (filter?.reason ?? []).filter((c) => !(REASON_CODES as string[]).includes(c));
    if (unknown.length) throw badInput(`filter.reason: unknown reason ${unknown.map((c) => `"${c.slice(0, 30)}"`).join(', ')}`, 'filter.reason');
    return this.rowPage(s, ctx, first, after, (add) => {
      if (filter?.verdict?.length) add((p) => `r.verdict = any(${p}::text[])`, filter.verdict);
      if (filter?.reason?.length) add((p) => `r.reason_codes && ${p}::text[]`, filter.reason);
    });
  }

  @FieldResolver(() => ScreeningRowConnection, { description: 'the approved list: rows whose newest decision is APPROVE (for the paying department and finance)' })
  async approved(
    @Root() s: ScreeningType,
    @Ctx() ctx: ApiContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ScreeningRowConnection> {
    return this.rowPage(s, ctx, first, after, (add) =>
      add((p) => `(select e.decision from screening_evaluation e where e.row_id = r.id order by e.id desc limit 1) = ${p}`, 'APPROVE'),
    );
  }

  private async rowPage(
    s: ScreeningType,
    ctx: ApiContext,
    first: number | null | undefined,
    after: string | null | undefined,
    narrow: (add: (sql: (p: string) => string, value: unknown) => void) => void,
  ): Promise<ScreeningRowConnection> {
    auditPurpose(ctx, s.id);
    const size = pageSize(first);
    const afterRow = decodeCursor('screening-row', after);
    const params: unknown[] = [s.id];
    const where = ['r.screening_id = $1'];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    narrow(add);
    const countWhere = [...where];
    const countParams = [...params];
    if (afterRow) add((p) => `r.row_number > ${p}`, Number(afterRow));
    params.push(size + 1);
    const { rows } = await ctx.hub.pool.query<ScreeningRowType>(
      `select ${rowColumns} from screening_row r join screening s on s.id = r.screening_id
        where ${where.join(' and ')} order by r.row_number limit $${params.length}`,
      params,
    );
    return connectionOf(ScreeningRowConnection, rows, size, afterRow !== null, (r) => encodeCursor('screening-row', String(r.rowNumber)), async () => {
      const c = await ctx.hub.pool.query<{ n: number }>(`select count(*)::int as n from screening_row r where ${countWhere.join(' and ')}`, countParams);
      return c.rows[0].n;
    });
  }

  @Mutation(() => ScreeningType, { description: 'A department app’s (or the office’s) proposed list, up to 10,000 rows, judged on arrival.' })
  async createScreening(@Arg('input', () => CreateScreeningInput) input: CreateScreeningInput, @Ctx() ctx: ApiContext): Promise<ScreeningType> {
    const created = await asGraphql(() =>
      createScreening(ctx.hub.pool, ctx.viewer, { ...input, rows: input.rows.map((r) => ({ ...r })) }, {
        today: ctx.today, city: ctx.hub.config.city, maxRows: MAX_INPUT_ROWS,
      }),
    );
    // the people the list names were judged, hence read: audited with the screening as purpose
    for (const id of created.personIds) ctx.audited.persons.add(id);
    auditPurpose(ctx, created.id);
    return (await this.screening(created.id, ctx))!;
  }

  @Mutation(() => ScreeningType, { description: 'Judges a list again as of a day (default today); the earlier verdicts stay in each row’s history.' })
  async rescreen(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext, @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null): Promise<ScreeningType> {
    await asGraphql(() => rescreen(ctx.hub.pool, ctx.viewer, id, asOf, { today: ctx.today, city: ctx.hub.config.city }));
    return (await this.screening(id, ctx))!;
  }

  @Mutation(() => ScreeningType, { description: 'Withdraws a list (its submitter or the office): it then counts for nothing.' })
  async withdrawScreening(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<ScreeningType> {
    await asGraphql(() => withdrawScreening(ctx.hub.pool, ctx.viewer, id));
    return (await this.screening(id, ctx))!;
  }

  @Mutation(() => [ScreeningRowType], { description: '评估: APPROVE, REJECT or REFER rows by id, or every row of a screening matching a filter.' })
  async evaluateScreeningRows(@Arg('input', () => EvaluateScreeningRowsInput) input: EvaluateScreeningRowsInput, @Ctx() ctx: ApiContext): Promise<ScreeningRowType[]> {
    const ids = await asGraphql(() => evaluateScreeningRows(ctx.hub.pool, ctx.viewer, input));
    if (input.screeningId) auditPurpose(ctx, input.screeningId);
    const { rows } = await ctx.hub.pool.query<ScreeningRowType>(
      `select ${rowColumns} from screening_row r join screening s on s.id = r.screening_id where r.id = any($1::bigint[]) order by s.id, r.row_number`,
      [ids],
    );
    return rows;
  }
}

@Resolver(() => ScreeningRowType)
export class ScreeningRowResolver {
  @FieldResolver(() => [ScreeningReasonType], {
    description: 'every reason that holds, with its evidence; a TOWN reader sees the code without the evidence where the facts lie outside its region, a DEPARTMENT only the evidence of its own feed',
  })
  async reasons(@Root() r: ScreeningRowType, @Ctx() ctx: ApiContext): Promise<ScreeningReasonType[]> {
    if (!r.reasonCodes.length || !r.judgementId) return [];
    const stored = await reasonsOf(ctx).load(`${r.id}:${r.judgementId}`);
    const v = ctx.viewer;
    return stored.map((s) => {
      const withheld = v.role === 'TOWN' && s.regions.some((region) => !withinScope(v, region));
      const evidence = withheld ? [] : s.evidence.filter((e) => v.role !== 'DEPARTMENT' || e.feed === v.department);
      return {
        code: s.code,
        clauses: s.clauses,
        evidence: evidence.map((e) => ({ ...e, arrivedAt: new Date(e.arrivedAt), versionAt: e.versionAt ? new Date(e.versionAt) : null })),
      };
    });
  }

  @FieldResolver(() => [EvaluationType], { description: 'the office’s decisions, oldest first; the newest is the row’s evaluation' })
  async evaluations(@Root() r: ScreeningRowType, @Ctx() ctx: ApiContext): Promise<EvaluationType[]> {
    return batched(ctx, 'screeningEvaluations', async (ids) => {
      const { rows } = await ctx.hub.pool.query<EvaluationType & { rowId: string }>(
        `select row_id::text as "rowId", decision, note, approval_ref as "approvalRef", decided_by as "decidedBy", decided_at as "decidedAt"
           from screening_evaluation where row_id = any($1::bigint[]) order by id`,
        [ids],
      );
      return ids.map((id) => rows.filter((e) => e.rowId === id).map(({ rowId: _, ...e }) => e));
    }).load(r.id);
  }

  @FieldResolver(() => [ScreeningJudgementType], { description: 'every judgement of the row, oldest first: rescreen keeps the earlier ones' })
  async history(@Root() r: ScreeningRowType, @Ctx() ctx: ApiContext): Promise<ScreeningJudgementType[]> {
    const rows = await batched(ctx, 'screeningHistory', async (keys) => {
      const pairs = keys.map((k) => k.split(':'));
      const { rows: all } = await ctx.hub.pool.query<{ rowId: string; asOf: string; judgedAt: Date; reasons: string[] }>(
        `select k.row_id::text as "rowId", j.as_of as "asOf", j.judged_at as "judgedAt",
                coalesce(array(select distinct sr.code from screening_reason sr where sr.judgement_id = j.id and sr.row_id = k.row_id order by 1), '{}') as reasons
           from unnest($1::bigint[], $2::bigint[]) as k(row_id, screening_id)
           join screening_judgement j on j.screening_id = k.screening_id
          order by j.id`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      return pairs.map(([row]) => all.filter((j) => j.rowId === row));
    }).load(`${r.id}:${r.screeningId}`);
    return rows.map(({ rowId: _, ...j }) => ({ ...j, verdict: strongest(j.reasons) }));
  }
}

function strongest(codes: string[]): VerdictEnum {
  const order: VerdictEnum[] = [VerdictEnum.REJECT, VerdictEnum.LEADING_GROUP, VerdictEnum.REVIEW];
  const forced = new Set(codes.map((c) => REASON_VERDICT_OF(c)));
  return order.find((v) => forced.has(v)) ?? VerdictEnum.PASS;
}

const REASON_VERDICT_OF = (code: string) => (REASON_VERDICT as Record<string, string>)[code] as VerdictEnum;
