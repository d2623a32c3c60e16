import { Migration } from '@mikro-orm/migrations';

/**
 * The person-and-household graph, its provenance and the ingest bookkeeping.
 *
 * Every fact table shares one shape: business period (`valid_from`, `valid_to`, inclusive),
 * the source record version that stated it (`source_record_id`, `feed`, `record_key`,
 * `item_key` = the fact's identity inside that record) and system time (`recorded_at`,
 * `retired_at`). A change retires the current row and inserts its successor; nothing is
 * updated in place or deleted, so every earlier state stays queryable as evidence.
 */
const factColumns = `
  feed text not null,
  record_key text not null,
  item_key text not null default '',
  valid_from date,
  valid_to date,
  source_record_id bigint not null references source_record(id),
  recorded_at timestamptz not null default now(),
  retired_at timestamptz`;

function factIndexes(table: string): string[] {
  return [
    `create unique index ${table}_current on ${table} (feed, record_key, item_key) where retired_at is null`,
    `create index ${table}_source on ${table} (source_record_id)`,
  ];
}

export class Migration20261128000001Graph extends Migration {
  override async up(): Promise<void> {
    const sql = [
      `create table region (
        code varchar(12) primary key,
        name text not null,
        level text not null check (level in ('CITY','COUNTY','TOWN','VILLAGE')),
        parent_code varchar(12) references region(code),
        county_code varchar(6))`,
      `create index region_parent on region (parent_code)`,

      `create table programme (
        code text primary key,
        name text not null,
        name_en text not null,
        source_feed text not null,
        level text not null,
        kind text not null,
        cash boolean not null default false)`,

      `create table sync_run (
        id bigserial primary key,
        connector text not null,
        status text not null check (status in ('RUNNING','SUCCEEDED','PARTIAL','FAILED')),
        started_at timestamptz not null default now(),
        finished_at timestamptz,
        read integer not null default 0,
        inserted integer not null default 0,
        updated integer not null default 0,
        unchanged integer not null default 0,
        ended integer not null default 0,
        quarantined integer not null default 0,
        batches integer not null default 0,
        error text)`,
      `create index sync_run_connector on sync_run (connector, started_at desc)`,

      `create table connector_bookmark (
        connector text not null,
        stream text not null,
        bookmark jsonb not null,
        sync_run_id bigint references sync_run(id),
        updated_at timestamptz not null default now(),
        primary key (connector, stream))`,

      `create table quarantined_record (
        id bigserial primary key,
        connector text not null,
        stream text not null,
        record_key text,
        reason text not null,
        field text,
        value text,
        location text,
        raw jsonb not null,
        payload_hash text not null,
        received_at timestamptz not null default now(),
        last_received_at timestamptz not null default now(),
        sync_run_id bigint references sync_run(id))`,
      `create unique index quarantined_record_once on quarantined_record (connector, stream, payload_hash)`,
      `create index quarantined_record_received on quarantined_record (received_at desc, id desc)`,

      `create table source_record (
        id bigserial primary key,
        feed text not null,
        stream text not null,
        record_key text not null,
        -- file drops: the term or year a delivery is the complete record of ('' = the whole feed)
        partition text not null default '',
        -- file drops: the delivery (file) that last contained this record
        delivery text,
        version_at timestamptz,
        deleted boolean not null default false,
        payload jsonb not null,
        payload_hash text not null,
        first_seen_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        sync_run_id bigint references sync_run(id),
        superseded_at timestamptz)`,
      `create unique index source_record_current on source_record (feed, stream, record_key) where superseded_at is null`,
      `create index source_record_history on source_record (feed, stream, record_key, version_at)`,
      `create index source_record_partition on source_record (feed, stream, partition) where superseded_at is null`,

      `create table person (
        id bigserial primary key,
        id_number varchar(18) not null unique check (length(id_number) = 18),
        name text not null,
        sex char(1) not null check (sex in ('M','F')),
        birth_date date not null,
        region_code varchar(12),
        observed_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now())`,
      `create index person_region on person (region_code text_pattern_ops)`,

      // What each feed says a person is called and where they live: kept per feed so that a
      // disagreement stays visible (a data-quality record), never resolved by merging two people.
      `create table person_observation (
        person_id bigint not null references person(id),
        feed text not null,
        name text not null,
        region_code varchar(12),
        observed_at timestamptz not null,
        source_record_id bigint references source_record(id),
        primary key (person_id, feed))`,

      `create table household (
        id bigserial primary key,
        head_person_id bigint not null unique references person(id),
        created_at timestamptz not null default now())`,

      `create table household_record (
        id bigserial primary key,
        household_id bigint not null references household(id),
        region_code varchar(12),
        registration_type text,
        address text,
        deleted boolean not null default false,
        ${factColumns})`,
      ...factIndexes('household_record'),
      `create index household_record_household on household_record (household_id) where retired_at is null`,
      `create index household_record_region on household_record (region_code text_pattern_ops) where retired_at is null`,

      `create table membership (
        id bigserial primary key,
        household_id bigint not null references household(id),
        person_id bigint not null references person(id),
        relation_code varchar(2) not null,
        self_care text,
        ${factColumns})`,
      ...factIndexes('membership'),
      `create index membership_household on membership (household_id) where retired_at is null`,
      `create index membership_person on membership (person_id) where retired_at is null`,

      `create table benefit (
        id bigserial primary key,
        programme_code text not null references programme(code),
        person_id bigint references person(id),
        household_id bigint references household(id),
        amount numeric(14,2),
        paid_on date,
        approval_level text,
        support_mode text,
        approval_ref text,
        region_code varchar(12),
        details jsonb,
        ${factColumns},
        check (person_id is not null or household_id is not null))`,
      ...factIndexes('benefit'),
      `create index benefit_person on benefit (person_id) where retired_at is null`,
      `create index benefit_household on benefit (household_id) where retired_at is null`,
      `create index benefit_programme on benefit (programme_code) where retired_at is null`,

      `create table registration (
        id bigserial primary key,
        person_id bigint not null references person(id),
        category text not null,
        region_code varchar(12),
        ${factColumns})`,
      ...factIndexes('registration'),
      `create index registration_person on registration (person_id) where retired_at is null`,

      // Department facts: tables for every feed of feeds.md, filled by their connectors.
      `create table disability_certificate (
        id bigserial primary key,
        person_id bigint not null references person(id),
        certificate_no text not null,
        category smallint not null,
        grade smallint not null,
        status text not null,
        region_code varchar(12),
        ${factColumns})`,
      ...factIndexes('disability_certificate'),
      `create index disability_certificate_person on disability_certificate (person_id) where retired_at is null`,

      `create table schooling (
        id bigserial primary key,
        person_id bigint not null references person(id),
        student_no text not null,
        school text,
        stage text,
        grade text,
        status text,
        term text not null,
        aid text,
        region_code varchar(12),
        ${factColumns})`,
      ...factIndexes('schooling'),
      `create index schooling_person on schooling (person_id) where retired_at is null`,

      `create table medical_settlement (
        id bigserial primary key,
        person_id bigint not null references person(id),
        settled_on date not null,
        total_cost numeric(14,2),
        insurance_paid numeric(14,2),
        assistance_paid numeric(14,2),
        out_of_pocket numeric(14,2),
        diagnosis text,
        catastrophic boolean not null default false,
        ${factColumns})`,
      ...factIndexes('medical_settlement'),
      `create index medical_settlement_person on medical_settlement (person_id) where retired_at is null`,

      `create table death_record (
        id bigserial primary key,
        person_id bigint not null references person(id),
        died_on date not null,
        region_code varchar(12),
        ${factColumns})`,
      ...factIndexes('death_record'),
      `create index death_record_person on death_record (person_id) where retired_at is null`,

      `create table dangerous_house (
        id bigserial primary key,
        person_id bigint not null references person(id),
        rating text not null,
        assessed_on date not null,
        renovation_status text,
        subsidy numeric(14,2),
        region_code varchar(12),
        ${factColumns})`,
      ...factIndexes('dangerous_house'),
      `create index dangerous_house_person on dangerous_house (person_id) where retired_at is null`,

      `create table poverty_record (
        id bigserial primary key,
        person_id bigint not null references person(id),
        household_id bigint references household(id),
        household_no text not null,
        relation_code varchar(2),
        identified_year integer,
        poverty_status text,
        monitoring_type text,
        main_risk text,
        income_per_capita numeric(14,2),
        region_code varchar(12),
        snapshot_date date,
        ${factColumns})`,
      ...factIndexes('poverty_record'),
      `create index poverty_record_person on poverty_record (person_id) where retired_at is null`,

      `create table economic_fact (
        id bigserial primary key,
        person_id bigint not null references person(id),
        source text not null,
        item text not null,
        value numeric(18,2),
        unit text,
        as_of date not null,
        ${factColumns})`,
      ...factIndexes('economic_fact'),
      `create index economic_fact_person on economic_fact (person_id) where retired_at is null`,

      `create table region_stat (
        id bigserial primary key,
        region_code varchar(12) not null,
        year integer not null,
        residents integer,
        households integer,
        staff integer,
        coordinators integer,
        reserve_fund numeric(16,2),
        backup_fund numeric(16,2),
        ${factColumns})`,
      ...factIndexes('region_stat'),
      `create index region_stat_region on region_stat (region_code, year) where retired_at is null`,
    ];
    for (const s of sql) this.addSql(s);
    this.addSql(programmeSeed);
  }

