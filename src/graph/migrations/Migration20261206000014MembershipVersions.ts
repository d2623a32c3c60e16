import { Migration } from '@mikro-orm/migrations';

/**
 * A member's "listed since" (Household.members { from }) is the first version of the record
 * that lists them: every version of a membership, by its key. The current-rows index
 * (membership_current) holds only the newest, so this read scanned the table once per member.
 */
export class Migration20261206000014MembershipVersions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index membership_versions on membership (feed, record_key, item_key)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists membership_versions`);
  }
}
