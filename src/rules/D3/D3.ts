import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * D3 AFTER_DEATH 死亡后仍享受救助 — one finding per person deceased on d, naming the clauses that
 * hold: (i) a person-level cash programme (TK, GE, SW, CJ_LIVING, CJ_NURSING: the `cash`
 * programmes of level PERSON in the catalogue) is active on some day after the end of the month
 * following the month of death, and on or before d; (ii) they are still listed in the newest
 * version of a household whose DB or DSR is active on some day more than `after_death_grace_days`
 * after the death, and on or before d; (iii) an LS grant is paid to them after the day of death
 * (and on or before d).
 */

/**
 * weijiu_deceased($1) and the deaths recorded after d: each person's earliest valid death record
 * (after d: not deceased on d, which an explanation says). A scoped run: the people in scope, by index.
 */
const death = `
    select distinct on (f.person_id) f.person_id, f.died_on, f.source_record_id
      from ${factsOfPeople('death_record')} f
     order by f.person_id, f.died_on`;

/** The last day of the month following the month of death: (i) counts from the day after it. */
const followingMonthEnd = `((date_trunc('month', d.died_on) + interval '2 months')::date - 1)`;

/** A period as said: 2024-01-01 至 2026-05-01, or 2024-01-01 起 while open. */
const period = (from: string, to: string) => `coalesce(${from}::text, '未记开始日') || coalesce(' 至 ' || ${to}, ' 起')`;

/**
 * The outcome of each clause's conditions for the deceased, one row per person and condition:
 * the clauses' conditions read them, and the death's values name the clauses that hold (the
 * finding's detail names them, as the office has always read it).
 */
