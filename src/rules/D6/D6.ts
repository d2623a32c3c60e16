import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * D6 PAID_WITHOUT_EVALUATION 未经评估拨付 (office.md "D6") — a programme and year are screened for a
 * region R once a screening of them, not withdrawn, whose region contains R, has at least one
 * evaluated row. As of d, a benefit of that programme whose period starts in that year on or
 * before d (an LS grant: its payment date), whose region (the benefit record's region code, else
 * the person's region) is screened, is a finding unless a row of such a screening for the person
 * — for a household benefit, for any member of the household on the benefit's start — has APPROVE
 * as its newest decision. Decisions count whenever recorded: an approval after the payment clears
 * the finding at the next run. Subject: the person (a household benefit's head); item: programme
 * and year.
 */
/** A household benefit (office.md): its subject is the head, an approval of any member on its start covers it. */
const HOUSEHOLD_BENEFITS = `('DB', 'DSR', 'ZF_FLAT', 'ZF_RENT', 'WF')`;

export const D6: RuleDefinition = {
  code: 'D6',
  version: '1',
  title: 'Paid without the office’s evaluation',
  titleZh: '拟救助对象未经评估拨付资金',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 二(四)2 拟救助对象未经领导小组研究通过或领导小组办公室评估的,财政不予拨付资金`,
  parameters: [],
  sql: `
    with screened as materialized (
      select s.id, s.programme_code, s.year, s.region_code
        from screening s
       where s.withdrawn_at is null
         and exists (select 1 from screening_row r join screening_evaluation e on e.row_id = r.id where r.screening_id = s.id)),
    paid as (
      select b.id, b.programme_code, b.person_id, b.household_id, b.amount, b.source_record_id, bp.period_start,
             extract(year from bp.period_start)::int as year,
             b.programme_code in ${HOUSEHOLD_BENEFITS} as for_household,
             case when b.programme_code in ${HOUSEHOLD_BENEFITS} then coalesce(h.head_person_id, b.person_id) else b.person_id end as subject_id,
             coalesce(b.region_code, hr.region_code) as record_region
        from benefit b
        cross join lateral weijiu_benefit_period(b.programme_code, b.valid_from, b.valid_to, b.paid_on, b.details, b.source_record_id) bp
        left join household h on h.id = b.household_id
        left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = b.household_id offset 0) hr on true
       where b.retired_at is null and b.programme_code in (select programme_code from screened)
         and bp.period_start <= $1::date),
    placed as (
      select pd.*, coalesce(pd.record_region, pr.region_code) as region
        from paid pd
        left join lateral (select x.region_code from weijiu_person_region($1::date) x where x.person_id = pd.subject_id offset 0) pr
          on pd.record_region is null
       where pd.subject_id is not null),
    due as (
      select pl.* from placed pl
       where pl.region is not null
         and exists (select 1 from screened s where s.programme_code = pl.programme_code and s.year = pl.year and pl.region like s.region_code || '%')),
    -- the people an approval may name: the recipient, or for a household benefit every member on its start
    covered as (
      select d.id, d.subject_id as person_id from due d
      union
      select d.id, m.person_id from due d
        join membership m on m.household_id = d.household_id and m.retired_at is null
                         and (m.valid_from is null or m.valid_from <= d.period_start) and (m.valid_to is null or m.valid_to >= d.period_start)
       where d.for_household),
    approved as (
      select distinct c.id
        from covered c
        join screening_row r on r.person_id = c.person_id
        join due d on d.id = c.id
        join screened s on s.id = r.screening_id and s.programme_code = d.programme_code and s.year = d.year and d.region like s.region_code || '%'
       where (select e.decision from screening_evaluation e where e.row_id = r.id order by e.id desc limit 1) = 'APPROVE')
    select d.subject_id::text as subject_id, d.programme_code || '|' || d.year as item, '{}'::text[] as clauses,
           min(d.period_start) as period_start, max(d.period_start) as period_end,
           jsonb_agg(jsonb_build_object('source_record_id', d.source_record_id, 'values', jsonb_build_object(
             'programme', d.programme_code, 'start', d.period_start, 'amount', d.amount::text, 'region', d.region)) order by d.period_start) as evidence,
           jsonb_build_object('programme', d.programme_code, 'year', d.year,
             'screenings', (select jsonb_agg(distinct s.id) from screened s where s.programme_code = d.programme_code and s.year = d.year)) as detail,
           '[]'::jsonb as parameters
      from due d
     where d.id not in (select id from approved)
     group by d.subject_id, d.programme_code, d.year`,
};
