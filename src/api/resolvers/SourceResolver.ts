import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { HouseholdSourceType } from '../types/Household';
import { SourceRefType } from '../types/Source';
import { seesIdentities } from '../../auth/policy';
import { maskIdNumbersIn } from '../../auth/masking';

/** Registry record keys are often ID numbers (a certificate, a ledger row per person): masked where people are. */
@Resolver(() => SourceRefType)
export class SourceRecordResolver {
  @FieldResolver(() => String)
  recordKey(@Root() s: SourceRefType, @Ctx() ctx: ApiContext): string {
    return seesIdentities(ctx.viewer) ? s.recordKey : maskIdNumbersIn(s.recordKey);
  }
}

@Resolver(() => HouseholdSourceType)
export class HouseholdSourceResolver {
  @FieldResolver(() => String)
  recordKey(@Root() s: HouseholdSourceType, @Ctx() ctx: ApiContext): string {
    return seesIdentities(ctx.viewer) ? s.recordKey : maskIdNumbersIn(s.recordKey);
  }
}
