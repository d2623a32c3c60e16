import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar, DecimalScalar } from '../scalars';
import { SourceRefType } from './Source';

/** Each department's facts about a person, typed, each with the record version it came from. */

@ObjectType('DisabilityCertificate', { description: '残疾人证 from the disabled persons federation (残联).' })
export class DisabilityCertificateType {
  @Field() certificateNo!: string;
  @Field(() => Int, { description: '1 视力 visual, 2 听力 hearing, 3 言语 speech, 4 肢体 physical, 5 智力 intellectual, 6 精神 mental, 7 多重 multiple' })
  category!: number;
  @Field(() => Int, { description: '1 (most severe) … 4' }) grade!: number;
  @Field({ description: 'VALID, EXPIRED or REVOKED' }) status!: string;
  @Field(() => DateScalar, { nullable: true }) issuedOn!: string | null;
  @Field(() => DateScalar, { nullable: true }) validUntil!: string | null;
  @Field(() => String, { nullable: true }) regionCode!: string | null;
  @Field(() => SourceRefType) source!: SourceRefType;
}

@ObjectType('Schooling', { description: '学籍 a student-aid ledger row from the education bureau (教育局), one per term and aid.' })
export class SchoolingType {
  @Field({ description: '学籍号' }) studentNo!: string;
  @Field(() => String, { nullable: true }) school!: string | null;
  @Field(() => String, { nullable: true, description: '学段 学前 / 小学 / 初中 / 高中 / 中职 / 高校' }) stage!: string | null;
  @Field(() => String, { nullable: true }) grade!: string | null;
  @Field(() => String, { nullable: true, description: '在校状态 在读 / 休学 / 毕业 / 退学' }) status!: string | null;
  @Field({ description: '学年_学期, e.g. 2026-2027_1' }) term!: string;
  @Field(() => String, { nullable: true, description: '资助项目; null: enrolled, no aid' }) aid!: string | null;
  @Field(() => String, { nullable: true }) regionCode!: string | null;
  @Field(() => SourceRefType) source!: SourceRefType;
}

@ObjectType('MedicalSettlement', { description: '结算 a hospital settlement (卫健委 / 医保局).' })
export class MedicalSettlementType {
  @Field(() => DateScalar) settledOn!: string;
  @Field(() => DecimalScalar, { nullable: true }) totalCost!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) insurancePaid!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: '医疗救助 medical assistance' }) assistancePaid!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: '个人自付 out of pocket' }) outOfPocket!: string | null;
  @Field(() => String, { nullable: true, description: 'ICD-10' }) diagnosis!: string | null;
  @Field({ description: '大病 catastrophic illness' }) catastrophic!: boolean;
  @Field(() => SourceRefType) source!: SourceRefType;
}

@ObjectType('Death', { description: '死亡医学证明 a medical death certificate.' })
export class DeathType {
  @Field(() => DateScalar) diedOn!: string;
  @Field(() => String, { nullable: true }) regionCode!: string | null;
  @Field(() => SourceRefType) source!: SourceRefType;
}

@ObjectType('DangerousHouse', { description: '危房 a dangerous-house assessment (住建局).' })
export class DangerousHouseType {
  @Field({ description: '鉴定等级 A/B/C/D (C and D are dangerous)' }) rating!: string;
  @Field(() => DateScalar) assessedOn!: string;
  @Field(() => String, { nullable: true, description: '改造状态 未改造 / 改造中 / 已改造' }) renovationStatus!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) subsidy!: string | null;
  @Field(() => String, { nullable: true }) regionCode!: string | null;
  @Field(() => SourceRefType) source!: SourceRefType;
}

@ObjectType('PovertyRecord', { description: '建档立卡 / 防返贫监测 the poverty-relief ledger row of a household member (乡村振兴局).' })
export class PovertyRecordType {
  @Field({ description: '户编号' }) householdNo!: string;
  @Field(() => String, { nullable: true }) relationCode!: string | null;
  @Field(() => Int, { nullable: true }) identifiedYear!: number | null;
  @Field(() => String, { nullable: true, description: '已脱贫 / 未脱贫' }) povertyStatus!: string | null;
  @Field(() => String, { nullable: true, description: '监测对象类型; null: not monitored' }) monitoringType!: string | null;
  @Field(() => String, { nullable: true }) mainRisk!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: '家庭年人均纯收入 yuan per person per year' }) incomePerCapita!: string | null;
  @Field(() => String, { nullable: true }) regionCode!: string | null;
  @Field(() => DateScalar, { nullable: true }) snapshotDate!: string | null;
  @Field(() => SourceRefType) source!: SourceRefType;
}

@ObjectType('EconomicFact', { description: '家庭经济状况核对 a fact of the economic-status check sources.' })
export class EconomicFactType {
  @Field({ description: 'BANK, INSURANCE, TAX, SOCIAL_SECURITY, REAL_ESTATE, VEHICLE or BUSINESS' }) kind!: string;
  @Field() item!: string;
  @Field(() => DecimalScalar, { nullable: true }) value!: string | null;
  @Field(() => String, { nullable: true }) unit!: string | null;
  @Field(() => DateScalar) asOf!: string;
  @Field(() => SourceRefType) source!: SourceRefType;
}

@ObjectType('PersonObservation', { description: 'What one feed says a person is called and where they live.' })
export class PersonObservationType {
  @Field() feed!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) regionCode!: string | null;
  @Field(() => DateTimeScalar) observedAt!: Date;
}
