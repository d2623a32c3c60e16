import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

@ObjectType('SourceRecord', { description: 'The registry record version a fact was taken from.' })
export class SourceRefType {
  @Field() feed!: string;
  @Field() stream!: string;
  @Field() recordKey!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "the registry's own version time" }) versionAt?: Date | null;
  @Field(() => DateTimeScalar, { description: 'when the hub first received this version' }) receivedAt!: Date;
}
