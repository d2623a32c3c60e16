import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople, personHouseholds } from '../engine/scopedFacts';

/**
 * G9 SUDDEN_HARDSHIP_ALERT 突发困难主动发现 — a household none of whose members is DIBAO or TEKUN on
 * d, whose members' out-of-pocket medical costs (`grzf`) settled in the recent window (d−364 … d,
 * `recent_window_days`) total at least `sudden_oop_threshold`, and with no LS grant paid to any
 * member in that window.
 *
 * Members are the people whose household (rules.md, weijiu_person_household) it is: the
 * civil-affairs household that lists them, else the poverty-relief one, else a housing
 * applicant's own. A household is reported only while one of its members is alive on d (nobody
 * deceased is a gap); a member who died within the window still counts with their costs — those
 * bills are the family's hardship.
 *
 * Set-based in two passes so that it stays fast on millions of people: the costs of the people
 * with settlements in the window go to their households, and only the households that reach the
 * threshold have their members looked up and checked (the shared relations below, once per run).
 */

/** the recent window is the city's, as for the TEMPORARY category (weijiu_categories) */
const win = `
  select w.id as parameter_id, $1::date - (w.value::int - 1) as since
    from weijiu_param('recent_window_days', $2::text, $1::date) w`;

/**
 * A scope of a few people — an explanation's (traceRule closes it over one household), or a sync's
 * that touched one family — is judged whole, so that a household below the threshold is explained
 * with its total; a run over more people, like a full run, skips the households that cannot reach
 * a threshold and looks up only the members of those that reach theirs. Either way the same
 * households hold.
 */
const fewPeople = `coalesce(cardinality($4::bigint[]), 0) between 1 and 100`;

/**
 * Each household's costs in the window and its threshold (below the lowest threshold of any region
 * and date a household cannot reach its own).
 */
const householdCost = `
  with costs as (
    select s.person_id, sum(s.out_of_pocket) as oop
      -- a scoped run: the settlements of the people in scope, by index; every member of a household
      -- in scope is in it, so its total is whole
      from ${factsOfPeople('medical_settlement', 'f.out_of_pocket is not null')} s, win
     where s.settled_on between win.since and $1::date
     group by s.person_id),
  home as (
    -- the household of each person with costs (rules.md "household", housing applicants included)
    -- (the people with costs are people in scope: their households by index in a scoped run)
    select c.person_id, c.oop, ph.household_id
      from costs c
      left join ${personHouseholds()} ph on ph.person_id = c.person_id),
  reaching as (
    select x.household_id, sum(x.oop) as oop, array_agg(x.person_id) filter (where x.person_id is not null) as people
      from (select home.household_id, home.oop, home.person_id from home where home.household_id is not null
            -- a few people's households without costs too: an explanation says 0.00
            union all
            select in_scope.id, 0.00, null from unnest($3::bigint[]) as in_scope(id) where ${fewPeople}) x
     group by x.household_id
    having ${fewPeople}
        or sum(x.oop) >= (select min(p.value::numeric) from parameter p
                              where p.name = 'sudden_oop_threshold' and weijiu_parameter_value_ok(p.name, p.value)))
  select r.household_id, r.oop, r.people, threshold.id as threshold_id, threshold.value as threshold
    from reaching r
    join household h on h.id = r.household_id
    join person hp on hp.id = h.head_person_id
    left join lateral (select x.region_code from weijiu_household_region() x where x.household_id = r.household_id offset 0) hr on true
    cross join lateral weijiu_param('sudden_oop_threshold', coalesce(hr.region_code, hp.region_code, $2::text), $1::date) threshold`;

/** the people each of those households is the household of */
const member = `
  select distinct on (x.person_id) x.household_id, x.person_id, x.feed, x.record_key
    from (select m.person_id from membership m
           where m.household_id in (select household_id from household_cost where ${fewPeople} or oop >= threshold::numeric)
             and m.retired_at is null and m.valid_to is null
          union
          select b.person_id from benefit b
           where b.household_id in (select household_id from household_cost where ${fewPeople} or oop >= threshold::numeric)
             and b.retired_at is null and b.programme_code in ('ZF_FLAT', 'ZF_RENT') and b.person_id is not null) people
    cross join lateral (
      select ph.household_id, ph.person_id, ph.feed, ph.record_key
        from weijiu_person_household($1::date) ph where ph.person_id = people.person_id offset 0) x
   order by x.person_id`;

const yuan = (amount: string) => `to_char(${amount}, 'FM999,999,999,990.00')`;

