import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput } from '../argumentChecks';
import { pageSize } from '../connection';
import { findingColumns, findingSubjectInScope, reviveFinding } from '../ruleLoaders';
import { DateScalar } from '../scalars';
import { Connection, connectionOf } from '../types/Connection';
import { FindingType } from '../types/Finding';
import { PersonType } from '../types/Person';
import {
  AssignFindingsInput, AssignmentType, ChangeKind, ChangeType, CreateSubscriptionInput, MatchResultType, ReportVerificationInput,
  VerificationType, WebhookSubscriptionType,
} from '../types/Exchange';
import { regionScope } from '../../auth/viewer';
import { forbidden } from '../../auth/policy';
import { changeLogEnd, countChanges, decodeChangeCursor, encodeChangeCursor, readChanges, type ChangeRow } from '../../auth/changeScope';
import { normaliseIdNumber } from '../../identity';
import { assignFindings, AssignmentError, reportVerification } from '../../rules/assignment';

export const ChangeConnection = Connection('Change', ChangeType);
type ChangeConnection = InstanceType<typeof ChangeConnection>;

const MAX_MATCH = 1000;
const MAX_LIST = 10_000;

function asGraphQLError(e: unknown): never {
  if (e instanceof AssignmentError) throw e.forbidden ? forbidden(e.message) : badInput(e.message, e.argumentName);
  throw e;
}

/** Per-request loaders of a finding's history, made on first use. */
const historyLoaders = new WeakMap<ApiContext, { assignments: DataLoader<string, AssignmentType[]>; verifications: DataLoader<string, VerificationType[]> }>();
function history(ctx: ApiContext) {
  let h = historyLoaders.get(ctx);
  if (!h) {
    const grouped = <T extends { findingId: string }>(sql: string) =>
      new DataLoader<string, T[]>(async (ids) => {
        const { rows } = await ctx.hub.pool.query<T>(sql, [ids]);
        return ids.map((id) => rows.filter((r) => r.findingId === id));
      });
    h = {
      assignments: grouped<AssignmentType>(
        `select finding_id::text as "findingId", coalesce(to_department, to_region_code) as "to", due_on as "dueOn", note,
                assigned_by as "assignedBy", assigned_at as "assignedAt"
           from finding_assignment where finding_id = any($1::bigint[]) order by id`,
      ),
      verifications: grouped<VerificationType>(
        `select finding_id::text as "findingId", result, visited_on as "visitedOn", note, reported_by as "reportedBy", reported_at as "reportedAt"
           from finding_verification where finding_id = any($1::bigint[]) order by id`,
      ),
    };
    historyLoaders.set(ctx, h);
  }
  return h;
}

function toChange(r: ChangeRow): ChangeType {
  return {
    cursor: encodeChangeCursor(r), kind: r.kind as ChangeKind, at: r.at, effectiveOn: r.effectiveOn, personId: r.personId,
    category: r.category as ChangeType['category'], programme: r.programme, findingId: r.findingId, regionCode: r.regionCode, connector: r.connector,
  };
}

interface SubscriptionRow {
  id: string;
  url: string;
  kinds: string[];
  deliveredTxid: string;
  deliveredId: string;
  lastError: string | null;
  createdAt: Date;
}
const subscriptionColumns = `id::text, url, kinds, delivered_txid::text as "deliveredTxid", delivered_id::text as "deliveredId", last_error as "lastError", created_at as "createdAt"`;

/** deliveredCursor: where delivery resumes — the log's end when it was created, until the first delivery. */
function toSubscription(r: SubscriptionRow, secret: string | null): WebhookSubscriptionType {
  return {
    id: r.id, url: r.url, kinds: r.kinds as ChangeKind[], secret, lastError: r.lastError, createdAt: r.createdAt,
    deliveredCursor: encodeChangeCursor({ txid: r.deliveredTxid, id: r.deliveredId }),
  };
}

/** The subscriptions a token may list and delete: the office all of them, others those of their own role, region and department. */
function ownSubscriptions(ctx: ApiContext, params: unknown[]): string {
  if (ctx.viewer.role === 'OFFICE') return 'true';
  params.push(ctx.viewer.role, ctx.viewer.regionPrefix, ctx.viewer.department ?? '');
  const n = params.length;
  return `role = $${n - 2} and region_prefix = $${n - 1} and coalesce(department, '') = $${n}`;
}

@Resolver(() => FindingType)
export class FindingAssignmentResolver {
  @FieldResolver(() => [AssignmentType], { description: '分派 every assignment, oldest first; the newest counts' })
  assignments(@Root() f: FindingType, @Ctx() ctx: ApiContext) {
    return history(ctx).assignments.load(f.id);
  }

  @FieldResolver(() => [VerificationType], { description: '核查反馈 every report, oldest first' })
  verifications(@Root() f: FindingType, @Ctx() ctx: ApiContext) {
    return history(ctx).verifications.load(f.id);
  }
}

