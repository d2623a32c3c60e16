import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { connectors } from '../../../connectors';
import { allows, describeViewer, forbidden } from '../../auth/policy';
import { regionScope } from '../../auth/viewer';
import { factTableMeta } from '../../graph/entities/factEntities';
import { badInput } from '../argumentChecks';
import type { ApiContext } from '../context';
import type { PersonRow } from '../rows';
import { DepartmentFactType } from '../types/DepartmentFact';
import { PersonType } from '../types/Person';

type Loader = DataLoader<string, DepartmentFactType[]>;
/** per request (the request's loaders), per table */
const loadersOfRequest = new WeakMap<object, Map<string, Loader>>();

/**
 * A department's facts on Person without a type of their own: what a new department's connector
 * declares as `personFacts` reaches the API with no schema change (README "Adding a connector").
 * Scoped like the typed fact fields: the viewer's region, and a DEPARTMENT token only its own.
 */
@Resolver(() => PersonType)
export class DepartmentFactsResolver {
  @FieldResolver(() => [DepartmentFactType], {
    description: "a department's facts about them, for the departments whose facts have no field of their own (by connector name, e.g. veterans-affairs)",
  })
  async departmentFacts(@Root() p: PersonRow, @Ctx() ctx: ApiContext, @Arg('department') department: string): Promise<DepartmentFactType[]> {
    const tables = connectors[department]?.personFacts;
    if (!tables?.length) throw badInput(`${department} is not a department whose facts Person.departmentFacts shows`, 'department');
    if (!allows(ctx.viewer, `facts:${department}`)) {
      throw forbidden(`Person.departmentFacts: ${describeViewer(ctx.viewer)} may not read ${department}'s facts`);
    }
    const lists = await Promise.all(tables.map((table) => loaderFor(ctx, table).load(p.id)));
    return lists.flat();
  }
}

function loaderFor(ctx: ApiContext, table: string): Loader {
  let byTable = loadersOfRequest.get(ctx.loaders);
  if (!byTable) loadersOfRequest.set(ctx.loaders, (byTable = new Map()));
  let loader = byTable.get(table);
  if (loader) return loader;
  const meta = factTableMeta(table);
  if (meta.person !== 'required' && meta.person !== 'optional') throw new Error(`${table} names no person: it cannot be a connector's personFacts`);
  // table and column names come from the entity's declaration, never from the request
  const columns = meta.columns.map((c, i) => `f.${c.column}::text as c${i}`).join(', ');
  loader = new DataLoader<string, DepartmentFactType[]>(async (personIds) => {
    const params: unknown[] = [personIds];
    const where = ['f.person_id = any($1::bigint[])', 'f.retired_at is null', regionScope(ctx.viewer, ctx.hub.config.city, 'p.region_code', params)];
    if (ctx.viewer.role === 'DEPARTMENT') {
      params.push(ctx.viewer.department);
      where.push(`sr.feed = $${params.length}`);
    }
    const { rows } = await ctx.hub.pool.query(
      `select f.person_id as "personId", f.valid_from as "validFrom", f.valid_to as "validTo"${columns ? `, ${columns}` : ''},
              sr.feed, sr.stream, sr.record_key as "recordKey", sr.version_at as "versionAt", sr.first_seen_at as "receivedAt"
         from ${table} f join source_record sr on sr.id = f.source_record_id join person p on p.id = f.person_id
        where ${where.join(' and ')}
        order by f.person_id, f.valid_from desc nulls last, f.record_key, f.item_key`,
      params,
    );
    const byPerson = new Map<string, DepartmentFactType[]>();
    for (const r of rows) {
      const fact: DepartmentFactType = {
        table,
        validFrom: r.validFrom,
        validTo: r.validTo,
        values: meta.columns.map((c, i) => ({ name: c.property, value: r[`c${i}`] })),
        source: { feed: r.feed, stream: r.stream, recordKey: r.recordKey, versionAt: r.versionAt ? new Date(r.versionAt) : null, receivedAt: new Date(r.receivedAt) },
      };
      const list = byPerson.get(r.personId);
      if (list) list.push(fact);
      else byPerson.set(r.personId, [fact]);
    }
    return personIds.map((id) => byPerson.get(id) ?? []);
  });
  byTable.set(table, loader);
  return loader;
}
