import { Migration } from '@mikro-orm/migrations';

/**
 * The office's reads of quarantined records are audited (api.md, *Who sees which field*): a
 * record refused for a wrong ID number often names nobody the graph knows, so the audit row names
 * the records read themselves, beside the people whose ID numbers they hold (person_ids).
 */
export class Migration20261206000009QuarantineAudit extends Migration {
  override async up(): Promise<void> {
    // A constant default adds the column without rewriting rows: the append-only trigger stays quiet.
    this.addSql(`alter table audit_event add column quarantined_record_ids bigint[] not null default '{}'`);
    this.addSql(`create index audit_event_quarantined_records on audit_event using gin (quarantined_record_ids)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists audit_event_quarantined_records`);
    this.addSql(`alter table audit_event drop column if exists quarantined_record_ids`);
  }
}
