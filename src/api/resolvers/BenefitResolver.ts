import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import type { BenefitRow } from '../rows';
import { BenefitType } from '../types/Benefit';
import { HouseholdType } from '../types/Household';
import { PersonType } from '../types/Person';
import { ProgrammeType } from '../types/Programme';
import { RegionType } from '../types/Region';

@Resolver(() => BenefitType)
export class BenefitResolver {
  @FieldResolver(() => ProgrammeType, { nullable: true })
  programme(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.programmeByCode.load(b.programmeCode);
  }

  @FieldResolver(() => PersonType, { nullable: true, description: 'the person, for person-level benefits' })
  person(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return b.personId ? ctx.loaders.personById.load(b.personId) : null;
  }

  @FieldResolver(() => HouseholdType, { nullable: true })
  household(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return b.householdId ? ctx.loaders.householdById.load(b.householdId) : null;
  }

  @FieldResolver(() => RegionType, { nullable: true })
  region(@Root() b: BenefitRow, @Ctx() ctx: ApiContext) {
    return b.regionCode ? ctx.loaders.regionByCode.load(b.regionCode) : null;
  }
}
