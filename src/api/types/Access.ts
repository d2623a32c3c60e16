import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

@ObjectType('Viewer', { description: 'Who the bearer token says the client is, and what it may do.' })
export class ViewerType {
  @Field({ description: 'OFFICE, TOWN, DEPARTMENT, ANALYST or ADMIN' }) role!: string;
  @Field({ description: 'the region code the token sees, and everything under it (the city code: the whole city)' }) regionCode!: string;
  @Field(() => String, { nullable: true, description: 'the department (connector name) of a DEPARTMENT token' }) department!: string | null;
  @Field() label!: string;
  @Field(() => ID, { nullable: true }) tokenId!: string | null;
  @Field(() => [String], { description: 'what the role may read and do (docs/roles-and-tokens.md)' }) permissions!: string[];
}

@ObjectType('AuditEvent', { description: '审计 one request that returned person-level data: who, what, whose, when and why.' })
export class AuditEventType {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => ID, { nullable: true }) tokenId!: string | null;
  @Field() tokenLabel!: string;
  @Field() role!: string;
  @Field({ description: 'the region the token was scoped to' }) regionCode!: string;
  @Field(() => String, { nullable: true }) department!: string | null;
  @Field({ description: 'query or mutation' }) operationType!: string;
  @Field(() => String, { nullable: true, description: 'the operation name the client gave' }) operation!: string | null;
  @Field({ description: 'sha256 of the query text, in hex' }) querySha256!: string;
  @Field(() => String, { nullable: true, description: 'the purpose the client declared (X-Purpose header)' }) purpose!: string | null;
  @Field(() => [ID], { description: 'the people whose data the response carried' }) personIds!: string[];
}

@ObjectType('RegisteredOperation', { description: 'A document DEPARTMENT apps may run, by the sha256 of its exact text.' })
export class RegisteredOperationType {
  @Field() sha256!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'only this department’s apps; null: every department' }) department!: string | null;
  @Field() registeredBy!: string;
  @Field(() => DateTimeScalar) registeredAt!: Date;
}
