import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { yearArgument } from '../argumentChecks';
import type { BenefitRow, PersonRow } from '../rows';
import { BenefitType } from '../types/Benefit';
import {
  DangerousHouseType, DeathType, DisabilityCertificateType, EconomicFactType, MedicalSettlementType, PersonObservationType,
  PovertyRecordType, SchoolingType,
} from '../types/DepartmentFacts';
import { PersonType } from '../types/Person';

@ObjectType('Housing', { description: '住房保障 what the housing bureau (住建局) records of a person.' })
export class HousingType {
  @Field(() => [BenefitType], { description: '保障房 public rental flats (ZF_FLAT) and rent subsidies (ZF_RENT) they applied for' })
  security!: BenefitRow[];
  @Field(() => [DangerousHouseType], { description: '危房 assessments of the house they head' })
  dangerousHouses!: unknown[];
}

/**
 * Each department's facts on Person, each from its own registry and with its source record. A
 * DEPARTMENT token reads only its own department's, and of `observations` only its own feed's
 * (src/auth/fieldVisibility.ts); analysts and operators none.
 */
@Resolver(() => PersonType)
export class PersonFactsResolver {
  @FieldResolver(() => [DisabilityCertificateType], { description: '残联 disability certificates' })
  disability(@Root() p: PersonRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.facts('disability_certificate').load(p.id);
  }

  @FieldResolver(() => [SchoolingType], { description: '教育局 student-aid ledger rows, newest term first' })
  schooling(@Root() p: PersonRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.facts('schooling').load(p.id);
  }

  @FieldResolver(() => [MedicalSettlementType], { description: '卫健委 / 医保局 hospital settlements, of one year when given' })
  medicalSettlements(@Root() p: PersonRow, @Ctx() ctx: ApiContext, @Arg('year', () => Int, { nullable: true }) year?: number | null) {
    return ctx.loaders.facts('medical_settlement', { year: yearArgument(year) }).load(p.id);
  }

  @FieldResolver(() => DeathType, { nullable: true, description: 'the medical death certificate, if any' })
  async death(@Root() p: PersonRow, @Ctx() ctx: ApiContext) {
    return (await ctx.loaders.facts('death_record').load(p.id))[0] ?? null;
  }

  @FieldResolver(() => HousingType, { description: '住建局 housing security and dangerous-house records' })
  async housing(@Root() p: PersonRow, @Ctx() ctx: ApiContext): Promise<HousingType> {
    const [benefits, houses] = await Promise.all([
      ctx.loaders.benefitsOfPerson({}).load(p.id),
      ctx.loaders.facts('dangerous_house').load(p.id),
    ]);
    return { security: benefits.filter((b) => b.programmeCode === 'ZF_FLAT' || b.programmeCode === 'ZF_RENT'), dangerousHouses: houses };
  }

  @FieldResolver(() => [PovertyRecordType], { description: '乡村振兴局 poverty-relief ledger rows naming them' })
  poverty(@Root() p: PersonRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.facts('poverty_record').load(p.id);
  }

  @FieldResolver(() => [EconomicFactType], { description: '家庭经济状况核对 facts; by default the newest of each source and item' })
  economicFacts(@Root() p: PersonRow, @Ctx() ctx: ApiContext, @Arg('history', () => Boolean, { defaultValue: false }) history: boolean) {
    return ctx.loaders.facts('economic_fact', { newestOnly: !history }).load(p.id);
  }

  @FieldResolver(() => [PersonObservationType], { description: 'what each feed says their name and region are (the graph shows one by a documented precedence)' })
  observations(@Root() p: PersonRow, @Ctx() ctx: ApiContext) {
    return ctx.loaders.observationsOfPerson.load(p.id);
  }
}
