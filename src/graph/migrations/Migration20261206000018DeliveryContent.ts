import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 18: what was delivered is kept once, as delivered (src/graph/entities/DeliveryContent.ts).
 * In place and without rewriting anything: the new columns are nullable without a default, so
 * no row of source_record is touched; records stored before keep their payload and their hash (the
 * hash is still computed the same way), so the next sync finds them unchanged — no record is
 * versioned again, no change event written, no finding reopened.
 */
export class Migration20261206000018DeliveryContent extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table delivery_content (
      id bigserial primary key,
      sha256 bytea not null,
      name text not null,
      size integer not null,
      gzip bytea not null,
      received_at timestamptz not null default now(),
      sync_run_id bigint references sync_run(id),
      constraint delivery_content_sha256_key unique (sha256))`);
    // already compressed: PostgreSQL's own compression would only spend CPU
    this.addSql(`alter table delivery_content alter column gzip set storage external`);
    this.addSql(`create table delivered_page (
      feed text not null,
      stream text not null,
      address text not null,
      content_id bigint not null references delivery_content(id),
      records integer not null,
      quarantined integer[] not null,
      applied_at timestamptz not null default now(),
      primary key (feed, stream, address))`);
    this.addSql(`create index delivered_page_content on delivered_page (content_id)`);
    this.addSql(`alter table source_record alter column payload drop not null`);
    this.addSql(`alter table source_record add column content_id bigint references delivery_content(id)`);
    this.addSql(`alter table source_record add column content_offset integer`);
    this.addSql(`alter table source_record add column content_length integer`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table source_record drop column if exists content_length`);
    this.addSql(`alter table source_record drop column if exists content_offset`);
    this.addSql(`alter table source_record drop column if exists content_id`);
    this.addSql(`drop table if exists delivered_page`);
    this.addSql(`drop table if exists delivery_content`);
  }
}
