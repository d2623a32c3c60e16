import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { ApiContext } from '../context';
import { badInput, regionArgument } from '../argumentChecks';
import { DateScalar } from '../scalars';
import { ParameterType } from '../types/Finding';

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The office's parameters (parameters.md) are dated rows: a new value is a new row from its date
 * on, never a change to an old one, so every finding can still show the value it used.
 */
@Resolver(() => ParameterType)
export class ParameterResolver {
  @Authorized('parameters:write')
  @Mutation(() => ParameterType, {
    description: 'Adds a dated parameter row (a new value from validFrom on, for the region and everything under it); rows are never changed. Findings follow at the next rules run.',
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
    const known = await ctx.hub.pool.query<{ unit: string | null; value: string }>(
      `select unit, value from parameter where name = $1 order by valid_from desc, id desc`,
      [name],
    );
    if (!known.rows.length) throw badInput(`name: unknown parameter "${name.slice(0, 60)}"`, 'name');
    const text = value.trim();
    if (!text || text.length > 200) throw badInput('value: between 1 and 200 characters', 'value');
    if (known.rows.every((r) => NUMBER.test(r.value)) && !NUMBER.test(text)) throw badInput(`value: ${name} is a number`, 'value');
    try {
      const { rows } = await ctx.hub.pool.query<ParameterType>(
        `insert into parameter (name, region_code, valid_from, value, unit, note, created_by) values ($1, $2, $3, $4, $5, $6, $7)
         returning name, region_code as "regionCode", valid_from as "validFrom", value, unit`,
        [name, region, validFrom, text, known.rows[0]!.unit, note?.trim().slice(0, 500) || null, ctx.viewer.label],
      );
      return rows[0]!;
    } catch (e) {
      if ((e as { code?: string }).code === '23505') {
        throw badInput(`validFrom: ${name} already has a row for ${region} from ${validFrom}; rows are never changed — give a later date`, 'validFrom');
      }
      throw e;
    }
  }
}
