import { Migration } from '@mikro-orm/migrations';

/**
 * Access control (docs/roles-and-tokens.md): the key that signs bearer tokens, the tokens issued
 * (so that each can be revoked), the operations department apps may run, and the append-only
 * audit trail of who read whose data.
 */
export class Migration20261128000003Access extends Migration {
  override async up(): Promise<void> {
    const sql = [
      // One row, written the first time a token is minted or checked (src/auth/tokenStore.ts).
      `create table access_secret (
        id smallint primary key default 1 check (id = 1),
        secret bytea not null check (octet_length(secret) >= 32),
        created_at timestamptz not null default now())`,

      `create table access_token (
        id bigserial primary key,
        label text not null,
        role text not null check (role in ('OFFICE','TOWN','DEPARTMENT','ANALYST','ADMIN')),
        region_code varchar(12) not null,
        department text,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        check ((role = 'DEPARTMENT') = (department is not null)))`,

      // 登记的查询 the documents a DEPARTMENT token may run, by the sha256 of their exact text.
      `create table registered_operation (
        sha256 char(64) primary key,
        name text,
        department text,
        document text not null,
        registered_by text not null,
        registered_at timestamptz not null default now(),
        retired_at timestamptz)`,

      `create table audit_event (
        id bigserial primary key,
        at timestamptz not null default now(),
        token_id bigint,
        token_label text not null,
        role text not null,
        region_code varchar(12) not null,
        department text,
        operation_type text not null,
        operation text,
        query_sha256 char(64) not null,
        purpose text,
        person_ids bigint[] not null)`,
      `create index audit_event_persons on audit_event using gin (person_ids)`,
      `create index audit_event_at on audit_event (at desc, id desc)`,

      // Append-only whoever connects: the hub's own database user owns the table, so a privilege
      // cannot be revoked from it; a trigger refuses every change instead.
      `create function weijiu_audit_append_only() returns trigger language plpgsql as $$
         begin
           raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
         end $$`,
      `create trigger audit_event_no_update before update or delete on audit_event
         for each row execute function weijiu_audit_append_only()`,
      `create trigger audit_event_no_truncate before truncate on audit_event
         for each statement execute function weijiu_audit_append_only()`,

      // Who set a parameter row (setParameter); seeded rows have none.
      `alter table parameter add column created_by text`,
    ];
    for (const s of sql) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table parameter drop column if exists created_by`);
    for (const t of ['audit_event', 'registered_operation', 'access_token', 'access_secret']) this.addSql(`drop table if exists ${t} cascade`);
    this.addSql(`drop function if exists weijiu_audit_append_only()`);
  }
}
