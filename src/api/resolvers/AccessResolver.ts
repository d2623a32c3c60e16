import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput, idNumberArgument } from '../argumentChecks';
import { decodeCursor, encodeCursor, pageSize } from '../connection';
import type { PersonRow } from '../rows';
import { AuditEventType, RegisteredOperationType, ViewerType } from '../types/Access';
import { Connection, connectionOf } from '../types/Connection';
import { PersonType } from '../types/Person';
import { permissionsOf } from '../../auth/policy';
import { countAuditTrail, readAuditTrail, type AuditEventRow } from '../../auth/auditTrail';
import { OperationRegistrationError, registerOperation } from '../../auth/operationAllowList';

export const AuditEventConnection = Connection('AuditEvent', AuditEventType);
type AuditEventConnection = InstanceType<typeof AuditEventConnection>;

@Resolver(() => AuditEventType)
export class AccessResolver {
  @Query(() => ViewerType, { description: 'Who the bearer token says you are, and what you may read and do.' })
  viewer(@Ctx() ctx: ApiContext): ViewerType {
    const v = ctx.viewer;
    return { role: v.role, regionCode: v.regionPrefix, department: v.department, label: v.label, tokenId: v.tokenId, permissions: [...permissionsOf(v)].sort() };
  }

  @Authorized('audit')
  @Query(() => AuditEventConnection, { description: '审计 who read whose data, newest first; of one person when personIdNumber is given.' })
  async auditTrail(
    @Ctx() ctx: ApiContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('personIdNumber', () => String, { nullable: true }) personIdNumber?: string | null,
  ): Promise<AuditEventConnection> {
    const size = pageSize(first);
    const afterId = decodeCursor('audit', after);
    let personId: string | null = null;
    if (personIdNumber !== null && personIdNumber !== undefined) {
      const id = idNumberArgument(personIdNumber, 'personIdNumber');
      const { rows } = await ctx.hub.pool.query<{ id: string }>(`select id from person where id_number = $1`, [id]);
      // nobody holds the number: nobody's data about them was ever returned
      if (!rows[0]) return connectionOf(AuditEventConnection, [] as AuditEventRow[], size, afterId !== null, (r) => r.id, async () => 0);
      personId = rows[0].id;
    }
    const rows = await readAuditTrail(ctx.hub.pool, { limit: size + 1, beforeId: afterId, personId });
    return connectionOf(AuditEventConnection, rows, size, afterId !== null, (r) => encodeCursor('audit', r.id), () => countAuditTrail(ctx.hub.pool, personId));
  }

  @FieldResolver(() => [PersonType], { description: 'the people named (reading them here is audited too)' })
  async persons(@Root() e: AuditEventRow, @Ctx() ctx: ApiContext): Promise<PersonRow[]> {
    const rows = await ctx.loaders.personById.loadMany(e.personIds);
    return rows.filter((r): r is PersonRow => !!r && !(r instanceof Error));
  }

  @Authorized('operations:register')
  @Mutation(() => RegisteredOperationType, {
    description: 'Adds a document to the operations DEPARTMENT apps may run (for one department, or all when none is given); returns its sha256.',
  })
  async registerOperation(
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('document', () => String) document: string,
    @Arg('name', () => String, { nullable: true }) name?: string | null,
    @Arg('department', () => String, { nullable: true }) department?: string | null,
  ): Promise<RegisteredOperationType> {
    try {
      return await registerOperation(ctx.hub.pool, info.schema, { document, name, department, registeredBy: ctx.viewer.label }, Object.keys(ctx.hub.catalogue));
    } catch (e) {
      if (e instanceof OperationRegistrationError) throw badInput(e.message, e.message.startsWith('department') ? 'department' : 'document');
      throw e;
    }
  }
}