  override async down(): Promise<void> {
    for (const t of [
      'region_stat', 'economic_fact', 'poverty_record', 'dangerous_house', 'death_record', 'medical_settlement',
      'schooling', 'disability_certificate', 'registration', 'benefit', 'membership', 'household_record',
      'household', 'person_observation', 'person', 'source_record', 'quarantined_record', 'connector_bookmark', 'sync_run', 'programme', 'region',
    ]) this.addSql(`drop table if exists ${t} cascade`);
  }
}

/** The programme catalogue of rules.md, as data: the office can extend it with the other N policies. */
const programmeSeed = `insert into programme (code, name, name_en, source_feed, level, kind, cash) values
  ('DB', '最低生活保障', 'Minimum living allowance', 'civil-affairs', 'HOUSEHOLD', 'BASIC_LIVING', true),
  ('TK', '特困人员救助供养', 'Support for persons in extreme poverty', 'civil-affairs', 'PERSON', 'BASIC_LIVING', true),
  ('DSR', '低收入家庭认定', 'Low-income family recognition', 'civil-affairs', 'HOUSEHOLD', 'LOW_INCOME', false),
  ('LS', '临时救助', 'Temporary assistance', 'civil-affairs', 'PERSON', 'TEMPORARY', false),
  ('GE', '孤儿基本生活费', 'Orphan basic living allowance', 'civil-affairs', 'PERSON', 'CHILD_ALLOWANCE', true),
  ('SW', '事实无人抚养儿童基本生活补贴', 'Allowance for de facto unsupported children', 'civil-affairs', 'PERSON', 'CHILD_ALLOWANCE', true),
  ('CJ_LIVING', '困难残疾人生活补贴', 'Living subsidy for disabled people in difficulty', 'disability', 'PERSON', 'DISABILITY_LIVING', true),
  ('CJ_NURSING', '重度残疾人护理补贴', 'Nursing subsidy for severely disabled people', 'disability', 'PERSON', 'DISABILITY_NURSING', true),
  ('YLJZ', '医疗救助', 'Medical assistance', 'health', 'PERSON', 'MEDICAL', false),
  ('JY_PRESCHOOL', '学前资助', 'Preschool aid', 'education', 'PERSON', 'EDUCATION', false),
  ('JY_LIVING', '义务教育生活补助', 'Compulsory-education living subsidy', 'education', 'PERSON', 'EDUCATION', false),
  ('JY_GRANT', '国家助学金', 'National student grant', 'education', 'PERSON', 'EDUCATION', false),
  ('JY_FREE', '免学费', 'Tuition waiver', 'education', 'PERSON', 'EDUCATION', false),
  ('JY_LOAN', '生源地贷款', 'Student loan', 'education', 'PERSON', 'EDUCATION', false),
  ('ZF_FLAT', '公租房实物配租', 'Public rental flat', 'housing', 'HOUSEHOLD', 'HOUSING', false),
  ('ZF_RENT', '公租房租赁补贴', 'Rent subsidy', 'housing', 'HOUSEHOLD', 'HOUSING', true),
  ('WF', '农村危房改造补助', 'Rural dangerous-house renovation subsidy', 'housing', 'HOUSEHOLD', 'HOUSING_REPAIR', false)`;
