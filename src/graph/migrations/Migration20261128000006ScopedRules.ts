import { Migration } from '@mikro-orm/migrations';

/**
 * A scoped rule run (the re-evaluation after a sync) starts from the households and people a sync
 * touched and reaches their facts by index: what the person_id / household_id indexes of 0001
 * did not cover yet. None on source_record: ingest pays for every index there.
 */
export class Migration20261128000006ScopedRules extends Migration {
  override async up(): Promise<void> {
    const sql = [
      // G6: a household's rows of the poverty-relief snapshot
      `create index if not exists poverty_record_household on poverty_record (household_id) where retired_at is null`,
      // G4: whether a person's poverty-relief household (户编号) is 未脱贫 or monitored, from any of its rows
      `create index if not exists poverty_record_household_no on poverty_record (household_no) where retired_at is null and valid_to is null`,
    ];
    for (const s of sql) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists poverty_record_household_no`);
    this.addSql(`drop index if exists poverty_record_household`);
  }
}
