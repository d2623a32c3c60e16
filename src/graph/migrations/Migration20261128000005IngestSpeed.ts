import { Migration } from '@mikro-orm/migrations';

/**
 * Source records as delivered, and room for the daily "seen again" stamp.
 * - `payload` becomes `json`: the record as the connector read it, its fields in their delivered
 *   order (jsonb sorts keys), stored with no conversion — nothing queries inside it. Rows already
 *   stored keep jsonb's order. The change rewrites the table under an exclusive lock: on a
 *   running hub's database it stops ingest for the length of the rewrite.
 * - A file delivered again (a corrected term file, the next snapshot) holds mostly unchanged
 *   records; each is claimed by the new delivery (`delivery`, `last_seen_at`). Free space in each
 *   page lets that be a heap-only update, with no new index entries.
 */
export class Migration20261128000005IngestSpeed extends Migration {
  override async up(): Promise<void> {
    // fillfactor first: the type change rewrites the table, and the rewrite leaves the room
    this.addSql(`alter table source_record set (fillfactor = 70)`);
    this.addSql(`alter table source_record alter column payload type json using payload::json`);
    this.addSql(`alter table person_observation set (fillfactor = 80)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table person_observation reset (fillfactor)`);
    this.addSql(`alter table source_record reset (fillfactor)`);
    this.addSql(`alter table source_record alter column payload type jsonb using payload::jsonb`);
  }
}
