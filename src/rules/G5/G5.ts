import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { ALIVE } from '../engine/alive';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { byRun, factsOfPeople, personHouseholds } from '../engine/scopedFacts';

/**
 * G5 MEDICAL_ASSISTANCE_GAP 低保特困对象大额自付未获医疗救助 — for each calendar year up to d (the
 * settlements dated on or before d): a living person's out-of-pocket costs (`grzf`) of the
 * settlements dated on days they were DIBAO or TEKUN sum to more than `medical_oop_threshold`,
 * and none of their settlements of that year has medical assistance (`yljz` > 0). One finding
 * per person and year.
 *
 * DIBAO or TEKUN is judged on each settlement's own day, not on d: listed in the household
 * record on that day while its DB was active, or named in a TK enrollment active that day.
 */

const settlementColumns = `ms.id, ms.person_id, ms.settled_on, extract(year from ms.settled_on)::int as year,
                           ms.out_of_pocket, ms.assistance_paid, ms.source_record_id`;

/** the settlements up to d of the people in scope */
const settlement = byRun(
  // an explanation or a scoped run: every settlement of the people in scope, by index
  `select ${settlementColumns} from ${factsOfPeople('medical_settlement', `f.settled_on <= $1::date`)} ms`,
  // a full run: only people ever listed in a DB household or named in a TK enrollment can have
  // such days — the other settlements (most of them) are never read
  `select ${settlementColumns} from ${factsOfPeople('medical_settlement', `f.settled_on <= $1::date`)} ms
     join (select m.person_id from ${factsOfPeople('membership', `f.feed = 'civil-affairs'`)} m
             join benefit b on b.feed = m.feed and b.record_key = m.record_key and b.programme_code = 'DB' and b.retired_at is null
           union
           select b.person_id from ${factsOfPeople('benefit', `f.programme_code = 'TK' and f.person_id is not null`)} b) e
       on e.person_id = ms.person_id`,
);

/** the enrollments that made a settlement's day a DIBAO or TEKUN day */
const covered = `
  -- the settlement's day was a DIBAO day: listed (on that day) in a household whose DB was active that day
  select s.id, b.source_record_id, 'DIBAO' as category, b.valid_from, b.valid_to
    from settlement s
    join membership m on m.person_id = s.person_id and m.feed = 'civil-affairs' and m.retired_at is null
                     and weijiu_active(m.valid_from, m.valid_to, s.settled_on)
    join benefit b on b.feed = m.feed and b.record_key = m.record_key and b.programme_code = 'DB' and b.retired_at is null
                  and weijiu_active(b.valid_from, b.valid_to, s.settled_on)
  union all
  -- … or a TEKUN day: named in a TK enrollment active that day
  select s.id, b.source_record_id, 'TEKUN', b.valid_from, b.valid_to
    from settlement s
    join benefit b on b.person_id = s.person_id and b.programme_code = 'TK' and b.retired_at is null
                  and weijiu_active(b.valid_from, b.valid_to, s.settled_on)`;

const yuan = (amount: string) => `rtrim(to_char(${amount}, 'FM999,999,999,990.99'), '.')`;
const money = (amount: string) => `to_char(${amount}, 'FM999,999,999,990.00')`;

