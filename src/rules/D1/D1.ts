import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople, personHouseholds } from '../engine/scopedFacts';

/**
 * D1 REPEAT_SAME_KIND 同年内重复享受同类救助 — (a) a household (or a person with no household)
 * receives a second or later LS grant paid in the same calendar year, and that grant carries no
 * `ldxz_pzwh` and no exception recorded in the hub: one finding per such grant (by payment date);
 * (b) the same person receives the same education aid in the same 学年 and 学期 more than once
 * under different 学籍号, in any term file: one finding per person, term and aid.
 *
 * A finding has one subject type, so D1 is two definitions under the one code: `D1a`, the
 * household findings of (a), and `D1b`, the person findings — (a) for a person with no household
 * and (b). List both in the catalogue.
 */
const common = {
  code: 'D1',
  version: '1',
  title: 'Same kind of assistance twice in a year',
  titleZh: '同年内重复享受同类救助',
  kind: 'DUAL_BENEFIT',
  legalReference: `${SEED_POLICY} 三(二) 严格工作规程: 同年内已享受同类救助项目的人员，原则上不再予以救助`,
  parameters: [],
} as const;

type Recipient = 'household' | 'person';

/**
 * The LS grants of (a), each ranked in its subject's calendar year (nth). The household is the
 * recipient's household as of d (rules.md "household"); a person's grants are ranked as theirs
 * (D1b: NO_HOUSEHOLD then keeps those with none). A grant withdrawn before its payment day (ended
 * before it) was never paid and does not count. Grants paid after d are ranked too — after every
 * grant paid by d, so they move no rank — for an explanation to say "paid after d".
 * A grant whose earlier finding the office marked EXCEPTION (re-assistance approved in the hub,
 * `detail.grantId`) is `excepted`; it still counts as an earlier grant for the ones after it.
 */
function rankedGrants(subject: Recipient): string {
  return `
    with paid as (
      select b.person_id, b.record_key as grant_id, b.paid_on, extract(year from b.paid_on)::int as year,
             nullif(btrim(b.approval_ref), '') as approval_ref, b.amount, b.source_record_id
        -- a scoped run: the grants of the people in scope, by index (the recipients of a household in scope are in it)
        from ${factsOfPeople('benefit', `f.programme_code = 'LS'`)} b
       where weijiu_active(null, b.valid_to, b.paid_on)),
    -- the recipients' households as of d (rules.md "household"; in a scoped run by index)
    recipient_household as (
      select ph.person_id, ph.household_id, ph.record_key, ph.source_record_id
        from ${personHouseholds()} ph
       where ph.person_id in (select person_id from paid)),
    excepted as (
      select f.detail->>'grantId' as grant_id from finding f where f.rule = 'D1' and f.status = 'EXCEPTION'
      union
      select jsonb_array_elements_text(f.detail->'grantIds') from finding f
       where f.rule = 'D1' and f.status = 'EXCEPTION' and jsonb_typeof(f.detail->'grantIds') = 'array')
    select g.*, row_number() over (partition by g.subject_id, g.year order by g.paid_on, g.grant_id) as nth,
           ${evidenceOf('g.source_record_id', `jsonb_build_object('grantId', g.grant_id, 'recipient', g.recipient, 'paidOn', g.paid_on,
                                                                  'amount', g.amount::text, 'approvalRef', g.approval_ref)`)} as grant_evidence,
           case when g.membership_source is not null
                then ${evidenceOf('g.membership_source', `jsonb_build_object('household', g.hh_id, 'member', g.recipient)`)} end as membership_evidence
      from (select pd.*, rh.household_id, rh.record_key as hh_id, rh.source_record_id as membership_source, p.id_number as recipient,
                   ${subject === 'household' ? 'rh.household_id' : 'pd.person_id'} as subject_id,
                   pd.grant_id in (select e.grant_id from excepted e where e.grant_id is not null) as excepted
              from paid pd
              left join recipient_household rh on rh.person_id = pd.person_id
              join person p on p.id = pd.person_id
             ${subject === 'household' ? 'where rh.household_id is not null' : ''}) g`;
}

