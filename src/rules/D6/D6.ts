import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { byRun, factsOfHouseholds, factsOfPeople } from '../engine/scopedFacts';

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

const yuan = (n: string) => `to_char(${n}, 'FM999,999,999,990.00')`;

/** The screenings that screen their programme and year: not withdrawn, with an evaluated row. */
const screened = `
  select s.id, s.programme_code, s.year, s.region_code
    from screening s
   where s.withdrawn_at is null
     and exists (select 1 from screening_row r join screening_evaluation e on e.row_id = r.id where r.screening_id = s.id)`;

/** The benefits `benefits` with their period's start and year, and their subject. */
const periodsOf = (benefits: string) => `
  select b.id, b.programme_code, b.person_id, b.household_id, b.amount, b.source_record_id, bp.period_start,
         extract(year from bp.period_start)::int as year,
         b.programme_code in ${HOUSEHOLD_BENEFITS} as for_household,
         case when b.programme_code in ${HOUSEHOLD_BENEFITS} then coalesce(h.head_person_id, b.person_id) else b.person_id end as subject_id,
         coalesce(b.region_code, hr.region_code) as record_region
    from ${benefits} b
    cross join lateral weijiu_benefit_period(b.programme_code, b.valid_from, b.valid_to, b.paid_on, b.details, b.source_record_id) bp
    left join household h on h.id = b.household_id
    left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = b.household_id offset 0) hr on true
   where bp.period_start is not null`;

/**
 * The benefits paid, with their subject and region (the record's, else the subject's as of d): in
 * a full run those of a screened programme and year only (the others cannot be findings); in a
 * scoped run or an explanation every benefit of the people and households in scope, by index, so
 * that a programme nobody screened is explained as paid but not screened.
 */
const paid = `
  with periods as materialized (${byRun(
    periodsOf(`(select f.* from benefit f
                 where f.id in (select x.id from ${factsOfPeople('benefit')} x union select x.id from ${factsOfHouseholds('benefit')} x))`),
    `select * from (${periodsOf(`(select f.* from benefit f where f.retired_at is null and f.programme_code in (select programme_code from screened))`)}) p
      where exists (select 1 from screened s where s.programme_code = p.programme_code and s.year = p.year)`,
  )})
  select p.*, p.programme_code || '|' || p.year as item, coalesce(p.record_region, pr.region_code) as region
    from periods p
    -- the subjects' regions where the record names none, in one lookup of just those people
    left join weijiu_person_region($1::date, (select coalesce(array_agg(distinct x.subject_id), '{}') from periods x where x.record_region is null)) pr
      on pr.person_id = p.subject_id and p.record_region is null
   where p.subject_id is not null`;

/** The payments on or before d whose region is screened for their programme and year. */
const due = `
  select p.* from paid p
   where p.period_start <= $1::date and p.region is not null
     and exists (select 1 from screened s where s.programme_code = p.programme_code and s.year = p.year and p.region like s.region_code || '%')`;

/** The payments of `due` that a newest APPROVE of the recipient — or a member of the household on its start — covers. */
const approved = `
  with covered as (
    select d.id, d.subject_id as person_id from due d
    union
    select d.id, m.person_id from due d
      join membership m on m.household_id = d.household_id and m.retired_at is null
                       and (m.valid_from is null or m.valid_from <= d.period_start) and (m.valid_to is null or m.valid_to >= d.period_start)
     where d.for_household)
  select distinct c.id
    from covered c
    join screening_row r on r.person_id = c.person_id
    join due d on d.id = c.id
    join screened s on s.id = r.screening_id and s.programme_code = d.programme_code and s.year = d.year and d.region like s.region_code || '%'
   where (select e.decision from screening_evaluation e where e.row_id = r.id order by e.id desc limit 1) = 'APPROVE'`;

const paymentEvidence = (p: string) =>
  evidenceOf(`${p}.source_record_id`, `jsonb_build_object('programme', ${p}.programme_code, 'start', ${p}.period_start, 'amount', ${p}.amount::text, 'region', ${p}.region)`);
const payments = (p: string) =>
  `string_agg(${p}.period_start || coalesce('（' || ${yuan(`${p}.amount`)} || ' 元）', ''), '、' order by ${p}.period_start, ${p}.id)`;

