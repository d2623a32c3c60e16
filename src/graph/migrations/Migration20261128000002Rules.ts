import { Migration } from '@mikro-orm/migrations';

/**
 * Rules as code: the dated parameter table (parameters.md), rule runs, findings with their
 * review decisions, and the SQL building blocks every rule shares ("as of d" words of rules.md).
 */
export class Migration20261128000002Rules extends Migration {
  override async up(): Promise<void> {
    const sql = [
      `create table parameter (
        id bigserial primary key,
        name text not null,
        region_code varchar(12) not null,
        valid_from date not null,
        value text not null,
        unit text,
        note text,
        created_at timestamptz not null default now(),
        unique (name, region_code, valid_from))`,

      `create table rule_run (
        id bigserial primary key,
        as_of date not null,
        status text not null check (status in ('RUNNING','SUCCEEDED','FAILED')),
        started_at timestamptz not null default now(),
        finished_at timestamptz,
        summary jsonb,
        error text)`,

      `create table finding (
        id bigserial primary key,
        identity text not null unique,
        rule text not null,
        rule_version text not null,
        kind text not null check (kind in ('DUAL_BENEFIT','GAP','COMPLIANCE')),
        subject_type text not null check (subject_type in ('person','household','region')),
        subject_key text not null,
        person_id bigint references person(id),
        household_id bigint references household(id),
        region_code varchar(12),
        item text,
        clauses text[] not null default '{}',
        period_start date,
        period_end date,
        status text not null check (status in ('OPEN','CONFIRMED','DISMISSED','EXCEPTION','CLEARED')),
        -- a decided finding whose condition stopped holding: resolved beside the decision
        resolved boolean not null default false,
        evidence jsonb not null default '[]',
        detail jsonb not null default '{}',
        parameters jsonb not null default '[]',
        as_of date not null,
        first_run_id bigint references rule_run(id),
        last_run_id bigint references rule_run(id),
        held_in_run_id bigint references rule_run(id),
        opened_at timestamptz not null default now(),
        cleared_at timestamptz,
        updated_at timestamptz not null default now())`,
      `create index finding_rule on finding (rule, status)`,
      `create index finding_person on finding (person_id)`,
      `create index finding_household on finding (household_id)`,
      `create index finding_region on finding (region_code text_pattern_ops)`,

      `create table finding_decision (
        id bigserial primary key,
        finding_id bigint not null references finding(id),
        decision text not null check (decision in ('CONFIRM','DISMISS','EXCEPTION')),
        reason text,
        approval_ref text,
        decided_by text not null,
        decided_at timestamptz not null default now())`,
      `create index finding_decision_finding on finding_decision (finding_id, decided_at)`,

      // D4 reads each person's newest check per source and item
      `create index economic_fact_newest on economic_fact (person_id, source, item, as_of desc) where retired_at is null`,

      // "active on d": start ≤ d and (no end or end ≥ d); both ends inclusive.
      `create function weijiu_active(vf date, vt date, d date) returns boolean
         language sql immutable parallel safe
         return (vf is null or vf <= d) and (vt is null or vt >= d)`,

      // A parameter as of d for a region: the most specific region prefix that has a row valid on
      // d, then that region's latest valid_from (parameters.md).
      `create function weijiu_param(p_name text, p_region text, d date) returns table (id bigint, value text)
         language sql stable
         as $$ select id, value from parameter
                where name = p_name and starts_with(p_region, region_code) and valid_from <= d
                order by length(region_code) desc, valid_from desc limit 1 $$`,

      // A person's household as of d (rules.md): the civil-affairs household listing them (DB or DSR
      // active on d first, then the lowest hh_id), else the poverty-relief one. The third case — a
      // housing applicant no record lists, alone in the household they head — is not here yet: G9
      // adds it itself; folding it in here changes coverage and other rules, so it needs their tests.
      `create function weijiu_person_household(d date) returns table (person_id bigint, household_id bigint, feed text, record_key text)
         language sql stable
         as $$
           select distinct on (m.person_id) m.person_id, m.household_id, m.feed, m.record_key
             from membership m
            where m.retired_at is null and m.valid_to is null
            order by m.person_id, case m.feed when 'civil-affairs' then 0 when 'poverty-relief' then 1 else 2 end,
                     exists (select 1 from benefit b
                              where b.feed = m.feed and b.record_key = m.record_key and b.retired_at is null
                                and b.programme_code in ('DB','DSR') and weijiu_active(b.valid_from, b.valid_to, d)) desc,
                     m.record_key
         $$`,

      // A household's region and registration type: its civil-affairs record first, then the
      // poverty-relief one (their newest current versions).
      `create function weijiu_household_region() returns table (household_id bigint, region_code varchar, registration_type text, record_key text, feed text)
         language sql stable
         as $$
           select distinct on (hr.household_id) hr.household_id, hr.region_code, hr.registration_type, hr.record_key, hr.feed
             from household_record hr
            where hr.retired_at is null and hr.valid_to is null
            order by hr.household_id, case hr.feed when 'civil-affairs' then 0 else 1 end, hr.record_key
         $$`,

      // A person's region as of d: their household's, else that of their newest record carrying one.
      `create function weijiu_person_region(d date) returns table (person_id bigint, region_code varchar, household_id bigint)
         language sql stable
         as $$
           select p.id, coalesce(r.region_code, p.region_code), ph.household_id
             from person p
             left join weijiu_person_household(d) ph on ph.person_id = p.id
             left join weijiu_household_region() r on r.household_id = ph.household_id
         $$`,

      // The nine recipient categories (9类救助对象) as of d, one row per person, category and the
      // source record that makes it hold (a person may hold a category through several records).
      `create function weijiu_categories(d date, city text) returns table (person_id bigint, category text, source_record_id bigint)
         language sql stable
         as $$
           with w as (select coalesce((select value::int from weijiu_param('recent_window_days', city, d)), 365) as days)
           select m.person_id, 'DIBAO', b.source_record_id
             from membership m join benefit b on b.feed = m.feed and b.record_key = m.record_key
            where m.feed = 'civil-affairs' and m.retired_at is null and m.valid_to is null
              and b.programme_code = 'DB' and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, d)
           union all
           select b.person_id, 'TEKUN', b.source_record_id from benefit b
            where b.programme_code = 'TK' and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, d)
           union all
           select b.person_id, 'TEMPORARY', b.source_record_id from benefit b, w
            where b.programme_code = 'LS' and b.retired_at is null and b.paid_on between d - (w.days - 1) and d
           union all
           select c.person_id, 'DISABLED', c.source_record_id from disability_certificate c
            where c.retired_at is null and c.status = 'VALID' and c.valid_from <= d and (c.valid_to is null or c.valid_to >= d)
           union all
           select p.id, 'CHILD_IN_DIFFICULTY', x.source_record_id
             from person p
             join (select b.person_id, b.source_record_id from benefit b
                    where b.programme_code in ('GE','SW') and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, d)
                   union all
                   select r.person_id, r.source_record_id from registration r
                    where r.category = 'KJET' and r.retired_at is null and weijiu_active(r.valid_from, r.valid_to, d)) x on x.person_id = p.id
            where (p.birth_date + interval '18 years')::date > d
           union all
           select r.person_id, 'LEFT_BEHIND', r.source_record_id from registration r
            where r.category in ('LSLR','LSFN','LSET') and r.retired_at is null and weijiu_active(r.valid_from, r.valid_to, d)
           union all
           select pr.person_id, 'REGISTERED_POOR', pr.source_record_id from poverty_record pr
            where pr.retired_at is null and pr.valid_to is null
           union all
           select m.person_id, 'LOW_INCOME', b.source_record_id
             from membership m join benefit b on b.feed = m.feed and b.record_key = m.record_key
            where m.feed = 'civil-affairs' and m.retired_at is null and m.valid_to is null
              and b.programme_code = 'DSR' and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, d)
           union all
           select r.person_id, 'VAGRANT', r.source_record_id from registration r, w
            where r.category = 'LLQT' and r.retired_at is null and r.valid_from between d - (w.days - 1) and d
         $$`,

      // deceased on d: a valid death record with a date of death on or before d
      `create function weijiu_deceased(d date) returns table (person_id bigint, died_on date, source_record_id bigint)
         language sql stable
         as $$
           select distinct on (person_id) person_id, died_on, source_record_id from death_record
            where retired_at is null and died_on <= d order by person_id, died_on
         $$`,
    ];
    for (const s of sql) this.addSql(s);
    this.addSql(parameterSeed);
  }