/** The grants `y` of the year joined (up to a rank) as evidence, with the memberships that make them the household's. */
const grantsEvidence = `jsonb_agg(y.grant_evidence order by y.nth)
  || coalesce(jsonb_agg(y.membership_evidence) filter (where y.membership_evidence is not null), '[]'::jsonb)`;

/** The payment day of an (a) item ('a|2026-09-23'); null for (b)'s, whose second part is a term, not a date. */
const paidOnOf = (item: string) => `(case when ${item} like 'a|%' then split_part(${item}, '|', 2)::date end)`;

/** The candidate (a) findings given and their grants paid on that day, as `g`. */
const grantsOfTheDay = (subjects: string) => `
      from ${subjects} s
      join ranked_grant g on g.subject_id = s.subject_id::bigint and g.paid_on = ${paidOnOf('s.item')}`;

/** The conditions of (a), for a household or for a person (who then must have no household). */
function repeatGrantConditions(subject: Recipient): Condition[] {
  const who = subject === 'household' ? '本户' : '本人';
  return [
    ...(subject === 'person'
      ? [
          {
            name: 'NO_HOUSEHOLD',
            text: '不属于任何家庭（d 日），本人即受助对象（属于家庭的，以家庭为对象）',
            facts: ['membership', 'benefit'],
            clause: 'a',
            sql: (subjects: string) => `select ${conditionColumns({
              subject: 's.subject_id',
              item: 's.item',
              holds: 'bool_and(g.household_id is null)',
              evidence: `case when bool_or(g.household_id is not null)
                              then jsonb_agg(distinct g.membership_evidence) filter (where g.membership_evidence is not null) end`,
              said: `case when bool_and(g.household_id is null) then '不属于任何家庭'
                          else '属于家庭 ' || min(g.hh_id) || '，以家庭为对象' end`,
            })} ${grantsOfTheDay(subjects)} group by s.subject_id, s.item`,
          } satisfies Condition,
        ]
      : []),
    {
      name: 'SECOND_GRANT_IN_YEAR',
      text: `同一自然年内此前已向${who}发放过临时救助，这一天发放的是第二笔或以后的一笔`,
      facts: ['benefit', 'membership'],
      clause: 'a',
      sql: `select ${conditionColumns({
        subject: 'd.subject_id',
        item: `'a|' || d.paid_on`,
        holds: 'd.last_nth > 1',
        values: `jsonb_build_object('clause', 'a', 'paidOn', d.paid_on, 'year', d.year)`,
        // the year's grants up to the first repeat of the day (later ones are NO_EXCEPTION_IN_HUB's)
        evidence: grantsEvidence,
        said: `case when d.last_nth > 1
                    then d.year || ' 年 ' || d.paid_on || ' 发放的是${who}当年第 ' || d.first_repeat || ' 笔临时救助，此前已发放：'
                         || string_agg(y.paid_on || ' ' || y.grant_id, '、' order by y.nth) filter (where y.nth < d.first_repeat)
                    else d.paid_on || ' 发放的是${who} ' || d.year || ' 年的第一笔临时救助' end`,
      })}
        from (select g.subject_id, g.year, g.paid_on, max(g.nth) as last_nth, min(g.nth) filter (where g.nth > 1) as first_repeat,
                     coalesce(min(g.nth) filter (where g.nth > 1), max(g.nth)) as upto
                from ranked_grant g group by g.subject_id, g.year, g.paid_on
              -- a full run needs only the repeats; the first grants are said for the subjects of a scoped run or an explanation
              having max(g.nth) > 1 or $4::bigint[] is not null) d
        join ranked_grant y on y.subject_id = d.subject_id and y.year = d.year and y.nth <= d.upto
       group by d.subject_id, d.year, d.paid_on, d.last_nth, d.first_repeat`,
    },
    {
      name: 'PAID_ON_OR_BEFORE_D',
      text: '这笔临时救助在 d 日或之前已发放',
      facts: ['benefit'],
      clause: 'a',
      sql: (subjects) => `select ${conditionColumns({
        subject: 's.subject_id',
        item: 's.item',
        holds: `${paidOnOf('s.item')} <= $1::date`,
        said: `case when ${paidOnOf('s.item')} <= $1::date then '已于 ' || ${paidOnOf('s.item')} || ' 发放'
                    else ${paidOnOf('s.item')} || ' 发放，在 d 日（' || $1::date || '）之后' end`,
      })} from ${subjects} s where s.item like 'a|%'`,
    },
    {
      name: 'NO_REPEAT_APPROVAL',
      text: '这笔再次救助没有领导小组批准的文号（ldxz_pzwh）',
      facts: ['benefit'],
      clause: 'a',
      sql: (subjects) => `select ${conditionColumns({
        subject: 's.subject_id',
        item: 's.item',
        holds: 'bool_or(g.approval_ref is null)',
        // unapproved, the grant is NO_EXCEPTION_IN_HUB's evidence; approved, its record shows the approval
        evidence: `case when not bool_or(g.approval_ref is null) then jsonb_agg(g.grant_evidence order by g.nth) end`,
        said: `case when bool_or(g.approval_ref is null)
                    then string_agg(g.grant_id, '、' order by g.nth) filter (where g.approval_ref is null) || ' 没有领导小组批准再次救助的文号'
                    else string_agg(g.grant_id || ' 经领导小组批准（' || g.approval_ref || '）', '、' order by g.nth) end`,
      })} ${grantsOfTheDay(subjects)} and g.nth > 1 group by s.subject_id, s.item`,
    },
    {
      name: 'NO_EXCEPTION_IN_HUB',
      text: '这笔再次救助没有在平台上被领导小组办公室认定为例外（EXCEPTION）',
      facts: ['benefit', 'membership', 'finding'],
      clause: 'a',
      // said of the unapproved repeat grants of the day; where every one is approved there is nothing to except
      holdsWhenSilent: true,
      sql: (subjects) => `select ${conditionColumns({
        subject: 'd.subject_id',
        item: 'd.item',
        holds: 'd.grant_id is not null',
        values: `case when d.grant_id is not null then jsonb_build_object(
                   'grantId', d.grant_id, 'grantIds', d.grant_ids, 'recipients', d.recipients,
                   'earlierGrants', coalesce(jsonb_agg(y.grant_id order by y.nth) filter (where y.nth < d.first_nth), '[]'::jsonb))
                 else jsonb_build_object('exceptedGrants', d.excepted_ids) end`,
        // every grant of the year up to the last one found that day, and who received it in the household
        evidence: `case when d.grant_id is not null then ${grantsEvidence} else d.excepted_evidence end`,
        said: `case when d.grant_id is not null then array_to_string(array(select jsonb_array_elements_text(d.grant_ids)), '、') || ' 没有被认定为例外'
                    else array_to_string(array(select jsonb_array_elements_text(d.excepted_ids)), '、') || ' 已在平台上被认定为例外' end`,
      })}
        from (select s.subject_id::bigint as subject_id, s.item, min(g.year) as year,
                     min(g.nth) filter (where not g.excepted) as first_nth, max(g.nth) filter (where not g.excepted) as last_nth,
                     min(g.grant_id) filter (where not g.excepted) as grant_id,
                     jsonb_agg(g.grant_id order by g.grant_id) filter (where not g.excepted) as grant_ids,
                     jsonb_agg(distinct g.recipient) filter (where not g.excepted) as recipients,
                     jsonb_agg(g.grant_id order by g.grant_id) filter (where g.excepted) as excepted_ids,
                     jsonb_agg(g.grant_evidence order by g.nth) filter (where g.excepted) as excepted_evidence
                ${grantsOfTheDay(subjects)} and g.nth > 1 and g.approval_ref is null
               group by s.subject_id, s.item) d
        left join ranked_grant y on d.grant_id is not null and y.subject_id = d.subject_id and y.year = d.year and y.nth <= d.last_nth
       group by d.subject_id, d.item, d.first_nth, d.grant_id, d.grant_ids, d.recipients, d.excepted_ids, d.excepted_evidence`,
    },
  ];
}

