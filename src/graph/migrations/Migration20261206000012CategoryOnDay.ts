import { Migration } from '@mikro-orm/migrations';

/**
 * The last word of rules.md spelled out in several statements: a household-level programme (DB,
 * DSR) covering the members of the household, hence "DIBAO on d" and "LOW_INCOME on d". Defined
 * once here, read by weijiu_categories (every category of rules.md), D2, D5, G9 and scopedFacts.
 *
 * Both functions take the people asked (null: everyone), as those of 0010 do. weijiu_categories is
 * a plain UNION ALL (no CTE): the planner then flattens it into one branch per category, drops the
 * branches whose category a caller's `where category in (…)` excludes, and can look a person up in
 * each branch by index — what G9 does one member at a time.
 */
export class Migration20261206000012CategoryOnDay extends Migration {
  override async up(): Promise<void> {
    const sql = [
      // rules.md "holds": a household-level benefit (DB, DSR) covers every member listed in the
      // newest version of the household's civil-affairs record; one row per member and benefit,
      // whatever its period (D2 and D5 compare periods; a category asks for active on d). The
      // caller names the programmes (DB, DSR or both) rather than filtering the rows after: two
      // conditions on programme_code would multiply their selectivities and misguide the planner.
      // The people asked are looked up one by one, membership then benefit, behind `offset 0`:
      // left to itself the planner reads every DB benefit of the city and probes its members.
      `create function weijiu_member_benefit(programmes text[], people bigint[] default null)
         returns table (person_id bigint, household_id bigint, hh_id text, membership_source_record_id bigint,
                        programme_code text, valid_from date, valid_to date, amount numeric, source_record_id bigint)
         language sql stable
         as $$
           select m.person_id, m.household_id, m.record_key, m.source_record_id,
                  b.programme_code, b.valid_from, b.valid_to, b.amount, b.source_record_id
             from membership m
             join benefit b on b.feed = m.feed and b.record_key = m.record_key
            where people is null and m.feed = 'civil-affairs' and m.retired_at is null and m.valid_to is null
              and b.retired_at is null and b.programme_code = any(programmes)
           union all
           select m.person_id, m.household_id, m.record_key, m.source_record_id,
                  b.programme_code, b.valid_from, b.valid_to, b.amount, b.source_record_id
             from unnest(people) as asked(id)
            cross join lateral (
              select m.* from membership m
               where m.person_id = asked.id and m.feed = 'civil-affairs' and m.retired_at is null and m.valid_to is null offset 0) m
            cross join lateral (
              select b.* from benefit b
               where b.feed = m.feed and b.record_key = m.record_key and b.retired_at is null
                 and b.programme_code = any(programmes) offset 0) b
            where people is not null
         $$`,

      // The nine recipient categories (9类救助对象) as of d, one row per person, category and the
      // source record that makes it hold, for the people asked (null: everyone). The same
      // definitions as 0002's, DIBAO and LOW_INCOME now through weijiu_member_benefit.
      `drop function weijiu_categories(date, text)`,
      `create function weijiu_categories(d date, city text, people bigint[] default null)
         returns table (person_id bigint, category text, source_record_id bigint)
         language sql stable
         as $$
           select mb.person_id, 'DIBAO'::text, mb.source_record_id from weijiu_member_benefit('{DB}', people) mb
            where weijiu_active(mb.valid_from, mb.valid_to, d)
           union all
           select b.person_id, 'TEKUN', b.source_record_id from benefit b
            where b.programme_code = 'TK' and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, d)
              and (people is null or b.person_id = any(people))
           union all
           select b.person_id, 'TEMPORARY', b.source_record_id from benefit b
            where b.programme_code = 'LS' and b.retired_at is null and (people is null or b.person_id = any(people))
              and b.paid_on between d - (coalesce((select value::int from weijiu_param('recent_window_days', city, d)), 365) - 1) and d
           union all
           select c.person_id, 'DISABLED', c.source_record_id from disability_certificate c
            where c.retired_at is null and c.status = 'VALID' and c.valid_from <= d and (c.valid_to is null or c.valid_to >= d)
              and (people is null or c.person_id = any(people))
           union all
           select p.id, 'CHILD_IN_DIFFICULTY', x.source_record_id
             from person p
             join (select b.person_id, b.source_record_id from benefit b
                    where b.programme_code in ('GE','SW') and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, d)
                   union all
                   select r.person_id, r.source_record_id from registration r
                    where r.category = 'KJET' and r.retired_at is null and weijiu_active(r.valid_from, r.valid_to, d)) x on x.person_id = p.id
            where (p.birth_date + interval '18 years')::date > d and (people is null or p.id = any(people))
           union all
           select r.person_id, 'LEFT_BEHIND', r.source_record_id from registration r
            where r.category in ('LSLR','LSFN','LSET') and r.retired_at is null and weijiu_active(r.valid_from, r.valid_to, d)
              and (people is null or r.person_id = any(people))
           union all
           select pr.person_id, 'REGISTERED_POOR', pr.source_record_id from poverty_record pr
            where pr.retired_at is null and pr.valid_to is null and (people is null or pr.person_id = any(people))
           union all
           select mb.person_id, 'LOW_INCOME', mb.source_record_id from weijiu_member_benefit('{DSR}', people) mb
            where weijiu_active(mb.valid_from, mb.valid_to, d)
           union all
           select r.person_id, 'VAGRANT', r.source_record_id from registration r
            where r.category = 'LLQT' and r.retired_at is null and (people is null or r.person_id = any(people))
              and r.valid_from between d - (coalesce((select value::int from weijiu_param('recent_window_days', city, d)), 365) - 1) and d
         $$`,
    ];
    for (const s of sql) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists weijiu_categories(date, text, bigint[])`);
    this.addSql(`drop function if exists weijiu_member_benefit(text[], bigint[])`);
    // not back to 0002's two-argument weijiu_categories: going below this migration means rebuilding from 0002
  }
}