/*
 * Every condition is written over `paid` or `due` whole, by subject and item — the candidates
 * themselves in a full run — and the engine joins them by hash: a condition per candidate set
 * joins the candidates again to a relation the planner cannot estimate, which it may loop over.
 */

const conditions: Condition[] = [
  {
    name: 'PAID_IN_YEAR',
    text: '该项目在该年度向本人（家庭项目为户主）发放过资金，期间始于该年、d 日或之前（临时救助以发放日计）',
    facts: ['benefit', 'household'],
    sql: `select ${conditionColumns({
      subject: 'p.subject_id',
      item: 'p.item',
      holds: 'bool_or(p.period_start <= $1::date)',
      values: `jsonb_build_object('programme', min(p.programme_code), 'year', min(p.year))`,
      evidence: `coalesce(jsonb_agg(${paymentEvidence('p')}) filter (where p.period_start <= $1::date), '[]'::jsonb)`,
      said: `case when bool_or(p.period_start <= $1::date)
                  then min(p.year) || ' 年 ' || min(p.programme_code) || ' 已发放 ' || count(*) filter (where p.period_start <= $1::date) || ' 笔：'
                       || ${payments('p')} filter (where p.period_start <= $1::date)
                  else min(p.year) || ' 年 ' || min(p.programme_code) || ' 于 ' || min(p.period_start) || ' 起发放，晚于 ' || $1::date end`,
    })} from paid p group by p.subject_id, p.item`,
  },
  {
    name: 'SCREENED',
    text: '该项目该年度的名单已由领导小组办公室评估（未撤回、至少有一行已评估），且名单所属区域包含发放地',
    facts: ['screening', 'screening_evaluation', 'benefit', 'household'],
    sql: `select ${conditionColumns({
      subject: 'p.subject_id',
      item: 'p.item',
      holds: 'count(d.id) > 0',
      values: `jsonb_build_object('regions', jsonb_agg(distinct p.region) filter (where p.region is not null),
                 'screenings', (select jsonb_agg(distinct x.id) from screened x where x.programme_code = min(p.programme_code) and x.year = min(p.year)))`,
      said: `case when count(d.id) > 0 then min(p.year) || ' 年 ' || min(p.programme_code) || ' 名单已评估，覆盖发放地 ' || string_agg(distinct d.region, '、')
                  else min(p.year) || ' 年 ' || min(p.programme_code) || ' 没有覆盖发放地 ' || coalesce(string_agg(distinct p.region, '、'), '（发放地不明）')
                       || ' 的已评估名单' end`,
    })}
      from paid p
      left join due d on d.id = p.id
     where p.period_start <= $1::date
     group by p.subject_id, p.item`,
  },
  {
    name: 'NOT_APPROVED',
    text: '名单上本人（家庭项目为发放开始时的任一家庭成员）的最新评估决定不是批准（APPROVE）',
    facts: ['screening', 'screening_evaluation', 'membership'],
    sql: `select ${conditionColumns({
      subject: 'p.subject_id',
      item: 'p.item',
      holds: 'count(*) filter (where a.id is null) > 0',
      values: `jsonb_build_object('unapprovedFrom', min(p.period_start) filter (where a.id is null),
                                  'unapprovedTo', max(p.period_start) filter (where a.id is null))`,
      evidence: `coalesce(jsonb_agg(${paymentEvidence('p')}) filter (where a.id is null), '[]'::jsonb)`,
      said: `case when count(*) filter (where a.id is null) > 0
                  then ${payments('p')} filter (where a.id is null) || '的发放，名单上没有最新决定为批准的本人或家庭成员'
                  else '名单上本人或家庭成员的最新决定为批准' end`,
    })}
      from due p
      left join approved a on a.id = p.id
     group by p.subject_id, p.item`,
  },
];

export const D6: RuleDefinition = {
  code: 'D6',
  version: '1',
  title: 'Paid without the office’s evaluation',
  titleZh: '拟救助对象未经评估拨付资金',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 二(四)2 拟救助对象未经领导小组研究通过或领导小组办公室评估的,财政不予拨付资金`,
  parameters: [],
  shared: { screened, paid, due, approved },
  period: { start: `(detail->>'unapprovedFrom')::date`, end: `(detail->>'unapprovedTo')::date` },
  item: { text: '项目和年度（如 JY_GRANT|2026）' },
  conditions,
};
