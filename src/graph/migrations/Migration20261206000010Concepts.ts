import { Migration } from '@mikro-orm/migrations';

/**
 * The words of rules.md, each defined once, here, for every reader: the rules, coverage, the
 * API's household and region, the economic check's population. Which feed speaks first is data
 * (feed_precedence), not a CASE spelled out in every statement.
 *
 * Every function that a scoped run (scopedFacts) or the API looks up for a few subjects takes an
 * optional array of them: null means everyone (a full run, set-based); an array is looked up by
 * index. A plain SQL function is inlined into the statement that calls it and a bound array is a
 * constant to the planner, so the `is null` test folds away. One subject per row (a lateral) is
 * looked up as `fn() x where x.key = outer.key offset 0` instead: the planner pushes that key down
 * to the index, while an array built from a row is no constant and would scan the table.
 */
export class Migration20261206000010Concepts extends Migration {
  override async up(): Promise<void> {
    const sql = [
      // Which feed speaks first about a household or a person: the registries that verify
      // identity documents, then those copying an application form (src/ingest/personPrecedence.ts
      // shows names in this order; a test keeps the two equal).
      `create table feed_precedence (feed text primary key, rank int not null unique)`,
      `insert into feed_precedence (feed, rank) values
         ('civil-affairs', 1), ('poverty-relief', 2), ('disability', 3), ('health', 4),
         ('housing', 5), ('education', 6), ('economic-check', 7)`,
      // a feed nobody ranked comes last
      `create function weijiu_feed_rank(p_feed text) returns int
         language sql stable parallel safe
         return coalesce((select fp.rank from feed_precedence fp where fp.feed = p_feed), 2147483647)`,

      // member (rules.md): listed in the newest version of the household's record
      `create function weijiu_household_member(households bigint[] default null) returns setof membership
         language sql stable
         as $$
           select m.* from membership m
            where m.retired_at is null and m.valid_to is null and (households is null or m.household_id = any(households))
         $$`,

      // A person's household as of d (rules.md): the civil-affairs household that lists them (if two
      // do, the one with DB or DSR active on d, then the lowest hh_id), else the poverty-relief one,
      // else, for a housing applicant, the household of the applicant alone that the application names.
      `drop function weijiu_person_region(date)`,
      `drop function weijiu_person_household(date)`,
      `create function weijiu_person_household(d date, people bigint[] default null)
         returns table (person_id bigint, household_id bigint, feed text, record_key text, source_record_id bigint)
         language sql stable
         as $$
           select distinct on (c.person_id) c.person_id, c.household_id, c.feed, c.record_key, c.source_record_id
             from (select m.person_id, m.household_id, m.feed, m.record_key, m.source_record_id, 0 as applicant_only,
                          coalesce(fp.rank, 2147483647) as feed_rank,
                          exists (select 1 from benefit b
                                   where b.feed = m.feed and b.record_key = m.record_key and b.retired_at is null
                                     and b.programme_code in ('DB', 'DSR') and weijiu_active(b.valid_from, b.valid_to, d)) as assisted
                     from membership m
                     left join feed_precedence fp on fp.feed = m.feed
                    where m.retired_at is null and m.valid_to is null and (people is null or m.person_id = any(people))
                   union all
                   select b.person_id, b.household_id, b.feed, b.record_key, b.source_record_id, 1, 0, false
                     from benefit b
                    where b.retired_at is null and b.programme_code in ('ZF_FLAT', 'ZF_RENT')
                      and b.person_id is not null and b.household_id is not null
                      and (people is null or b.person_id = any(people))) c
            order by c.person_id, c.applicant_only, c.feed_rank, c.assisted desc, c.record_key
         $$`,

      // A household's region and registration type: of its newest records, the first feed's.
      `drop function weijiu_household_region()`,
      `create function weijiu_household_region(households bigint[] default null)
         returns table (household_id bigint, region_code varchar, registration_type text, record_key text, feed text, source_record_id bigint)
         language sql stable
         as $$
           select distinct on (hr.household_id) hr.household_id, hr.region_code, hr.registration_type, hr.record_key, hr.feed,
                  hr.source_record_id
             from household_record hr
             left join feed_precedence fp on fp.feed = hr.feed
            where hr.retired_at is null and hr.valid_to is null and (households is null or hr.household_id = any(households))
            order by hr.household_id, coalesce(fp.rank, 2147483647), hr.record_key
         $$`,

      // A person's region as of d: their household's, else that of their newest record carrying one.
      // The households' regions set-based for everyone, or looked up one by one for the people asked.
      `create function weijiu_person_region(d date, people bigint[] default null)
         returns table (person_id bigint, region_code varchar, household_id bigint)
         language sql stable
         as $$
           with ph as (select * from weijiu_person_household(d, people)),
           hr as (select * from weijiu_household_region() where people is null
                  union all
                  select x.* from ph cross join lateral (
                    select * from weijiu_household_region() r where r.household_id = ph.household_id offset 0) x
                   where people is not null)
           select p.id, coalesce(hr.region_code, p.region_code), ph.household_id
             from person p
             left join ph on ph.person_id = p.id
             left join hr on hr.household_id = ph.household_id
            where people is null or p.id = any(people)
         $$`,
    ];
    for (const s of sql) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists weijiu_person_region(date, bigint[])`);
    this.addSql(`drop function if exists weijiu_household_region(bigint[])`);
    this.addSql(`drop function if exists weijiu_person_household(date, bigint[])`);
    this.addSql(`drop function if exists weijiu_household_member(bigint[])`);
    this.addSql(`drop function if exists weijiu_feed_rank(text)`);
    this.addSql(`drop table if exists feed_precedence`);
    // not back to 0002's one-argument functions: going below this migration means rebuilding from 0002
  }
}
