import { Migration } from '@mikro-orm/migrations';

/**
 * Departments and towns in the loop (exchange.md, issue 16): findings assigned and reported on
 * (history kept, never written over), the append-only change log with each event's writing
 * transaction (readers page by it so a late commit is never skipped), the categories last
 * compared per person, and webhook subscriptions with their own lists of people.
 */
export class Migration20261206000016Exchange extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"change_event\" (\"id\" bigserial primary key, \"txid\" bigint not null, \"kind\" text check (\"kind\" in ('CATEGORY_ENTERED', 'CATEGORY_LEFT', 'BENEFIT_STARTED', 'BENEFIT_ENDED', 'DECEASED', 'FINDING_OPENED', 'FINDING_CLEARED', 'FINDING_DECIDED', 'SYNC_FAILED', 'SOURCE_STALE')) not null, \"at\" timestamptz not null default now(), \"effective_on\" date null, \"person_id\" bigint null, \"category\" text null, \"programme\" text null, \"finding_id\" bigint null, \"region_code\" varchar(12) null, \"connector\" text null)");
    this.addSql("create index \"change_event_person\" on \"change_event\" (\"person_id\")");
    this.addSql("create index \"change_event_cursor\" on \"change_event\" (\"txid\", \"id\")");
    this.addSql("create table \"person_category_state\" (\"person_id\" bigint not null, \"categories\" text[] not null, \"computed_on\" date not null, constraint \"person_category_state_pkey\" primary key (\"person_id\"))");
    this.addSql("create table \"finding_verification\" (\"id\" bigserial primary key, \"finding_id\" bigint not null, \"result\" text check (\"result\" in ('CONFIRMED_ON_SITE', 'NOT_AS_FLAGGED', 'FIXED')) not null, \"visited_on\" date not null, \"note\" text null, \"reported_by\" text not null, \"reported_at\" timestamptz not null default now())");
    this.addSql("create index \"finding_verification_finding\" on \"finding_verification\" (\"finding_id\", \"id\")");
    this.addSql("create table \"finding_assignment\" (\"id\" bigserial primary key, \"finding_id\" bigint not null, \"to_department\" text null, \"to_region_code\" varchar(12) null, \"due_on\" date not null, \"note\" text null, \"assigned_by\" text not null, \"assigned_at\" timestamptz not null default now(), constraint finding_assignment_check check (((to_department IS NULL) <> (to_region_code IS NULL))))");
    this.addSql("CREATE INDEX finding_assignment_region ON public.finding_assignment USING btree (to_region_code text_pattern_ops)");
    this.addSql("create index \"finding_assignment_department\" on \"finding_assignment\" (\"to_department\")");
    this.addSql("create index \"finding_assignment_finding\" on \"finding_assignment\" (\"finding_id\", \"id\")");
    this.addSql("create table \"webhook_subscription\" (\"id\" bigserial primary key, \"token_id\" bigint null, \"role\" text check (\"role\" in ('OFFICE', 'TOWN', 'DEPARTMENT', 'ANALYST', 'ADMIN')) not null, \"region_prefix\" varchar(12) not null, \"department\" text null, \"label\" text not null, \"url\" text not null, \"kinds\" text[] not null default '{}', \"secret\" text not null, \"delivered_txid\" bigint not null, \"delivered_id\" bigint not null, \"last_error\" text null, \"failures\" integer not null default 0, \"next_attempt_at\" timestamptz null, \"created_at\" timestamptz not null default now(), \"deleted_at\" timestamptz null)");
    this.addSql("create table \"webhook_subscription_person\" (\"subscription_id\" bigint not null, \"id_number\" varchar(18) not null, constraint \"webhook_subscription_person_pkey\" primary key (\"subscription_id\", \"id_number\"))");
    this.addSql("create index \"webhook_subscription_person_id_number\" on \"webhook_subscription_person\" (\"id_number\")");
    this.addSql("alter table \"finding_verification\" add constraint \"finding_verification_finding_id_fkey\" foreign key (\"finding_id\") references \"finding\" (\"id\") on update no action on delete no action");
    this.addSql("alter table \"finding_assignment\" add constraint \"finding_assignment_finding_id_fkey\" foreign key (\"finding_id\") references \"finding\" (\"id\") on update no action on delete no action");
    this.addSql("alter table \"webhook_subscription_person\" add constraint \"webhook_subscription_person_subscription_id_fkey\" foreign key (\"subscription_id\") references \"webhook_subscription\" (\"id\") on update no action on delete no action");
    // Append-only, as the audit trail: an event once written is what subscribers were or will be sent.
    this.addSql(`create function weijiu_change_event_append_only() returns trigger language plpgsql as $$
      begin raise exception 'change_event is append-only'; end $$`);
    this.addSql(`create trigger change_event_append_only before update or delete on change_event
      for each statement execute function weijiu_change_event_append_only()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists change_event_append_only on change_event');
    this.addSql('drop function if exists weijiu_change_event_append_only()');
    this.addSql("alter table \"webhook_subscription_person\" drop constraint \"webhook_subscription_person_subscription_id_fkey\"");
    this.addSql("drop table if exists \"change_event\" cascade");
    this.addSql("drop table if exists \"person_category_state\" cascade");
    this.addSql("drop table if exists \"finding_verification\" cascade");
    this.addSql("drop table if exists \"finding_assignment\" cascade");
    this.addSql("drop table if exists \"webhook_subscription\" cascade");
    this.addSql("drop table if exists \"webhook_subscription_person\" cascade");
  }
}
