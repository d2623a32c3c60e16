import { Migration } from '@mikro-orm/migrations';

/**
 * 逐一筛选比对 and 评估 (office.md "Screening", "Evaluation", issue 14): the proposed lists, their rows,
 * each judgement of them with its reasons and evidence, and the office's decisions. Written by
 * `weijiu migration create` from the entities; below them, by hand, the two words the screening
 * and D6 share with the rest of rules.md: a benefit's *period*, and the benefits covering a person.
 */
export class Migration20261206000013Screening extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"screening\" (\"id\" bigserial primary key, \"programme_code\" text not null, \"year\" integer not null, \"region_code\" varchar(12) not null, \"title\" text not null, \"as_of\" date not null, \"submitted_by\" text not null, \"submitted_token\" text null, \"submitted_role\" text not null, \"submitted_department\" text null, \"row_count\" integer not null default 0, \"withdrawn_at\" timestamptz null, \"withdrawn_by\" text null, \"created_at\" timestamptz not null default now())");
    this.addSql("create index \"screening_kind_year\" on \"screening\" (\"year\", \"programme_code\")");
    this.addSql("create table \"screening_judgement\" (\"id\" bigserial primary key, \"screening_id\" bigint not null, \"as_of\" date not null, \"judged_at\" timestamptz not null default now())");
    this.addSql("create index \"screening_judgement_screening\" on \"screening_judgement\" (\"screening_id\")");
    this.addSql("create table \"screening_row\" (\"id\" bigserial primary key, \"screening_id\" bigint not null, \"row_number\" integer not null, \"raw_id_number\" text null, \"id_number\" varchar(18) null, \"person_id\" bigint null, \"name\" text null, \"amount\" numeric(14,2) null, \"start_date\" date null, \"note\" text null, \"verdict\" text check (\"verdict\" in ('PASS', 'REVIEW', 'LEADING_GROUP', 'REJECT')) not null default 'PASS', \"reason_codes\" text[] not null default '{}')");
    this.addSql("create index \"screening_row_person\" on \"screening_row\" (\"person_id\")");
    this.addSql("create index \"screening_row_id_number\" on \"screening_row\" (\"id_number\")");
    this.addSql("alter table \"screening_row\" add constraint \"screening_row_number\" unique (\"screening_id\", \"row_number\")");
    this.addSql("create table \"screening_reason\" (\"id\" bigserial primary key, \"judgement_id\" bigint not null, \"row_id\" bigint not null, \"code\" text not null, \"clauses\" text[] not null default '{}', \"evidence\" jsonb not null default '[]', \"regions\" text[] not null default '{}')");
    this.addSql("create index \"screening_reason_judgement\" on \"screening_reason\" (\"judgement_id\", \"code\")");
    this.addSql("create index \"screening_reason_row\" on \"screening_reason\" (\"row_id\", \"judgement_id\")");
    this.addSql("create table \"screening_evaluation\" (\"id\" bigserial primary key, \"row_id\" bigint not null, \"decision\" text check (\"decision\" in ('APPROVE', 'REJECT', 'REFER')) not null, \"note\" text null, \"approval_ref\" text null, \"decided_by\" text not null, \"decided_token\" text null, \"decided_at\" timestamptz not null default now())");
    this.addSql("create index \"screening_evaluation_row\" on \"screening_evaluation\" (\"row_id\", \"id\")");
    this.addSql("alter table \"screening\" add constraint \"screening_programme_code_fkey\" foreign key (\"programme_code\") references \"programme\" (\"code\") on update no action on delete no action");
    this.addSql("alter table \"screening\" add constraint \"screening_region_code_fkey\" foreign key (\"region_code\") references \"region\" (\"code\") on update no action on delete no action");
    this.addSql("alter table \"screening_judgement\" add constraint \"screening_judgement_screening_id_fkey\" foreign key (\"screening_id\") references \"screening\" (\"id\") on update no action on delete no action");
    this.addSql("alter table \"screening_row\" add constraint \"screening_row_screening_id_fkey\" foreign key (\"screening_id\") references \"screening\" (\"id\") on update no action on delete no action");
    this.addSql("alter table \"screening_row\" add constraint \"screening_row_person_id_fkey\" foreign key (\"person_id\") references \"person\" (\"id\") on update no action on delete no action");
    this.addSql("alter table \"screening_reason\" add constraint \"screening_reason_judgement_id_fkey\" foreign key (\"judgement_id\") references \"screening_judgement\" (\"id\") on update no action on delete no action");
    this.addSql("alter table \"screening_reason\" add constraint \"screening_reason_row_id_fkey\" foreign key (\"row_id\") references \"screening_row\" (\"id\") on update no action on delete no action");
    this.addSql("alter table \"screening_evaluation\" add constraint \"screening_evaluation_row_id_fkey\" foreign key (\"row_id\") references \"screening_row\" (\"id\") on update no action on delete no action");
    for (const s of functions) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists weijiu_person_benefit(bigint[])`);
    this.addSql(`drop function if exists weijiu_benefit_period(text, date, date, date, jsonb, bigint)`);
    this.addSql("alter table \"screening_judgement\" drop constraint \"screening_judgement_screening_id_fkey\"");
    this.addSql("alter table \"screening_row\" drop constraint \"screening_row_screening_id_fkey\"");
    this.addSql("alter table \"screening_reason\" drop constraint \"screening_reason_judgement_id_fkey\"");
    this.addSql("alter table \"screening_reason\" drop constraint \"screening_reason_row_id_fkey\"");
    this.addSql("alter table \"screening_evaluation\" drop constraint \"screening_evaluation_row_id_fkey\"");
    this.addSql("drop table if exists \"screening\" cascade");
    this.addSql("drop table if exists \"screening_judgement\" cascade");
    this.addSql("drop table if exists \"screening_row\" cascade");
    this.addSql("drop table if exists \"screening_reason\" cascade");
    this.addSql("drop table if exists \"screening_evaluation\" cascade");
  }
}

const functions = [
  // rules.md "a benefit's period": an LS grant's is the day of its payment, a WF subsidy's the
  // 鉴定日期 of its record (the dangerous-house row of the same record version), an education aid's
  // its term (学期 1 of 学年 Y-(Y+1): 1 September Y – 31 January Y+1; 学期 2: 1 February – 31 August
  // Y+1), any other its start and end.
  `create function weijiu_benefit_period(programme text, valid_from date, valid_to date, paid_on date, details jsonb, source_record_id bigint)
     returns table (period_start date, period_end date)
     language sql stable
     as $$
       select case when programme = 'LS' then coalesce(paid_on, valid_from)
                   when programme = 'WF' then coalesce(wf.assessed_on, valid_from)
                   when t.y1 is not null then case t.semester when '1' then make_date(t.y1, 9, 1) else make_date(t.y1 + 1, 2, 1) end
                   else valid_from end,
              case when programme = 'LS' then coalesce(paid_on, valid_to)
                   when programme = 'WF' then coalesce(wf.assessed_on, valid_to)
                   when t.y1 is not null then case t.semester when '1' then make_date(t.y1 + 1, 1, 31) else make_date(t.y1 + 1, 8, 31) end
                   else valid_to end
         from (select case when details->>'term' ~ '^\\d{4}-\\d{4}_[12]$' then left(details->>'term', 4)::int end as y1,
                      right(details->>'term', 1) as semester) t
         left join lateral (select dh.assessed_on from dangerous_house dh
                             where programme = 'WF' and dh.source_record_id = weijiu_benefit_period.source_record_id
                             order by dh.retired_at is null desc, dh.id desc limit 1) wf on true
     $$`,

  // rules.md "holds": the current benefits covering each person asked (null: everyone), with
  // their periods — a person-level benefit its recipient (ZF_FLAT, ZF_RENT: the applicant); DB
  // and DSR every member listed in the newest version of the household's civil-affairs record;
  // a household benefit naming nobody (WF) the household's head.
  `create function weijiu_person_benefit(people bigint[] default null)
     returns table (person_id bigint, benefit_id bigint, programme_code text, household_id bigint, period_start date, period_end date,
                    amount numeric, region_code varchar, source_record_id bigint)
     language sql stable
     as $$
       select c.person_id, b.id, b.programme_code, b.household_id, bp.period_start, bp.period_end, b.amount, b.region_code, b.source_record_id
         from (select b.person_id, b.id from benefit b
                where b.retired_at is null and b.person_id is not null and b.programme_code not in ('DB', 'DSR')
                  and (people is null or b.person_id = any(people))
               union all
               select m.person_id, b.id from membership m
                 join benefit b on b.feed = m.feed and b.record_key = m.record_key
                where m.feed = 'civil-affairs' and m.retired_at is null and m.valid_to is null
                  and b.retired_at is null and b.programme_code in ('DB', 'DSR') and (people is null or m.person_id = any(people))
               union all
               select h.head_person_id, b.id from benefit b
                 join household h on h.id = b.household_id
                where b.retired_at is null and b.person_id is null and b.programme_code not in ('DB', 'DSR')
                  and (people is null or h.head_person_id = any(people))) c
         join benefit b on b.id = c.id
        cross join lateral weijiu_benefit_period(b.programme_code, b.valid_from, b.valid_to, b.paid_on, b.details, b.source_record_id) bp
     $$`,
];
