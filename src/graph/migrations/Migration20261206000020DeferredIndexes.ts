import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 18: a first load into an empty graph drops the secondary indexes and foreign keys its own
 * statements do not need and builds them again when it ends, as pg_restore does
 * (src/ingest/firstLoad.ts). What was dropped is recorded here, with its definition, in the
 * transaction that drops it: a load killed part-way leaves the record, and the next sync or hub
 * start builds from it (src/db/deferredIndexes.ts). A new, empty table: nothing existing is touched.
 */
export class Migration20261206000020DeferredIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table deferred_index (
      table_name text not null,
      name text not null,
      kind text not null,
      definition text not null,
      deferred_at timestamptz not null default now(),
      violation text,
      primary key (table_name, name))`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists deferred_index`);
  }
}