  override async down(): Promise<void> {
    for (const f of ['weijiu_deceased(date)', 'weijiu_categories(date, text)', 'weijiu_person_region(date)', 'weijiu_household_region()', 'weijiu_person_household(date)', 'weijiu_param(text, text, date)', 'weijiu_active(date, date, date)']) {
      this.addSql(`drop function if exists ${f}`);
    }
    for (const t of ['finding_decision', 'finding', 'rule_run', 'parameter']) this.addSql(`drop table if exists ${t} cascade`);
  }
}

/** parameters.md, as the illustrative seed; the office loads and edits the official values. */
const parameterSeed = `insert into parameter (name, region_code, valid_from, value, unit, note) values
  ('db_standard_urban', '3710', '2024-01-01', '1080', 'yuan/person/month', 'D4'),
  ('db_standard_rural', '3710', '2024-01-01', '930', 'yuan/person/month', 'D4, G6'),
  ('db_standard_urban', '3710', '2025-01-01', '1120', 'yuan/person/month', null),
  ('db_standard_rural', '3710', '2025-01-01', '980', 'yuan/person/month', null),
  ('db_standard_urban', '371082', '2025-01-01', '1140', 'yuan/person/month', '荣成市'),
  ('db_standard_rural', '371082', '2025-01-01', '1000', 'yuan/person/month', '荣成市'),
  ('db_standard_urban', '3710', '2026-01-01', '1160', 'yuan/person/month', null),
  ('db_standard_rural', '3710', '2026-01-01', '1030', 'yuan/person/month', null),
  ('tk_multiplier', '3710', '2024-01-01', '1.3', 'x urban DB standard', 'the TK support standard (informational)'),
  ('recent_window_days', '3710', '2020-09-22', '365', 'days', 'TEMPORARY, VAGRANT, G9: d-364 … d'),
  ('after_death_grace_days', '3710', '2020-09-22', '60', 'days', 'D3 (ii)'),
  ('deposit_months', '3710', '2024-01-01', '24', 'months of the DB standard per member', 'D4'),
  ('real_estate_max', '3710', '2024-01-01', '1', 'properties', 'D4 (more fires)'),
  ('exempt_vehicle_kinds', '3710', '2024-01-01', '残疾人机动轮椅车', 'list (comma-separated)', 'D4'),
  ('medical_oop_threshold', '3710', '2024-01-01', '10000', 'yuan/calendar year', 'G5 (more than)'),
  ('dibao_floor_months', '3710', '2024-01-01', '12', 'months of the rural DB standard', 'G6'),
  ('dangerous_house_days', '3710', '2024-01-01', '180', 'days', 'G8 (more than)'),
  ('sudden_oop_threshold', '3710', '2024-01-01', '30000', 'yuan/recent window', 'G9 (at least)'),
  ('town_staff_split_residents', '3710', '2020-09-22', '50000', 'residents', 'R1'),
  ('town_staff_small', '3710', '2020-09-22', '3', 'people', 'R1: towns at or under the split'),
  ('town_staff_large', '3710', '2020-09-22', '5', 'people', 'R1: towns over the split'),
  ('village_coordinators_split_households', '3710', '2020-09-22', '800', 'households', 'R2'),
  ('village_coordinators_small', '3710', '2020-09-22', '1', 'people', 'R2: villages at or under the split'),
  ('village_coordinators_large', '3710', '2020-09-22', '2', 'people', 'R2: villages over the split'),
  ('county_reserve_per_resident', '3710', '2020-09-22', '5', 'yuan', 'R3'),
  ('town_backup_fund', '3710', '2020-09-22', '50000', 'yuan', 'R3'),
  ('centralised_care_rate', '3710', '2020-09-22', '0.85', 'share', 'R4 (below fires)')`;