@Resolver()
export class ExchangeResolver {
  // Who may call these is in src/auth/fieldVisibility.ts (`// exchange (issue 16)`).
  @Mutation(() => [FindingType], { description: '分派 the office assigns findings to a department or a town, with a due date' })
  async assignFindings(@Arg('input', () => AssignFindingsInput) input: AssignFindingsInput, @Ctx() ctx: ApiContext): Promise<FindingType[]> {
    const regionCode = input.to.regionCode?.trim();
    if (regionCode && !(await ctx.loaders.regionByCode.load(regionCode))) throw badInput(`to.regionCode: unknown region code "${regionCode.slice(0, 20)}"`, 'to');
    const department = input.to.department?.trim();
    // departments are named as tokens name them: the connectors' names
    const departments = new Set(Object.keys(ctx.hub.catalogue));
    if (department && !departments.has(department)) throw badInput(`to.department: no department "${department.slice(0, 30)}"`, 'to');
    const ids = await assignFindings(ctx.hub.pool, { ...input, assignedBy: ctx.viewer.label }, ctx.today).catch(asGraphQLError);
    const { rows } = await ctx.hub.pool.query<FindingType>(`select ${findingColumns} from finding f where f.id = any($1::bigint[]) order by f.id`, [ids]);
    rows.forEach(reviveFinding);
    return rows;
  }

  @Mutation(() => FindingType, { description: '核查反馈 the assignee reports what it found; kept, never written over' })
  async reportVerification(@Arg('input', () => ReportVerificationInput) input: ReportVerificationInput, @Ctx() ctx: ApiContext): Promise<FindingType> {
    await reportVerification(ctx.hub.pool, ctx.viewer, input, ctx.today).catch(asGraphQLError);
    const params: unknown[] = [input.findingId];
    const subject = findingSubjectInScope(ctx.viewer, ctx.hub.config.city, params);
    const { rows } = await ctx.hub.pool.query<FindingType>(`select ${findingColumns}, ${subject} from finding f where f.id = $1`, params);
    rows.forEach(reviveFinding);
    return rows[0];
  }

  @Query(() => [MatchResultType], {
    description: '批量比对 up to 1,000 ID numbers: for each, whether the hub knows the person, their nine categories and the programmes covering them on asOf — nothing else. In the order given; audited with the purpose.',
  })
  async match(
    @Arg('idNumbers', () => [String]) idNumbers: string[],
    @Arg('purpose', () => String) purpose: string,
    @Ctx() ctx: ApiContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ): Promise<MatchResultType[]> {
    if (idNumbers.length > MAX_MATCH) throw badInput(`idNumbers: at most ${MAX_MATCH} in one call (got ${idNumbers.length})`, 'idNumbers');
    if (!purpose.trim()) throw badInput('purpose: say what the match is for', 'purpose');
    const normalised = idNumbers.map((raw) => {
      const n = normaliseIdNumber(raw);
      return n.ok ? n.id : null;
    });
    const valid = [...new Set(normalised.filter((n): n is string => n !== null))];
    const params: unknown[] = [valid, asOf ?? ctx.today, ctx.hub.config.city];
    const scope = regionScope(ctx.viewer, ctx.hub.config.city, 'p.region_code', params);
    // One statement: the people, then their categories and programmes for all of them at once.
    const { rows } = await ctx.hub.pool.query<{ idNumber: string; personId: string; categories: string[]; programmes: string[] }>(
      `with known as (select p.id, p.id_number from person p where p.id_number = any($1::text[]) and ${scope}),
            ids as (select coalesce(array_agg(id), '{}'::bigint[]) as a from known),
            cats as (select c.person_id, array_agg(distinct c.category order by c.category) as cs
                       from ids cross join lateral weijiu_categories($2::date, $3, ids.a) c group by c.person_id),
            progs as (select b.person_id, array_agg(distinct b.programme_code order by b.programme_code) as ps
                        from ids cross join lateral weijiu_person_benefit(ids.a) b
                       where weijiu_active(b.period_start, b.period_end, $2::date) group by b.person_id)
       select k.id_number as "idNumber", k.id::text as "personId", coalesce(c.cs, '{}') as categories, coalesce(g.ps, '{}') as programmes
         from known k left join cats c on c.person_id = k.id left join progs g on g.person_id = k.id`,
      params,
    );
    const byNumber = new Map(rows.map((r) => [r.idNumber, r]));
    // audited as a read of each known person, with the purpose the call gives
    for (const r of rows) ctx.audited.persons.add(r.personId);
    ctx.purpose = ctx.purpose ? `${purpose.trim()} (${ctx.purpose})` : purpose.trim();
    return idNumbers.map((input, i) => {
      const id = normalised[i];
      const hit = id ? byNumber.get(id) : undefined;
      return {
        input, idNumber: id, valid: id !== null, known: !!hit,
        categories: (hit?.categories ?? []) as MatchResultType['categories'], programmes: hit?.programmes ?? [],
      };
    });
  }

