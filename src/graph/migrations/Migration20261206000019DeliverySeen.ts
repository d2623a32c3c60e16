import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 18: a file delivery's unchanged records are no longer claimed row by row; the keys it held
 * again are listed per batch until its last batch (src/graph/entities/DeliveryContent.ts,
 * DeliverySeen). A new, empty table: nothing existing is touched.
 */
export class Migration20261206000019DeliverySeen extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table delivery_seen (
      id bigserial primary key,
      feed text not null,
      stream text not null,
      delivery text not null,
      keys text[] not null)`);
    this.addSql(`create index delivery_seen_stream on delivery_seen (feed, stream)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists delivery_seen`);
  }
}
