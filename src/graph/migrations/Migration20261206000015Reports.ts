import { Migration } from '@mikro-orm/migrations';

/**
 * Monthly reports (office.md "Monthly reports", issue 15): the frozen figures, written by
 * `weijiu migration create` from the entities; below them, by hand, what "open on a day" means for
 * a finding, and the coverage and residents of regions as of a day — one definition, used by
 * `coverage`, the reports and the XLSX exports alike.
 */
export class Migration20261206000015Reports extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"monthly_report\" (\"month\" char(7) not null, \"as_of\" date not null, \"made_at\" timestamptz not null default now(), \"made_by\" text not null, \"findings\" jsonb not null, \"screenings\" jsonb not null, \"sources\" jsonb not null, constraint \"monthly_report_pkey\" primary key (\"month\"))");
    this.addSql("create table \"monthly_report_region\" (\"month\" char(7) not null, \"region_code\" varchar(12) not null, \"parent_code\" varchar(12) null, \"name\" text not null, \"persons\" integer not null, \"by_category\" jsonb not null, \"open_findings\" jsonb not null, \"residents\" integer null, constraint \"monthly_report_region_pkey\" primary key (\"month\", \"region_code\"))");
    for (const s of functions) this.addSql(s);
  }

  override async down(): Promise<void> {
    for (const s of dropFunctions) this.addSql(s);
    this.addSql("drop table if exists \"monthly_report\" cascade");
    this.addSql("drop table if exists \"monthly_report_region\" cascade");
  }
}

/**
 * Days are Asia/Shanghai calendar days: the day an instant falls on there. Exported for
 * bench/exportCoverage.ts, which adds them inside a transaction it rolls back on a kept database.
 */
export const functions = [
  // A finding is open on d (as at the end of that day) when it had been opened by then (the day its
  // rule run was for, or the day it ran if earlier: a run as of a past day opens what held then), was not
  // cleared by then and no decision had been recorded by then. A finding cleared and opened again
  // keeps only its newest opening (runRules.ts resets opened_at), so it counts from that day.
  `create function weijiu_open_findings(d date) returns setof finding
     language sql stable
     as $$
       select f.* from finding f
        where least(f.as_of, (f.opened_at at time zone 'Asia/Shanghai')::date) <= d
          and (f.cleared_at is null or (f.cleared_at at time zone 'Asia/Shanghai')::date > d)
          and not exists (select 1 from finding_decision fd
                           where fd.finding_id = f.id and (fd.decided_at at time zone 'Asia/Shanghai')::date <= d)
     $$`,

  // The people in the nine categories on d, per region asked for and category (category null: the
  // distinct people in at least one). Counted once per person at their own region, then summed up
  // the region levels (4, 6, 9, 12 digits) — a person has one region on a day. `under`: a prefix
  // every code asked for starts with, so that a town's question reads the town's people only.
  `create function weijiu_coverage(d date, city text, codes text[], under text)
     returns table (region_code text, category text, persons int)
     language sql stable
     as $$
       with pr as (select p.person_id, p.region_code::text as region_code from weijiu_person_region(d) p
                    where p.region_code is not null and starts_with(p.region_code, under)),
            cats as (select distinct c.person_id, c.category from weijiu_categories(d, city) c),
            leaf as (select pr.region_code, c.category, count(distinct c.person_id)::int as persons
                       from pr join cats c on c.person_id = pr.person_id
                      group by grouping sets ((pr.region_code, c.category), (pr.region_code)))
       select w.code, leaf.category, sum(leaf.persons)::int
         from leaf cross join lateral (select distinct left(leaf.region_code, n) as code from unnest(array[4, 6, 9, 12]) n
                                        where n <= length(leaf.region_code)) x
         join unnest(codes) w(code) on w.code = x.code
        group by w.code, leaf.category
     $$`,

  // A file drop's data date, from the name of its newest delivery (feeds.md): a snapshot's day
  // (fpdx_20251031.csv), a school term's first day (xszz_2025-2026_1.csv), else a year's first day.
  `create function weijiu_delivery_date(delivery text) returns date
     language sql immutable parallel safe
     return case
       when delivery ~ '(20\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])'
         then to_date(substring(delivery from '(20\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01]))'), 'YYYYMMDD')
       when delivery ~ '\\d{4}-\\d{4}_1' then make_date(substring(delivery from '(\\d{4})-\\d{4}_1')::int, 9, 1)
       when delivery ~ '\\d{4}-\\d{4}_2' then make_date(substring(delivery from '\\d{4}-(\\d{4})_2')::int, 3, 1)
       when delivery ~ '20\\d{2}' then make_date(substring(delivery from '(20\\d{2})')::int, 1, 1)
     end`,

  // frozen: a report is made, or deleted and made again (--replace); never edited
  `create function weijiu_report_frozen() returns trigger language plpgsql as $$
     begin raise exception 'a monthly report never changes once made (make it again with --replace)'; end $$`,
  `create trigger monthly_report_frozen before update on monthly_report for each row execute function weijiu_report_frozen()`,
  `create trigger monthly_report_region_frozen before update on monthly_report_region for each row execute function weijiu_report_frozen()`,
];

const dropFunctions = [
  `drop trigger if exists monthly_report_frozen on monthly_report`,
  `drop trigger if exists monthly_report_region_frozen on monthly_report_region`,
  `drop function if exists weijiu_report_frozen()`,
  `drop function if exists weijiu_delivery_date(text)`,
  `drop function if exists weijiu_coverage(date, text, text[], text)`,
  `drop function if exists weijiu_open_findings(date)`,
];
