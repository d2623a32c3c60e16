import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { entityManagerFor } from '../../db/database';
import { Parameter } from '../../graph/entities';
import { badInput, regionArgument } from '../argumentChecks';
import { DateScalar } from '../scalars';
import { ParameterType } from '../types/Finding';
import { ParameterDefinitionType } from '../types/ParameterDefinition';

/** The dates a row may start from: the hub's data begin after 2000, and a later year is a typo. */
const VALID_FROM = { first: '2000-01-01', last: '2100-12-31' };

const DEFINITION_COLUMNS = `d.name, d.type, d.unit, d.minimum::text as minimum, d.maximum::text as maximum, d.decimals,
  d.description, weijiu_parameter_expected(d) as expected`;

/** The definitions, read once per request (a few dozen rows) however many parameter rows ask. */
const definitionsOfRequest = new WeakMap<ApiContext, Promise<Map<string, ParameterDefinitionType>>>();
function definitions(ctx: ApiContext): Promise<Map<string, ParameterDefinitionType>> {
  let loaded = definitionsOfRequest.get(ctx);
  if (!loaded) {
    loaded = ctx.hub.pool
      .query<ParameterDefinitionType>(`select ${DEFINITION_COLUMNS} from parameter_definition d order by d.name`)
      .then(({ rows }) => new Map(rows.map((r) => [r.name, r])));
    definitionsOfRequest.set(ctx, loaded);
  }
  return loaded;
}

/**
 * The office's parameters (parameters.md) are dated rows: a new value is a new row from its date
 * on, never a change to an old one, so every finding can still show the value it used. A value
 * must conform to its parameter's definition (type, unit, range); the database refuses anything
 * else too (migration 0008), this says why to the office.
 */
@Resolver(() => ParameterType)
export class ParameterResolver {
  @Authorized('parameters:write')
  @Mutation(() => ParameterType, {
    description:
      'Adds a dated parameter row (a new value from validFrom on, for the region and everything under it); rows are never changed. The value must conform to the parameter’s definition (parameterDefinitions); validFrom lies between 2000-01-01 and 2100-12-31. Findings follow at the next rules run.',
  })
  async setParameter(
    @Ctx() ctx: ApiContext,
    @Arg('name', () => String) name: string,
    @Arg('regionCode', () => String) regionCode: string,
    @Arg('validFrom', () => DateScalar) validFrom: string,
    @Arg('value', () => String) value: string,
    @Arg('note', () => String, { nullable: true }) note?: string | null,
  ): Promise<ParameterType> {
    const region = (await regionArgument(ctx, regionCode))!;
    const text = value.trim();
    if (!text || text.length > 200) throw badInput('value: between 1 and 200 characters', 'value');
    // The check is SQL, the very function the table's trigger applies (migration 0008), so that
    // the office's answer and the database's refusal cannot disagree.
    const checked = await ctx.hub.pool.query<{ unit: string; expected: string; fault: string | null }>(
      `select d.unit, weijiu_parameter_expected(d) as expected, weijiu_parameter_fault(d, $2) as fault from parameter_definition d where d.name = $1`,
      [name, text],
    );
    const definition = checked.rows[0];
    if (!definition) throw badInput(`name: unknown parameter "${name.slice(0, 60)}"`, 'name');
    if (definition.fault) throw badInput(`value: "${text.slice(0, 40)}" ${definition.fault}; ${name} is ${definition.expected}`, 'value');
    if (validFrom < VALID_FROM.first || validFrom > VALID_FROM.last) {
      throw badInput(`validFrom: ${validFrom} is outside ${VALID_FROM.first} … ${VALID_FROM.last}`, 'validFrom');
    }
    const em = entityManagerFor(ctx.hub.pool);
    const row = em.create(Parameter, {
      definition: name,
      regionCode: region,
      validFrom,
      value: text,
      unit: definition.unit,
      note: note?.trim().slice(0, 500) || null,
      createdBy: ctx.viewer.label,
    });
    try {
      await em.flush();
      return { name, regionCode: row.regionCode, validFrom: row.validFrom, value: row.value, unit: row.unit ?? null };
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) {
        throw badInput(`validFrom: ${name} already has a row for ${region} from ${validFrom}; rows are never changed — give a later date`, 'validFrom');
      }
      throw e;
    }
  }

  @Query(() => [ParameterDefinitionType], { description: 'Every parameter’s definition: its type, unit and the values allowed.' })
  parameterDefinitions(@Ctx() ctx: ApiContext): Promise<ParameterDefinitionType[]> {
    return definitions(ctx).then((all) => [...all.values()]);
  }

  @FieldResolver(() => ParameterDefinitionType, { nullable: true, description: 'what a value of this parameter must be' })
  async definition(@Root() p: ParameterType, @Ctx() ctx: ApiContext): Promise<ParameterDefinitionType | null> {
    return (await definitions(ctx)).get(p.name) ?? null;
  }
}
