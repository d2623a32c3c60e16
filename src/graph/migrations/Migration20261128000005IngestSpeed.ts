import { Migration } from '@mikro-orm/migrations';

/**
 * Source records as delivered, and room for the daily "seen again" stamp.
 * - `payload` becomes `json`: the record's text exactly as received (jsonb would reorder keys and
 *   drop duplicates), and storing it costs no conversion — nothing queries inside it.
 * - A file delivered again (a corrected term file, the next snapshot) holds mostly unchanged
 *   records; each is claimed by the new delivery (`delivery`, `last_seen_at`). Free space in each
 *   page lets that be a heap-only update, with no new index entries.
 */
export class Migration20261128000005IngestSpeed extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table source_record alter column payload type json using payload::json`);
    this.addSql(`alter table source_record set (fillfactor = 70)`);
    this.addSql(`alter table person_observation set (fillfactor = 80)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table person_observation reset (fillfactor)`);
    this.addSql(`alter table source_record reset (fillfactor)`);
    this.addSql(`alter table source_record alter column payload type jsonb using payload::jsonb`);
  }
}
