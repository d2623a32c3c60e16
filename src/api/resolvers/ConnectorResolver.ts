import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput } from '../argumentChecks';
import { decodeCursor, encodeCursor, pageSize } from '../connection';
import { Connection, connectionOf } from '../types/Connection';
import { ConnectorType, QuarantinedRecordType, SyncRunType } from '../types/Sync';
import type { SyncRunRow } from '../rows';
import { seesRawQuarantine } from '../../auth/policy';
import { maskIdNumbersIn, quarantinedForOperator } from '../../auth/masking';

export const QuarantineConnection = Connection('Quarantine', QuarantinedRecordType);
type QuarantineConnection = InstanceType<typeof QuarantineConnection>;

@Resolver(() => ConnectorType)
export class ConnectorResolver {
  @Authorized('connectors')
  @Query(() => [ConnectorType], { description: 'Every connector the hub knows, configured or not, with its schedule and runs.' })
  async connectors(@Ctx() ctx: ApiContext): Promise<ConnectorType[]> {
    const configured = ctx.hub.config.connectors;
    const names = [...new Set([...Object.keys(ctx.hub.catalogue), ...Object.keys(configured)])].sort();
    return names.map((name) => ({
      name,
      department: ctx.hub.catalogue[name]?.department ?? null,
      schedule: configured[name]?.schedule ?? null,
      configured: name in configured,
      nextRunAt: ctx.hub.nextRunOf?.(name) ?? null,
    }));
  }

  @FieldResolver(() => SyncRunType, { nullable: true })
  async lastRun(@Root() c: ConnectorType, @Ctx() ctx: ApiContext) {
    return (await ctx.loaders.runsOfConnector(10).load(c.name))[0] ?? null;
  }

  @FieldResolver(() => [SyncRunType], { description: 'newest first' })
  async runs(@Root() c: ConnectorType, @Ctx() ctx: ApiContext, @Arg('first', () => Int, { nullable: true }) first?: number | null) {
    const n = first ?? 10;
    if (!Number.isInteger(n) || n < 0 || n > 100) throw badInput('first: must be between 0 and 100', 'first');
    return ctx.loaders.runsOfConnector(n).load(c.name);
  }

  @Authorized('quarantine')
  @Query(() => QuarantineConnection, { description: 'Quarantined records, newest first. Operators (ADMIN) see why each was refused, with ID numbers and names masked, and not the record (`raw` null); every read of `raw` or `value` by the office is audited.' })
  async quarantine(
    @Ctx() ctx: ApiContext,
    @Arg('connector', () => String, { nullable: true }) connector?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<QuarantineConnection> {
    const size = pageSize(first);
    const afterId = decodeCursor('quarantine', after);
    const params: unknown[] = [];
    const where: string[] = ['true'];
    if (connector) {
      params.push(connector);
      where.push(`connector = $${params.length}`);
    }
    const countWhere = [...where];
    const countParams = [...params];
    if (afterId) {
      params.push(afterId);
      where.push(`id < $${params.length}`);
    }
    params.push(size + 1);
    const { rows } = await ctx.hub.pool.query<QuarantinedRecordType>(
      `select id, connector, stream, record_key as "recordKey", reason, field, value, location, raw, received_at as "receivedAt"
         from quarantined_record where ${where.join(' and ')} order by id desc limit $${params.length}`,
      params,
    );
    // The office's reads of `raw` and `value` are audited field by field (src/auth/auditSubjects.ts).
    const records = seesRawQuarantine(ctx.viewer) ? rows : rows.map(quarantinedForOperator);
    return connectionOf(QuarantineConnection, records, size, afterId !== null, (r) => encodeCursor('quarantine', r.id), async () => {
      const c = await ctx.hub.pool.query<{ n: number }>(`select count(*)::int as n from quarantined_record where ${countWhere.join(' and ')}`, countParams);
      return c.rows[0].n;
    });
  }
}

/** A run's error can quote the record that broke it: ID numbers in it, in any spelling, are masked outside the office. */
@Resolver(() => SyncRunType)
export class SyncRunResolver {
  @FieldResolver(() => String, { nullable: true })
  error(@Root() run: SyncRunRow, @Ctx() ctx: ApiContext): string | null {
    return run.error === null || seesRawQuarantine(ctx.viewer) ? run.error : maskIdNumbersIn(run.error);
  }
}
