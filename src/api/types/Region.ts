import { Field, ObjectType } from 'type-graphql';

/** 区划 a division of the city: county (6 digits), town (9), village or community (12). */
@ObjectType({ description: '区划 a statistical division of the city (2023 codes).' })
export class RegionType {
  @Field({ description: '6-digit county, 9-digit town or 12-digit village code' })
  code!: string;

  @Field()
  name!: string;

  @Field({ description: 'CITY, COUNTY, TOWN or VILLAGE' })
  level!: string;

  parentCode?: string | null;
}
