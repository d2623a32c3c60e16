import { Migration } from '@mikro-orm/migrations';

/**
 * The rules at city scale (1.19 million households): the indexes their scans need, and what a
 * scoped re-evaluation after a sync needs — the source records of a sync run, and whether a
 * rule run was scoped (a scoped run is only as current as the last full one of its day).
 */
export class Migration20261128000004RulesSpeed extends Migration {
  override async up(): Promise<void> {
    const sql = [
      `alter table rule_run add column scoped boolean not null default false`,
      // what a sync touched (touchedScope). Runs write their records in order, so a block-range
      // index finds a run's records for next to nothing per inserted row (ingest pays every b-tree).
      `create index if not exists source_record_sync_run on source_record using brin (sync_run_id)`,
      // G4: the newest begun term, read from the top
      `create index if not exists schooling_term on schooling (term) where retired_at is null`,
      // added to 0002 after it had run on some databases: D4's newest check per person
      `create index if not exists economic_fact_newest on economic_fact (person_id, source, item, as_of desc) where retired_at is null`,
    ];
    for (const s of sql) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists source_record_sync_run`);
    this.addSql(`drop index if exists schooling_term`);
    this.addSql(`alter table rule_run drop column if exists scoped`);
  }
}
