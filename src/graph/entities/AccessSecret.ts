import { Check, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * A key that signs bearer tokens (src/auth/tokenStore.ts), numbered; the current one is the one
 * not retired. Migrations 0003 and 0007; its trigger tells every hub process of a change.
 */
@Entity({ tableName: 'access_secret' })
@Check({ name: 'access_secret_secret_check', expression: 'octet_length(secret) >= 32' })
// at most one current key, whoever writes
@Unique({ name: 'access_secret_current', expression: 'create unique index access_secret_current on access_secret ((true)) where retired_at is null' })
export class AccessSecret {
  /** the key's generation, named by access_token.key_generation */
  @PrimaryKey({ type: 'smallint', autoincrement: false, default: 1 })
  id!: number;

  @Property({ type: 'blob', columnType: 'bytea' })
  secret!: Buffer;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  retiredAt?: Date | null;
}
