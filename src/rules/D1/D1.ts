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

/**
 * The repeat LS grants of (a), one row per subject and payment date. The household is the
 * recipient's household as of d (rules.md "household"); without one the recipient is the subject.
 * A grant withdrawn before its payment day (ended before it) was never paid and does not count.
 * A grant whose earlier finding the office marked EXCEPTION (re-assistance approved in the hub,
 * `detail.grantId`) is silenced; it still counts as an earlier grant for the ones after it.
 */
function repeatGrants(subject: 'household' | 'person'): string {
  return `
    with paid as (
      select b.person_id, b.record_key as grant_id, b.paid_on, extract(year from b.paid_on)::int as year,
             nullif(btrim(b.approval_ref), '') as approval_ref, b.amount, b.source_record_id
        -- a scoped run: the grants of the people in scope, by index (the recipients of a household in scope are in it)
        from ${factsOfPeople('benefit', `f.programme_code = 'LS'`)} b
       where b.paid_on <= $1::date and weijiu_active(null, b.valid_to, b.paid_on)),
    -- the recipients' households as of d (rules.md "household"; in a scoped run by index)
    recipient_household as (
      select ph.person_id, ph.household_id, ph.record_key, ph.source_record_id
        from ${personHouseholds()} ph
       where ph.person_id in (select person_id from paid)),
    ranked as (
      select g.*, row_number() over (partition by g.subject_id, g.year order by g.paid_on, g.grant_id) as nth
        from (select pd.*, rh.record_key as hh_id, rh.source_record_id as membership_source,
                     ${subject === 'household' ? 'rh.household_id' : 'pd.person_id'} as subject_id
                from paid pd
                left join recipient_household rh on rh.person_id = pd.person_id
               where rh.household_id is ${subject === 'household' ? 'not null' : 'null'}) g),
    excepted as (
      select f.detail->>'grantId' as grant_id from finding f where f.rule = 'D1' and f.status = 'EXCEPTION'
      union
      select jsonb_array_elements_text(f.detail->'grantIds') from finding f
       where f.rule = 'D1' and f.status = 'EXCEPTION' and jsonb_typeof(f.detail->'grantIds') = 'array'),
    repeat_day as (
      select r.subject_id, r.year, r.paid_on, min(r.nth) as first_nth, max(r.nth) as last_nth,
             min(r.grant_id) as grant_id, jsonb_agg(r.grant_id order by r.grant_id) as grant_ids
        from ranked r
       where r.nth > 1 and r.approval_ref is null
         and r.grant_id not in (select e.grant_id from excepted e where e.grant_id is not null)
       group by r.subject_id, r.year, r.paid_on)
    select d.subject_id::text as subject_id, 'a|' || d.paid_on as item, array['a'] as clauses,
           d.paid_on as period_start, d.paid_on as period_end,
           -- every grant of the year up to the last one found that day, and who received it in the household
           jsonb_agg(jsonb_build_object('source_record_id', g.source_record_id, 'values', jsonb_build_object(
             'grantId', g.grant_id, 'recipient', p.id_number, 'paidOn', g.paid_on, 'amount', g.amount::text,
             'approvalRef', g.approval_ref)) order by g.nth)
             || coalesce(jsonb_agg(distinct jsonb_build_object('source_record_id', g.membership_source, 'values',
                  jsonb_build_object('household', g.hh_id, 'member', p.id_number))) filter (where g.membership_source is not null),
                '[]'::jsonb) as evidence,
           jsonb_build_object(
             'clause', 'a',
             'grantId', d.grant_id,
             'grantIds', d.grant_ids,
             'recipients', jsonb_agg(distinct p.id_number) filter (where d.grant_ids ? g.grant_id),
             'paidOn', d.paid_on,
             'year', d.year,
             'earlierGrants', coalesce(jsonb_agg(g.grant_id order by g.nth) filter (where g.nth < d.first_nth), '[]'::jsonb)) as detail,
           '[]'::jsonb as parameters
      from repeat_day d
      join ranked g on g.subject_id = d.subject_id and g.year = d.year and g.nth <= d.last_nth
      join person p on p.id = g.person_id
     group by d.subject_id, d.year, d.paid_on, d.first_nth, d.grant_id, d.grant_ids`;
}

/**
 * (b): the same aid in the same term under two or more 学籍号 (any term file, current rows), once
 * the term has begun on d — 学期 1 on 1 September of the first year of the 学年, 学期 2 on 1 March
 * of the second, as the education connector dates a term (termStart).
 */
const repeatEducationAid = `
    select s.person_id::text as subject_id, 'b|' || s.term || '|' || s.aid as item, array['b'] as clauses,
           null::date as period_start, null::date as period_end,
           jsonb_agg(jsonb_build_object('source_record_id', s.source_record_id, 'values', jsonb_build_object(
             'studentNo', s.student_no, 'school', s.school, 'term', s.term, 'aid', s.aid, 'status', s.status))
             order by s.student_no) as evidence,
           jsonb_build_object('clause', 'b', 'term', s.term, 'aid', s.aid,
                              'studentNos', jsonb_agg(distinct s.student_no)) as detail,
           '[]'::jsonb as parameters
      from (select s.person_id, s.term, s.aid
              -- a scoped run: the rows of the people in scope, by index
              from ${factsOfPeople('schooling', `nullif(btrim(f.aid), '') is not null`)} s
             where case split_part(s.term, '_', 2) when '1' then make_date(left(s.term, 4)::int, 9, 1)
                                                   else make_date(substr(s.term, 6, 4)::int, 3, 1) end <= $1::date
             group by s.person_id, s.term, s.aid
            having min(s.student_no) <> max(s.student_no)) twice
      -- the evidence of the few repeats only, by index
      cross join lateral (
        select s.* from schooling s
         where s.person_id = twice.person_id and s.term = twice.term and s.aid = twice.aid and s.retired_at is null) s
     group by s.person_id, s.term, s.aid`;

/** D1 (a) for households: a repeat LS grant to any member of the household in one year. */
export const D1a: RuleDefinition = {
  ...common,
  subjectType: 'household',
  sql: repeatGrants('household'),
};

/** D1 for persons: (a) for a recipient with no household, and (b) education aid. */
export const D1b: RuleDefinition = {
  ...common,
  subjectType: 'person',
  sql: `${repeatGrants('person')}
    union all
    ${repeatEducationAid}`,
};