const conditions: Condition[] = [
  {
    name: 'COSTS_REACH_THRESHOLD',
    text: '家庭成员近一年（recent_window_days）个人自付医疗费用合计达到 sudden_oop_threshold',
    parameters: ['recent_window_days', 'sudden_oop_threshold'],
    facts: ['medical_settlement', 'membership', 'benefit'],
    sql: `select ${conditionColumns({
      subject: 'c.household_id',
      holds: 'c.oop >= c.threshold::numeric',
      values: `jsonb_build_object('household', jsonb_build_array(case label.feed when 'civil-affairs' then 'CA' when 'poverty-relief' then 'FP' else 'ZF' end,
                                                                coalesce(pr.household_no, label.record_key)),
                                  'oop', c.oop::text, 'threshold', c.threshold, 'windowStart', win.since)`,
      evidence: 'bills.evidence',
      parameters: 'jsonb_build_array(win.parameter_id, c.threshold_id)',
      said: `'近一年（' || win.since || ' 至 ' || $1::date || '）家庭成员个人自付医疗费用合计 ' || ${yuan('c.oop')} || ' 元，'
             || case when c.oop >= c.threshold::numeric then '达到' else '未达到' end || '门槛 ' || ${yuan('c.threshold::numeric')} || ' 元'`,
    })}
      from household_cost c
      cross join win
      -- the household's own number in its feed, for the reviewer
      left join (select m.household_id,
                        (array_agg(m.feed order by weijiu_feed_rank(m.feed), m.record_key))[1] as feed,
                        (array_agg(m.record_key order by weijiu_feed_rank(m.feed), m.record_key))[1] as record_key
                   from member m group by m.household_id) label on label.household_id = c.household_id
      left join lateral (
        select p.household_no from poverty_record p
         where label.feed = 'poverty-relief' and p.feed = 'poverty-relief' and p.record_key = label.record_key and p.retired_at is null limit 1) pr on true
      -- the settlements that make up the total
      cross join lateral (
        select jsonb_agg(${evidenceOf('s.source_record_id', `jsonb_build_object('settled', s.settled_on, 'grzf', s.out_of_pocket::text)`)}) as evidence
          from unnest(c.people) as payer(person_id)
          join medical_settlement s on s.person_id = payer.person_id and s.retired_at is null and s.out_of_pocket is not null
         where s.settled_on between win.since and $1::date) bills`,
  },
  {
    name: 'NO_DIBAO_OR_TEKUN_MEMBER',
    text: '家庭成员中没有人 d 日是低保或特困人员',
    facts: ['membership', 'benefit'],
    holdsWhenSilent: true,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'false',
      values: `jsonb_build_object('covered', jsonb_agg(distinct c.category))`,
      evidence: `jsonb_agg(distinct ${evidenceOf('c.source_record_id', `jsonb_build_object('category', c.category)`)})`,
      said: `'户内 ' || count(distinct c.person_id) || ' 人 ' || $1::date || ' 是'
             || string_agg(distinct case c.category when 'DIBAO' then '低保' else '特困' end, '、') || '对象，已有救助'`,
    })}
      from ${subjects} s
      join member m on m.household_id = s.subject_id::bigint
      -- DIBAO or TEKUN on d (rules.md categories), looked up by index for this member
      cross join lateral (
        select c.person_id, c.category, c.source_record_id from weijiu_categories($1::date, $2::text) c
         where c.person_id = m.person_id and c.category in ('DIBAO', 'TEKUN') offset 0) c
     group by s.subject_id, s.item`,
  },
  {
    name: 'NO_TEMPORARY_AID',
    text: '近一年（recent_window_days）内家庭成员没有获得临时救助（LS）',
    parameters: ['recent_window_days'],
    facts: ['benefit'],
    holdsWhenSilent: true,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'false',
      values: `jsonb_build_object('temporaryAidPaidOn', jsonb_agg(distinct ls.paid_on))`,
      evidence: `jsonb_agg(${evidenceOf('ls.source_record_id', `jsonb_build_object('programme', 'LS', 'paid', ls.paid_on, 'amount', ls.amount::text)`)})`,
      parameters: 'jsonb_build_array(min(win.parameter_id))',
      said: `'近一年（' || min(win.since) || ' 起）户内成员已获临时救助：' || string_agg(ls.paid_on || ' ' || coalesce(${yuan('ls.amount')} || ' 元', ''), '、' order by ls.paid_on)`,
    })}
      from ${subjects} s
      join member m on m.household_id = s.subject_id::bigint
      cross join win
      join benefit ls on ls.person_id = m.person_id and ls.programme_code = 'LS' and ls.retired_at is null
                     and ls.paid_on between win.since and $1::date
     group by s.subject_id, s.item`,
  },
  {
    name: 'SOMEONE_ALIVE',
    text: '家庭成员至少一人 d 日在世',
    facts: ['death_record'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'bool_or(dead.died_on is null)',
      values: `jsonb_build_object('members', count(*), 'deceased', count(dead.died_on))`,
      // the deaths only where they decide: the bills of a member who died are still the family's
      evidence: `case when not bool_or(dead.died_on is null)
                      then jsonb_agg(${evidenceOf('dead.source_record_id', `jsonb_build_object('diedOn', dead.died_on)`)}) end`,
      said: `case when bool_or(dead.died_on is null) then '户内 ' || count(*) || ' 人中 ' || count(*) filter (where dead.died_on is null) || ' 人在世'
                  else '户内 ' || count(*) || ' 人均已死亡（最晚 ' || max(dead.died_on) || '）' end`,
    })}
      from ${subjects} s
      join member m on m.household_id = s.subject_id::bigint
      left join lateral (
        select dr.died_on, dr.source_record_id from death_record dr
         where dr.person_id = m.person_id and dr.retired_at is null and dr.died_on <= $1::date
         order by dr.died_on limit 1) dead on true
     group by s.subject_id, s.item`,
  },
];

export const G9: RuleDefinition = {
  code: 'G9',
  version: '1',
  title: 'Sudden hardship: high medical costs without assistance',
  titleZh: '因病突发困难未获救助(主动发现)',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化; 二(三)1 主动型个性化救助服务`,
  parameters: ['recent_window_days', 'sudden_oop_threshold'],
  shared: { win, household_cost: householdCost, member },
  conditions,
  period: { start: `(detail->>'windowStart')::date`, end: '$1::date' },
};
