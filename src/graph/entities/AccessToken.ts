import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';

/** An issued bearer token, so that it can be revoked (src/auth/tokenStore.ts). Migrations 0003 and 0007. */
@Entity({ tableName: 'access_token' })
@Check({ name: 'access_token_check', expression: "(role = 'DEPARTMENT') = (department is not null)" })
export class AccessToken {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'text' })
  label!: string;

  // text with the check access_token_role_check, which MikroORM reads as an enum
  @Enum({ items: ['OFFICE', 'TOWN', 'DEPARTMENT', 'ANALYST', 'ADMIN'], columnType: 'text' })
  role!: 'OFFICE' | 'TOWN' | 'DEPARTMENT' | 'ANALYST' | 'ADMIN';

  @Property({ type: 'string', columnType: 'varchar(12)', length: 12 })
  regionCode!: string;

  @Property({ type: 'text', nullable: true })
  department?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  /** the access_secret that signed it (no foreign key: a retired key's tokens stay listed) */
  @Property({ type: 'smallint', default: 1 })
  keyGeneration!: number;
}