  @Query(() => ChangeConnection, { description: '变更通知 the change log after a cursor, in cursor order: the events this token may see' })
  async changes(
    @Ctx() ctx: ApiContext,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('kinds', () => [ChangeKind], { nullable: true }) kinds?: ChangeKind[] | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
  ): Promise<ChangeConnection> {
    const size = pageSize(first);
    const position = after ? decodeChangeCursor(after) : null;
    if (after && !position) throw badInput('after: not a cursor of the change log', 'after');
    const page = await readChanges(ctx.hub.pool, ctx.viewer, ctx.hub.config.city, { after: position, kinds: kinds ?? null, first: size });
    // one more than asked tells whether there is a next page; connectionOf reads it so
    const rows = page.rows.map(toChange);
    if (page.hasMore) rows.push({ ...rows[rows.length - 1] });
    return connectionOf(ChangeConnection, rows, size, position !== null, (r) => r.cursor, () =>
      countChanges(ctx.hub.pool, ctx.viewer, ctx.hub.config.city, { after: position, kinds: kinds ?? null }),
    );
  }

  @Query(() => [WebhookSubscriptionType], { description: 'webhook subscriptions with their delivered cursor and last error' })
  async subscriptions(@Ctx() ctx: ApiContext): Promise<WebhookSubscriptionType[]> {
    const params: unknown[] = [];
    const own = ownSubscriptions(ctx, params);
    const listed = await ctx.hub.pool.query<SubscriptionRow>(
      `select ${subscriptionColumns} from webhook_subscription where deleted_at is null and ${own} order by id`,
      params,
    );
    return listed.rows.map((r) => toSubscription(r, null));
  }

  @Mutation(() => WebhookSubscriptionType, { description: 'a webhook of the change log; its secret is shown in this answer only' })
  async createSubscription(@Arg('input', () => CreateSubscriptionInput) input: CreateSubscriptionInput, @Ctx() ctx: ApiContext): Promise<WebhookSubscriptionType> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw badInput('url: not a URL', 'url');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('url: http or https only', 'url');
    if (!hostAllowed(url, ctx.hub.config.webhookHosts ?? [])) {
      throw badInput(`url: host "${url.host.slice(0, 60)}" is not in the hub's webhookHosts`, 'url');
    }
    const list = input.idNumbers ?? [];
    if (list.length > MAX_LIST) throw badInput(`idNumbers: at most ${MAX_LIST}`, 'idNumbers');
    const numbers = list.map((raw) => normaliseIdNumber(raw));
    const bad = numbers.findIndex((n) => !n.ok);
    if (bad >= 0) throw badInput(`idNumbers: entry ${bad + 1} is not a valid ID number`, 'idNumbers');
    const secret = crypto.randomBytes(32).toString('hex');
    const start = await changeLogEnd(ctx.hub.pool);
    const client = await ctx.hub.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<SubscriptionRow>(
        `insert into webhook_subscription (token_id, role, region_prefix, department, label, url, kinds, secret, delivered_txid, delivered_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${subscriptionColumns}`,
        [ctx.viewer.tokenId, ctx.viewer.role, ctx.viewer.regionPrefix, ctx.viewer.department, ctx.viewer.label, url.toString(), input.kinds ?? [], secret, start.txid, start.id],
      );
      const ids = [...new Set(numbers.map((n) => (n.ok ? n.id : '')))];
      if (ids.length) {
        await client.query(`insert into webhook_subscription_person (subscription_id, id_number) select $1, unnest($2::text[])`, [rows[0].id, ids]);
      }
      await client.query('commit');
      return toSubscription(rows[0], secret);
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  @Mutation(() => Boolean, { description: 'stops a webhook; false when there is none of that id for this token' })
  async deleteSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<boolean> {
    if (!/^\d{1,18}$/.test(id)) throw badInput('id: not a subscription id', 'id');
    const params: unknown[] = [id];
    const own = ownSubscriptions(ctx, params);
    const r = await ctx.hub.pool.query(`update webhook_subscription set deleted_at = now() where id = $1 and deleted_at is null and ${own}`, params);
    return (r.rowCount ?? 0) > 0;
  }
}

@Resolver(() => ChangeType)
export class ChangeResolver {
  @FieldResolver(() => PersonType, { nullable: true, description: 'whom the event is about' })
  person(@Root() c: ChangeType, @Ctx() ctx: ApiContext) {
    return c.personId ? ctx.loaders.personById.load(c.personId) : null;
  }
}

/**
 * Whether a webhook's URL is on the allow-list: `host` allows its default port only, `host:port`
 * that port, `host:*` any port — so naming a host does not open its other services (port 6379, 22).
 */
export function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  return allowed.includes(url.host) || allowed.includes(`${url.hostname}:*`);
}
