import { Migration } from '@mikro-orm/migrations';

/**
 * Key rotation and an in-process copy of the token table (src/auth/tokenRegistry.ts):
 * `access_secret` keeps every key it ever had, numbered, the current one unretired; each token
 * row says which key signed it; and a change to either table is announced on the channel
 * `weijiu_access`, so that every hub process listening sees a revocation or a new key within
 * moments instead of reading the row on each request.
 */
export class Migration20261206000007TokenNotify extends Migration {
  override async up(): Promise<void> {
    const sql = [
      // The first key stays number 1; `weijiu token rotate-key` retires it and adds the next.
      `alter table access_secret drop constraint if exists access_secret_id_check`,
      `alter table access_secret add column retired_at timestamptz`,
      `create unique index access_secret_current on access_secret ((true)) where retired_at is null`,
      // Rows written before rotation existed were all signed by key 1.
      `alter table access_token add column key_generation smallint not null default 1`,

      // Payloads: 'key' (any key change), 'token:<id>' (one row), 'token:*' (the table emptied).
      `create function weijiu_access_notify() returns trigger language plpgsql as $$
         begin
           if tg_table_name = 'access_secret' then
             perform pg_notify('weijiu_access', 'key');
           elsif tg_op = 'TRUNCATE' then
             perform pg_notify('weijiu_access', 'token:*');
           elsif tg_op = 'DELETE' then
             perform pg_notify('weijiu_access', 'token:' || old.id);
           else
             perform pg_notify('weijiu_access', 'token:' || new.id);
             if tg_op = 'UPDATE' and new.id <> old.id then
               perform pg_notify('weijiu_access', 'token:' || old.id);
             end if;
           end if;
           return null;
         end $$`,
      // per row, so that a statement changing nothing (the first key made where one exists) says nothing
      `create trigger access_secret_notify after insert or update or delete on access_secret
         for each row execute function weijiu_access_notify()`,
      `create trigger access_secret_notify_truncate after truncate on access_secret
         for each statement execute function weijiu_access_notify()`,
      `create trigger access_token_notify after insert or update or delete on access_token
         for each row execute function weijiu_access_notify()`,
      `create trigger access_token_notify_truncate after truncate on access_token
         for each statement execute function weijiu_access_notify()`,
    ];
    for (const s of sql) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists access_token_notify_truncate on access_token`);
    this.addSql(`drop trigger if exists access_token_notify on access_token`);
    this.addSql(`drop trigger if exists access_secret_notify_truncate on access_secret`);
    this.addSql(`drop trigger if exists access_secret_notify on access_secret`);
    this.addSql(`drop function if exists weijiu_access_notify()`);
    this.addSql(`alter table access_token drop column if exists key_generation`);
    this.addSql(`drop index if exists access_secret_current`);
    this.addSql(`delete from access_secret where id <> 1`);
    this.addSql(`alter table access_secret drop column if exists retired_at`);
    this.addSql(`alter table access_secret add constraint access_secret_id_check check (id = 1)`);
  }
}