/** The first day of a term (学年_学期): 学期 1 on 1 September of the first year, 学期 2 on 1 March of the second, as the education connector dates it. */
const termStart = (term: string) =>
  `(case split_part(${term}, '_', 2) when '1' then make_date(left(${term}, 4)::int, 9, 1) else make_date(substr(${term}, 6, 4)::int, 3, 1) end)`;

/** A term as said: 2026-2027 学年第 1 学期. */
const termSaid = (term: string) => `(split_part(${term}, '_', 1) || ' 学年第 ' || split_part(${term}, '_', 2) || ' 学期')`;

/** The conditions of (b): the same aid in the same term under two or more 学籍号 (any term file, current rows). */
const repeatEducationAid: Condition[] = [
  {
    name: 'SAME_AID_UNDER_TWO_STUDENT_NOS',
    text: '同一学年同一学期以两个或以上不同的学籍号领取同一项学生资助（任一学期名单）',
    facts: ['schooling'],
    clause: 'b',
    sql: `select ${conditionColumns({
      subject: 't.person_id',
      item: `'b|' || t.term || '|' || t.aid`,
      holds: 't.numbers > 1',
      values: `jsonb_build_object('clause', 'b', 'term', t.term, 'aid', t.aid, 'studentNos', r.student_nos)`,
      evidence: 'r.evidence',
      said: `${termSaid('t.term')} || case when t.numbers > 1 then '以 ' || t.numbers || ' 个学籍号（' else '只以一个学籍号（' end
             || r.said || '）领取' || t.aid`,
    })}
      from (select s.person_id, s.term, s.aid, count(distinct s.student_no) as numbers
              -- a scoped run: the rows of the people in scope, by index
              from ${factsOfPeople('schooling', `nullif(btrim(f.aid), '') is not null`)} s
             group by s.person_id, s.term, s.aid
            -- a full run needs the repeats only; the rest are said for the subjects of a scoped run or an explanation
            having count(distinct s.student_no) > 1 or $4::bigint[] is not null) t
      -- the rows of those, by index
      cross join lateral (
        select jsonb_agg(distinct s.student_no) as student_nos,
               jsonb_agg(${evidenceOf('s.source_record_id', `jsonb_build_object('studentNo', s.student_no, 'school', s.school, 'term', s.term,
                                                                               'aid', s.aid, 'status', s.status)`)} order by s.student_no) as evidence,
               string_agg(distinct s.student_no || ' ' || s.school, '、') as said
          from schooling s
         where s.person_id = t.person_id and s.term = t.term and s.aid = t.aid and s.retired_at is null) r`,
  },
  {
    name: 'TERM_BEGUN',
    text: '该学期在 d 日或之前已开始（第一学期 9 月 1 日起，第二学期次年 3 月 1 日起）',
    facts: ['schooling'],
    clause: 'b',
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: `${termStart(`split_part(s.item, '|', 2)`)} <= $1::date`,
      said: `${termSaid(`split_part(s.item, '|', 2)`)} || '自 ' || ${termStart(`split_part(s.item, '|', 2)`)} || ' 开始'
             || case when ${termStart(`split_part(s.item, '|', 2)`)} <= $1::date then '' else '，在 d 日（' || $1::date || '）之后' end`,
    })} from ${subjects} s where s.item like 'b|%'`,
  },
];

/** (a)'s payment day is the finding's period; (b) has none. */
const period = {
  start: `case when item like 'a|%' then (detail->>'paidOn')::date end`,
  end: `case when item like 'a|%' then (detail->>'paidOn')::date end`,
};

/** D1 (a) for households: a repeat LS grant to any member of the household in one year. */
export const D1a: RuleDefinition = {
  ...common,
  subjectType: 'household',
  shared: { ranked_grant: rankedGrants('household') },
  conditions: repeatGrantConditions('household'),
  period,
  item: { text: '临时救助的发放日（a|发放日）' },
};

/** D1 for persons: (a) for a recipient with no household, and (b) education aid. */
export const D1b: RuleDefinition = {
  ...common,
  subjectType: 'person',
  shared: { ranked_grant: rankedGrants('person') },
  conditions: [...repeatGrantConditions('person'), ...repeatEducationAid],
  period,
  item: { text: '临时救助的发放日（a|发放日），或学期与学生资助项目（b|学年_学期|资助项目）' },
};