const afterDeath = `
    with dead as (select * from death d where d.died_on <= $1::date),
    cash as (
      select d.person_id, pg.name, b.programme_code, b.valid_from, b.valid_to, b.amount, b.source_record_id,
             ${followingMonthEnd} as month_end,
             greatest(coalesce(b.valid_from, '-infinity'::date), ${followingMonthEnd} + 1)
               <= least(coalesce(b.valid_to, 'infinity'::date), $1::date) as hit
        from dead d
        -- the dead person's own benefits, by index: few people are dead (fewer still in a scoped run);
        -- offset 0 keeps the planner from flattening this into a scan of every benefit
        cross join lateral (select b.* from benefit b where b.person_id = d.person_id and b.retired_at is null offset 0) b
        join programme pg on pg.code = b.programme_code and pg.cash and pg.level = 'PERSON'),
    listed as (
      -- the civil-affairs households that list them, in the newest version (valid_to null) or no longer
      select d.person_id, d.died_on, m.record_key, m.source_record_id, m.valid_to is null as current
        from dead d
        join membership m on m.person_id = d.person_id and m.feed = 'civil-affairs' and m.retired_at is null),
    assisted as (
      -- the grace counts from the day of death: DB or DSR on day death + grace + 1 or later
      select l.person_id, l.record_key, l.source_record_id as membership_source, pg.name, b.programme_code, b.valid_from,
             b.valid_to, b.amount, b.source_record_id, grace.id as grace_id, grace.value as grace_days,
             l.died_on + grace.value::int as grace_end,
             greatest(coalesce(b.valid_from, '-infinity'::date), l.died_on + grace.value::int + 1)
               <= least(coalesce(b.valid_to, 'infinity'::date), $1::date) as hit
        from listed l
        join benefit b on b.feed = 'civil-affairs' and b.record_key = l.record_key and b.retired_at is null
                      and b.programme_code in ('DB', 'DSR')
        join programme pg on pg.code = b.programme_code
        cross join lateral weijiu_param('after_death_grace_days', coalesce(b.region_code, $2::text), $1::date) grace
       where l.current),
    grant_paid as (
      select d.person_id, d.died_on, b.record_key, b.paid_on, b.amount, b.source_record_id, b.paid_on > d.died_on as hit
        from dead d
        cross join lateral (
          select b.* from benefit b where b.person_id = d.person_id and b.retired_at is null and b.programme_code = 'LS' offset 0) b
       where b.paid_on <= $1::date and weijiu_active(null, b.valid_to, b.paid_on))
    select c.person_id, 'CASH_AFTER_FOLLOWING_MONTH' as condition, bool_or(c.hit) as holds,
           jsonb_build_object('programmes', coalesce(jsonb_agg(distinct c.programme_code) filter (where c.hit), '[]'::jsonb)) as vals,
           jsonb_agg(${evidenceOf('c.source_record_id', `jsonb_build_object('clause', 'i', 'programme', c.programme_code, 'start', c.valid_from,
                                                                             'end', c.valid_to, 'amount', c.amount::text)`)})
             filter (where c.hit or not c.hit_any) as evidence,
           null::jsonb as parameters,
           case when bool_or(c.hit) then '死亡次月月底（' || min(c.month_end) || '）之后仍在发放：'
                else '死亡次月月底（' || min(c.month_end) || '）之后至 d 日没有发放：' end
             || string_agg(c.name || '（' || ${period('c.valid_from', 'c.valid_to')} || '）', '、' order by c.valid_from)
               filter (where c.hit or not c.hit_any) as said
      from (select c.*, bool_or(c.hit) over (partition by c.person_id) as hit_any from cash c) c
     group by c.person_id
    union all
    select l.person_id, 'STILL_LISTED', bool_or(l.current), '{}'::jsonb,
           -- listed: the membership is evidence of the household's assistance (HOUSEHOLD_AID_AFTER_GRACE)
           case when not bool_or(l.current)
                then jsonb_agg(${evidenceOf('l.source_record_id', `jsonb_build_object('clause', 'ii', 'household', l.record_key, 'listed', false)`)}) end,
           null,
           case when bool_or(l.current) then '仍列在家庭 ' || string_agg(distinct l.record_key, '、') filter (where l.current) || ' 最新版本的成员中'
                else '家庭 ' || string_agg(distinct l.record_key, '、') || ' 的最新版本已不再列其为成员' end
      from listed l
     group by l.person_id
    union all
    select a.person_id, 'HOUSEHOLD_AID_AFTER_GRACE', bool_or(a.hit),
           jsonb_build_object('households', coalesce(jsonb_agg(distinct a.record_key) filter (where a.hit), '[]'::jsonb)),
           (jsonb_agg(distinct ${evidenceOf('a.membership_source', `jsonb_build_object('clause', 'ii', 'household', a.record_key, 'listed', true)`)})
              filter (where a.hit or not a.hit_any))
             || jsonb_agg(${evidenceOf('a.source_record_id', `jsonb_build_object('clause', 'ii', 'household', a.record_key, 'programme', a.programme_code,
                          'start', a.valid_from, 'end', a.valid_to, 'amount', a.amount::text, 'graceDays', a.grace_days)`)})
                  filter (where a.hit or not a.hit_any),
           jsonb_agg(distinct a.grace_id) filter (where a.hit or not a.hit_any),
           case when bool_or(a.hit) then '死亡 ' || min(a.grace_days) || ' 天后（' || min(a.grace_end) || ' 之后）仍有效：'
                else '死亡 ' || min(a.grace_days) || ' 天后（' || min(a.grace_end) || ' 之后）至 d 日已不再有效：' end
             || string_agg('家庭 ' || a.record_key || ' 的' || a.name || '（' || ${period('a.valid_from', 'a.valid_to')} || '）', '、' order by a.valid_from)
               filter (where a.hit or not a.hit_any)
      from (select a.*, bool_or(a.hit) over (partition by a.person_id) as hit_any from assisted a) a
     group by a.person_id
    union all
    select g.person_id, 'LS_PAID_AFTER_DEATH', bool_or(g.hit),
           jsonb_build_object('grants', coalesce(jsonb_agg(distinct g.record_key) filter (where g.hit), '[]'::jsonb)),
           jsonb_agg(${evidenceOf('g.source_record_id', `jsonb_build_object('clause', 'iii', 'grantId', g.record_key, 'paidOn', g.paid_on, 'amount', g.amount::text)`)})
             filter (where g.hit or not g.hit_any),
           null,
           case when bool_or(g.hit) then '死亡（' || min(g.died_on) || '）之后发放临时救助：' else '死亡（' || min(g.died_on) || '）之后没有发放临时救助：' end
             || string_agg(g.paid_on || ' 发放 ' || to_char(g.amount, 'FM999,999,990.00') || ' 元', '、' order by g.paid_on)
               filter (where g.hit or not g.hit_any)
      from (select g.*, bool_or(g.hit) over (partition by g.person_id) as hit_any from grant_paid g) g
     group by g.person_id`;