/** the person-years compared with the threshold, their threshold and — for those over it — their evidence */
const overThreshold = `
  with qualifying as (select distinct id from covered),
  person_year as (
    select s.person_id, s.year,
           coalesce(sum(s.out_of_pocket) filter (where q.id is not null), 0) as oop,
           coalesce(bool_or(s.assistance_paid > 0), false) as assisted
      from settlement s left join qualifying q on q.id = s.id
     group by s.person_id, s.year),
  candidate as (
    -- the region of weijiu_person_region, looked up per person by index: joined whole, it is
    -- re-run for every candidate when the planner underestimates them
    select py.person_id, py.year, py.oop, coalesce(hr.region_code, p.region_code, $2::text) as region
      from person_year py
      -- the person by index too: a scoped run's few thousand person-years are estimated high enough to hash the whole city
      cross join lateral (select p.region_code from person p where p.id = py.person_id offset 0) p
      -- (the candidates are people in scope: their households by index in a scoped run)
      left join ${personHouseholds()} ph on ph.person_id = py.person_id
      left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = ph.household_id offset 0) hr on true
     -- a full run compares only the years that can be a gap (some such costs, no assistance:
     -- NO_MEDICAL_ASSISTANCE); an explanation (a scoped run) compares every year, to say why not
     where $4::bigint[] is not null or (not py.assisted and py.oop > 0)),
  threshold as (
    -- once per region, not per person
    select r.region, t.id, t.value from (select distinct region from candidate) r
     cross join lateral weijiu_param('medical_oop_threshold', r.region, $1::date) t),
  compared as (
    select c.person_id, c.year, c.oop, t.id as threshold_id, t.value as threshold, c.oop > t.value::numeric as over
      from candidate c left join threshold t on t.region = c.region),
  -- every settlement of the year (its yljz was checked), then the DB or TK enrollments that made
  -- the days DIBAO or TEKUN days, once each; in a full run for the gaps only
  fact as (
    select g.person_id, g.year,
           ${evidenceOf('s.source_record_id', `jsonb_build_object('settledOn', s.settled_on, 'grzf', s.out_of_pocket::text,
                                               'yljz', s.assistance_paid::text, 'dibaoOrTekun', q.id is not null)`)} as fact
      from compared g
      join settlement s on s.person_id = g.person_id and s.year = g.year
      left join qualifying q on q.id = s.id
     where $4::bigint[] is not null or g.over
    union
    select g.person_id, g.year,
           ${evidenceOf('c.source_record_id', `jsonb_build_object('category', c.category, 'start', c.valid_from, 'end', c.valid_to)`)}
      from compared g
      join settlement s on s.person_id = g.person_id and s.year = g.year
      join covered c on c.id = s.id
     where $4::bigint[] is not null or g.over),
  evidence as (select person_id, year, jsonb_agg(fact) as evidence from fact group by person_id, year)
  select ${conditionColumns({
    subject: 'g.person_id',
    item: 'g.year',
    holds: 'coalesce(g.over, false)',
    values: `jsonb_build_object('year', g.year, 'oop', g.oop::text, 'threshold', g.threshold)`,
    evidence: 'e.evidence',
    parameters: `case when g.threshold_id is not null then jsonb_build_array(g.threshold_id) end`,
    said: `g.year || ' 年在低保或特困期间结算的个人自付合计 ' || ${money('g.oop')} || ' 元，'
           || case when g.threshold is null then '没有适用的医疗救助门槛'
                   when g.over then '超过医疗救助门槛 ' || ${yuan('g.threshold::numeric')} || ' 元'
                   else '未超过医疗救助门槛 ' || ${yuan('g.threshold::numeric')} || ' 元' end`,
  })}
    from compared g
    left join evidence e on e.person_id = g.person_id and e.year = g.year`;

const conditions: Condition[] = [
  {
    name: 'OOP_OVER_THRESHOLD',
    text: '当年在其为低保或特困人员之日结算的个人自付（grzf）合计超过医疗救助门槛（medical_oop_threshold）',
    parameters: ['medical_oop_threshold'],
    facts: ['medical_settlement', 'membership', 'benefit'],
    sql: overThreshold,
  },
  {
    name: 'NO_MEDICAL_ASSISTANCE',
    text: '当年（至 d 日）没有任何一笔结算获得医疗救助（yljz > 0）',
    facts: ['medical_settlement'],
    holdsWhenSilent: true,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'false',
      values: `jsonb_build_object('yljz', sum(ms.assistance_paid)::text)`,
      evidence: `jsonb_agg(${evidenceOf('ms.source_record_id', `jsonb_build_object('settledOn', ms.settled_on, 'grzf', ms.out_of_pocket::text, 'yljz', ms.assistance_paid::text)`)})`,
      said: `s.item || ' 年已有 ' || count(*) || ' 笔结算获得医疗救助（最早 ' || min(ms.settled_on) || '），合计 ' || ${money('sum(ms.assistance_paid)')} || ' 元'`,
    })}
      from ${subjects} s
      join settlement ms on ms.person_id = s.subject_id::bigint and ms.year::text = s.item and ms.assistance_paid > 0
     group by s.subject_id, s.item`,
  },
  ALIVE,
];

export const G5: RuleDefinition = {
  code: 'G5',
  version: '1',
  title: 'Large out-of-pocket costs without medical assistance',
  titleZh: '低保特困对象大额自付未获医疗救助',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: ['medical_oop_threshold'],
  shared: { settlement, covered },
  conditions,
  period: { start: `make_date(h.item::int, 1, 1)`, end: `least(make_date(h.item::int, 12, 31), $1::date)` },
  item: { text: '年度', default: `extract(year from $1::date)::int::text` },
};