/** The clauses whose conditions all hold, for each deceased person. */
const clausesHolding = `
    select a.person_id,
           array_remove(array[
             case when bool_or(a.holds) filter (where a.condition = 'CASH_AFTER_FOLLOWING_MONTH') then 'i' end,
             case when bool_or(a.holds) filter (where a.condition = 'STILL_LISTED')
                   and bool_or(a.holds) filter (where a.condition = 'HOUSEHOLD_AID_AFTER_GRACE') then 'ii' end,
             case when bool_or(a.holds) filter (where a.condition = 'LS_PAID_AFTER_DEATH') then 'iii' end], null) as clauses
      from after_death a
     group by a.person_id`;

/** A condition read from afterDeath, for the subjects given. */
const afterDeathCondition = (name: string) => (subjects: string) => `select ${conditionColumns({
  subject: 's.subject_id',
  item: 's.item',
  holds: 'a.holds',
  values: 'a.vals',
  evidence: 'a.evidence',
  parameters: 'a.parameters',
  said: 'a.said',
})} from ${subjects} s join after_death a on a.person_id = s.subject_id::bigint and a.condition = '${name}'`;

const conditions: Condition[] = [
  {
    name: 'DECEASED',
    text: 'd 日或之前已死亡（最早一条有效的死亡记录）',
    facts: ['death_record'],
    sql: `select ${conditionColumns({
      subject: 'd.person_id',
      holds: 'd.died_on <= $1::date',
      // the clauses' values replace these empty lists where they hold
      values: `jsonb_build_object('death', d.died_on, 'clauses', to_jsonb(coalesce(c.clauses, '{}')),
                                  'programmes', '[]'::jsonb, 'households', '[]'::jsonb, 'grants', '[]'::jsonb)`,
      evidence: `jsonb_build_array(${evidenceOf('d.source_record_id', `jsonb_build_object('death', d.died_on)`)})`,
      said: `case when d.died_on <= $1::date then '已于 ' || d.died_on || ' 死亡' else '死亡记录日期为 ' || d.died_on || '，在 d 日之后' end`,
    })}
      from death d left join clauses_holding c on c.person_id = d.person_id
     -- a full run needs only the deceased for whom a clause holds; the others are said for the
     -- subjects of a scoped run or an explanation (which runs scoped)
     where $4::bigint[] is not null or c.clauses <> '{}'`,
  },
  {
    name: 'CASH_AFTER_FOLLOWING_MONTH',
    text: '死亡次月月底之后（且在 d 日或之前）仍有个人现金救助项目（特困供养、孤儿基本生活费、事实无人抚养儿童基本生活补贴、困难残疾人生活补贴、重度残疾人护理补贴）在发放',
    facts: ['benefit', 'programme'],
    clause: 'i',
    sql: afterDeathCondition('CASH_AFTER_FOLLOWING_MONTH'),
  },
  {
    name: 'STILL_LISTED',
    text: '仍列在民政家庭档案最新版本的成员中',
    facts: ['membership'],
    clause: 'ii',
    sql: afterDeathCondition('STILL_LISTED'),
  },
  {
    name: 'HOUSEHOLD_AID_AFTER_GRACE',
    text: '列其为成员的家庭，其低保或低收入家庭认定在死亡 after_death_grace_days 天后（且在 d 日或之前）仍有效',
    parameters: ['after_death_grace_days'],
    facts: ['membership', 'benefit'],
    clause: 'ii',
    sql: afterDeathCondition('HOUSEHOLD_AID_AFTER_GRACE'),
  },
  {
    name: 'LS_PAID_AFTER_DEATH',
    text: '死亡之日以后（且在 d 日或之前）向其发放了临时救助',
    facts: ['benefit'],
    clause: 'iii',
    sql: afterDeathCondition('LS_PAID_AFTER_DEATH'),
  },
];

export const D3: RuleDefinition = {
  code: 'D3',
  version: '1',
  title: 'Payments or listing after death',
  titleZh: '死亡后仍享受救助',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 二(六)1 虚报、冒领社会救助资金`,
  parameters: ['after_death_grace_days'],
  shared: { death, after_death: afterDeath, clauses_holding: clausesHolding },
  conditions,
  period: { start: `(detail->>'death')::date`, end: 'null' },
};
